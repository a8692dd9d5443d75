using Launcher.Platform.Notifications;

namespace Launcher.Platform.Tests.Notifications;

public sealed class NotificationTextTests
{
    [Theory]
    [InlineData("a\u202Eb", "ab")]
    [InlineData("\uFEFFpay\u200Bpal", "paypal")]
    [InlineData("one\u2028two\u2029three", "onetwothree")]
    [InlineData("bell\u0007\u001B[31m", "bell[31m")]
    [InlineData("keep\nnewlines", "keep\nnewlines")]
    [InlineData("\U0001F468\u200D\U0001F469", "\U0001F468\u200D\U0001F469")]
    public void StripControl_DropsControlAndInvisibleCharacters(string input, string expected)
    {
        Assert.Equal(expected, NotificationText.StripControl(input));
    }
}

using Launcher.Contracts.Notifications;
using Xunit;

namespace Launcher.Contracts.Tests.Notifications;

public sealed class NotificationOutcomesTests
{
    [Theory]
    [InlineData("shown", "submitted", true)]
    [InlineData("clicked", "shown", true)]
    [InlineData("dismissed", "submitted", true)]
    [InlineData("expired", "shown", true)]
    [InlineData("shown", "shown", false)]
    [InlineData("submitted", "shown", false)]
    [InlineData("shown", "clicked", false)]
    [InlineData("dismissed", "clicked", false)]
    [InlineData("failed", "expired", false)]
    public void Supersedes_OnlyALaterStage(string next, string current, bool expected)
    {
        Assert.Equal(expected, NotificationOutcomes.Supersedes(next, current));
    }

    [Fact]
    public void Ack_Validate_KnowsEveryOutcome_AndTiesActionIdToClicked()
    {
        foreach (string outcome in new[] { "submitted", "shown", "clicked", "dismissed", "expired", "failed" })
        {
            Assert.Null(new AckNotificationParams { Id = "n_1", Outcome = outcome }.Validate());
        }

        Assert.Contains("submitted", new AckNotificationParams { Id = "n_1", Outcome = "seen" }.Validate(), StringComparison.Ordinal);
        Assert.Null(new AckNotificationParams { Id = "n_1", Outcome = "clicked", ActionId = "ok" }.Validate());
        Assert.NotNull(new AckNotificationParams { Id = "n_1", Outcome = "shown", ActionId = "ok" }.Validate());
    }
}

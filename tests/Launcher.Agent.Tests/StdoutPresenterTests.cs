using System.Text.Json;
using Launcher.Agent.Presenters;
using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Tests;

public sealed class StdoutPresenterTests
{
    [Fact(Timeout = 10000)]
    public async Task Present_Notification_WritesExactlyOneJsonObjectLine()
    {
        var output = new StringWriter();
        var presenter = new StdoutPresenter(output, TimeProvider.System);

        PresentationResult result = await presenter.PresentAsync(TestNotifications.Make("n_1", "Update ready", "Restart to finish", "https://example.com/x"), CancellationToken.None);

        Assert.Equal(NotificationOutcomes.Shown, result.Outcome);
        string text = output.ToString();
        Assert.EndsWith("\n", text);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using JsonDocument line = JsonDocument.Parse(text);
        string[] names = [.. line.RootElement.EnumerateObject().Select(p => p.Name)];
        Assert.Equal(["id", "title", "body", "url", "shownAt"], names);
        Assert.Equal("n_1", line.RootElement.GetProperty("id").GetString());
        Assert.Equal("Update ready", line.RootElement.GetProperty("title").GetString());
        Assert.Equal("Restart to finish", line.RootElement.GetProperty("body").GetString());
        Assert.Equal("https://example.com/x", line.RootElement.GetProperty("url").GetString());
        Assert.InRange(line.RootElement.GetProperty("shownAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact(Timeout = 10000)]
    public async Task Present_WithoutUrl_WritesUrlNull()
    {
        var output = new StringWriter();
        var presenter = new StdoutPresenter(output, TimeProvider.System);

        await presenter.PresentAsync(TestNotifications.Make("n_2"), CancellationToken.None);

        using JsonDocument line = JsonDocument.Parse(output.ToString());
        Assert.Equal(JsonValueKind.Null, line.RootElement.GetProperty("url").ValueKind);
    }

    [Fact(Timeout = 10000)]
    public async Task Present_ControlCharactersAndUnicode_StayOnOneLineAndRoundTrip()
    {
        var output = new StringWriter();
        var presenter = new StdoutPresenter(output, TimeProvider.System);
        const string body = "line one\nline two\r\u001b[31mred\u2028 grüße +";

        await presenter.PresentAsync(TestNotifications.Make("n_3", body: body), CancellationToken.None);

        string text = output.ToString();
        Assert.Equal(text.Length - 1, text.IndexOf('\n'));
        Assert.DoesNotContain('\u001b', text);
        using JsonDocument line = JsonDocument.Parse(text);
        Assert.Equal(body, line.RootElement.GetProperty("body").GetString());
    }

    [Fact(Timeout = 10000)]
    public async Task Present_ConcurrentNotifications_NeverInterleaveLines()
    {
        var output = new StringWriter();
        var presenter = new StdoutPresenter(output, TimeProvider.System);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => presenter.PresentAsync(TestNotifications.Make("n_" + i, body: new string('b', 500)), CancellationToken.None))));

        string[] lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(50, lines.Length);
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
    }
}

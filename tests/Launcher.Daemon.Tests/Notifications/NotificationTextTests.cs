using System.Threading.Channels;
using Launcher.Contracts;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;
using Launcher.Rpc;

namespace Launcher.Daemon.Tests.Notifications;

/// <summary>
/// Invisible and direction-reversing characters never reach a user's screen through the daemon: titles and bodies
/// that carry them are refused with -32602, and a URL is forwarded only in its normalised form.
/// </summary>
public sealed class NotificationTextTests
{
    [Theory(Timeout = 20000)]
    [InlineData("title", "\u202Egnp.exe")]
    [InlineData("title", "pay\u200Bpal")]
    [InlineData("title", "\uFEFFHello")]
    [InlineData("title", "a\u2066b")]
    [InlineData("title", "line\u2028break")]
    [InlineData("body", "see \u202Ereversed")]
    [InlineData("body", "zero\u200Bwidth")]
    [InlineData("body", "para\u2029graph")]
    [InlineData("body", "soft\u00ADhyphen")]
    public async Task Send_WithInvisibleOrBidiCharacters_IsRefused(string field, string text)
    {
        await using var daemon = new DaemonHarness();
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);
        var request = new SendNotificationParams
        {
            Uid = 1000,
            Title = field == "title" ? text : "Title",
            Body = field == "body" ? text : "Body",
        };

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.NotificationSend, request));

        Assert.Equal(RpcErrorCodes.InvalidParams, refused.Code);
        Assert.Contains(field, refused.Message, StringComparison.Ordinal);
        Assert.Contains("U+", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, daemon.Store.PendingCount(DateTimeOffset.UtcNow));
    }

    [Fact(Timeout = 20000)]
    public async Task Send_WithEmojiJoinersAndNewlines_IsAccepted()
    {
        await using var daemon = new DaemonHarness();
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        // ZWJ and ZWNJ are format characters too, but emoji sequences and Persian or Indic text need them.
        SendNotificationResult sent = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams
        {
            Uid = 1000,
            Title = "Family \U0001F468\u200D\U0001F469\u200D\U0001F467",
            Body = "line one\nline two: \u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645",
        });

        Assert.StartsWith("n_", sent.Id, StringComparison.Ordinal);
    }

    [Theory(Timeout = 20000)]
    [InlineData("https://example.com/a\nInjected line")]
    [InlineData("https://example.com/a\rb")]
    [InlineData("https://example.com/\u001B[31mred")]
    [InlineData("https://example.com/\u202Efdp.exe")]
    [InlineData("https://exa\u200Bmple.com/")]
    [InlineData(" https://example.com/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.com/file")]
    [InlineData("/relative/path")]
    public async Task Send_WithABadUrl_IsRefused(string url)
    {
        await using var daemon = new DaemonHarness();
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { Uid = 1000, Title = "t", Body = "b", Url = url }));

        Assert.Equal(RpcErrorCodes.InvalidParams, refused.Code);
        Assert.Contains("url", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, daemon.Store.PendingCount(DateTimeOffset.UtcNow));
    }

    [Theory(Timeout = 20000)]
    [InlineData("HTTPS://Example.COM:443/a b?q=ü", "https://example.com/a%20b?q=%C3%BC")]
    [InlineData("http://example.com", "http://example.com/")]
    [InlineData("https://bücher.example/x", "https://xn--bcher-kva.example/x")]
    public async Task Send_ForwardsTheNormalisedUrl_NotTheOriginalString(string url, string expected)
    {
        await using var daemon = new DaemonHarness();
        ChannelReader<ShowNotificationParams> inbox = await RegisterAgentAsync(daemon, 1000);
        JsonRpcConnection admin = daemon.Connect(DaemonHarness.Root);

        SendNotificationResult sent = await admin.InvokeAsync(Methods.NotificationSend, new SendNotificationParams { Uid = 1000, Title = "t", Body = "b", Url = url });

        ShowNotificationParams shown = await inbox.ReadAsync();
        Assert.Equal(sent.Id, shown.Id);
        Assert.Equal(expected, shown.Url);
        Assert.Equal(expected, daemon.Store.Pending(1000, DateTimeOffset.UtcNow).Single().Url);
    }

    private static async Task<ChannelReader<ShowNotificationParams>> RegisterAgentAsync(DaemonHarness daemon, uint uid)
    {
        var inbox = Channel.CreateUnbounded<ShowNotificationParams>();
        RpcHandlerTable handlers = new RpcHandlerTable().AddNotification(Methods.NotificationShow, (_, show, _) =>
        {
            inbox.Writer.TryWrite(show);
            return ValueTask.CompletedTask;
        });
        JsonRpcConnection agent = daemon.Connect(DaemonHarness.User(uid), handlers);
        await agent.InvokeAsync(Methods.AgentRegister, new RegisterParams { AgentVersion = "test" });
        return inbox.Reader;
    }
}

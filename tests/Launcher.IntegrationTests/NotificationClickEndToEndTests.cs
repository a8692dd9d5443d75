using Launcher.Agent.Tests.DBus;

namespace Launcher.IntegrationTests;

/// <summary>
/// Real launcherd, a real launcher-agent with the system presenter on a private session bus, a notification server
/// written for the tests, and launcherctl: what the user does in the notification server reaches the daemon.
/// </summary>
public sealed class NotificationClickEndToEndTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [DBusRootFact(Timeout = 180000)]
    public async Task Notify_ClickedOrActedOnInTheNotificationServer_TheDaemonRecordsClicked()
    {
        await using SessionBus bus = await SessionBus.StartAsync();
        await using TestNotificationServer server = await TestNotificationServer.StartAsync(bus.Address);
        await using var sandbox = new Sandbox();
        ChildProcess daemon = await sandbox.StartDaemonReadyAsync("--key-store", "software");
        ChildProcess agent = sandbox.StartSystemAgent(bus.Address);
        await Sandbox.EventuallyAsync(async () => (await sandbox.StatusAsync()).Agents.Any(a => a.Uid == 0), "the agent registers");

        // A click on the notification itself.
        (int exit, string output) = await sandbox.CtlAsync(null, "notify", "--uid", "0", "--title", "Update ready", "--body", "Restart now?", "--action", "later=Later");
        Assert.Equal(0, exit);
        string clickedId = output.Trim().Split('\n').Last().Trim();
        ReceivedNotification first = await server.NextAsync(s_wait);
        Assert.Equal(clickedId, first.Hints["x-launcher-id"]);
        Assert.Equal(["default", "Show", "action-0", "Later"], first.Actions);
        await Sandbox.EventuallyAsync(() => Task.FromResult(daemon.Output.Contains($"Notification {clickedId} acknowledged by uid 0: shown", StringComparison.Ordinal)), "the shown ack", s_wait);
        server.InvokeAction(first.Id, "default");
        server.Close(first.Id, 2);
        await Sandbox.EventuallyAsync(() => Task.FromResult(daemon.Output.Contains($"Notification {clickedId} of uid 0: outcome shown became clicked", StringComparison.Ordinal)), "the click reaches the daemon", s_wait);

        // A click on one of its actions.
        (exit, output) = await sandbox.CtlAsync(null, "notify", "--uid", "0", "--title", "Approve?", "--body", "b", "--action", "approve=Approve", "--action", "deny=Deny");
        Assert.Equal(0, exit);
        string actionId = output.Trim().Split('\n').Last().Trim();
        ReceivedNotification second = await server.NextAsync(s_wait);
        await Sandbox.EventuallyAsync(() => Task.FromResult(daemon.Output.Contains($"Notification {actionId} acknowledged by uid 0: shown", StringComparison.Ordinal)), "the second shown ack", s_wait);
        server.InvokeAction(second.Id, "action-1");
        await Sandbox.EventuallyAsync(() => Task.FromResult(daemon.Output.Contains($"Notification {actionId} clicked by uid 0: action deny", StringComparison.Ordinal)), "the action reaches the daemon", s_wait);

        // A dismissal.
        (exit, output) = await sandbox.CtlAsync(null, "notify", "--uid", "0", "--title", "FYI", "--body", "b");
        string dismissedId = output.Trim().Split('\n').Last().Trim();
        ReceivedNotification third = await server.NextAsync(s_wait);
        await Sandbox.EventuallyAsync(() => Task.FromResult(daemon.Output.Contains($"Notification {dismissedId} acknowledged by uid 0: shown", StringComparison.Ordinal)), "the third shown ack", s_wait);
        server.Close(third.Id, 2);
        await Sandbox.EventuallyAsync(() => Task.FromResult(daemon.Output.Contains($"Notification {dismissedId} of uid 0: outcome shown became dismissed", StringComparison.Ordinal)), "the dismissal reaches the daemon", s_wait);

        (int statusExit, string status) = await sandbox.CtlAsync(null, "status");
        Assert.Equal(0, statusExit);
        Assert.Contains("presenter system, clicks, actions, truthful delivery", status, StringComparison.Ordinal);
        Assert.False(agent.HasExited, agent.Output);
    }
}

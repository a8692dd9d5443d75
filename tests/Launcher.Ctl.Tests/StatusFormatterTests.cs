using Launcher.Contracts.Status;

namespace Launcher.Ctl.Tests;

public sealed class StatusFormatterTests
{
    [Fact]
    public void Format_ReadyWithAgents_ListsEachFactOnItsOwnLine()
    {
        string text = StatusFormatter.Format(Samples.Status(), TextStyle.Plain);

        Assert.Equal(
            """
            launcherd 0.1.0  pid 812
            uptime       1h 02m 03s
            identity     tpm, ready
            warnings     none
            connections  4
            agents       uid 501: 1 connection
                         uid 502: 2 connections
            pending      3 notifications

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Format_AgentPresenters_ShowTheirCapabilities()
    {
        StatusResult status = Samples.Status() with
        {
            Agents =
            [
                new AgentCount
                {
                    Uid = 501,
                    Connections = 2,
                    Presenters =
                    [
                        new AgentPresenterInfo { AgentId = "a7-501", Presenter = "system", Capabilities = new() { Clicks = true, Actions = true, TruthfulDelivery = true } },
                        new AgentPresenterInfo { AgentId = "a9-501", Presenter = null, Capabilities = Launcher.Contracts.Agents.PresenterCapabilities.None },
                    ],
                },
            ],
        };

        string text = StatusFormatter.Format(status, TextStyle.Plain);

        Assert.Contains("  a7-501: presenter system, clicks, actions, truthful delivery\n", text, StringComparison.Ordinal);
        Assert.Contains("  a9-501: presenter unknown, no clicks, no actions, delivery unknown\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_WarningsAndLostIdentity_StandOut()
    {
        StatusResult status = Samples.Status("software key", "clock skew") with { IdentityState = "lost", DevMode = true, Agents = [] };

        string text = StatusFormatter.Format(status, TextStyle.Plain);

        Assert.Contains("launcherd 0.1.0  pid 812  DEV MODE\n", text);
        Assert.Contains("identity     tpm, LOST\n", text);
        Assert.Contains("warnings     ! software key\n             ! clock skew\n", text);
        Assert.Contains("agents       none\n", text);
    }

    [Fact]
    public void Format_ColorStyle_WrapsWarningsInAnsiAndPlainHasNone()
    {
        string colored = StatusFormatter.Format(Samples.Status("w"), TextStyle.Color);
        string plain = StatusFormatter.Format(Samples.Status("w"), TextStyle.Plain);

        Assert.Contains("\u001b[1;33m! w\u001b[0m", colored);
        Assert.DoesNotContain('\u001b', plain);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59.9, "59s")]
    [InlineData(125, "2m 05s")]
    [InlineData(3723, "1h 02m 03s")]
    [InlineData(273900, "3d 04h 05m")]
    [InlineData(-5, "0s")]
    public void FormatDuration_Seconds_ReadsAtAGlance(double seconds, string expected)
    {
        Assert.Equal(expected, StatusFormatter.FormatDuration(seconds));
    }
}

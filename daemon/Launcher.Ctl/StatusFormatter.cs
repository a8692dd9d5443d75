using System.Globalization;
using System.Text;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Status;

namespace Launcher.Ctl;

/// <summary>The human form of <c>daemon/status</c>: one fact per line, problems marked so they stand out.</summary>
internal static class StatusFormatter
{
    private const int LabelWidth = 13;

    public static string Format(StatusResult status, TextStyle style)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(style);
        var text = new StringBuilder();
        string mode = status.DevMode ? "  " + style.Warning("DEV MODE") : string.Empty;
        text.Append(style.Bold("launcherd " + status.Version)).Append("  pid ").Append(status.Pid.ToString(CultureInfo.InvariantCulture)).Append(mode).Append('\n');
        Line(text, "uptime", FormatDuration(status.UptimeSeconds));

        string state = status.IdentityState ?? "unknown";
        string styledState = state == IdentityStates.Ready ? style.Good(state) : style.Bad(state.ToUpperInvariant());
        Line(text, "identity", $"{status.KeyClass ?? "no key"}, {styledState}");
        if (status.Warnings.Count == 0)
        {
            Line(text, "warnings", "none");
        }
        else
        {
            for (int i = 0; i < status.Warnings.Count; i++)
            {
                Line(text, i == 0 ? "warnings" : string.Empty, style.Warning("! " + status.Warnings[i]));
            }
        }

        Line(text, "connections", status.Connections.ToString(CultureInfo.InvariantCulture));
        if (status.Agents.Count == 0)
        {
            Line(text, "agents", "none");
        }
        else
        {
            bool first = true;
            foreach (AgentCount agent in status.Agents.OrderBy(a => a.Uid))
            {
                string connections = agent.Connections == 1 ? "1 connection" : $"{agent.Connections} connections";
                Line(text, first ? "agents" : string.Empty, $"uid {agent.Uid.ToString(CultureInfo.InvariantCulture)}: {connections}");
                foreach (AgentPresenterInfo presenter in agent.Presenters)
                {
                    Line(text, string.Empty, $"  {presenter.AgentId}: presenter {presenter.Presenter ?? "unknown"}, {FormatCapabilities(presenter.Capabilities)}");
                }

                first = false;
            }
        }

        if (status.Fleet is not null)
        {
            Line(text, "fleet", FleetFormatter.Summary(status.Fleet, style, DateTimeOffset.UtcNow));
        }

        Line(text, "pending", status.PendingNotifications == 1 ? "1 notification" : $"{status.PendingNotifications.ToString(CultureInfo.InvariantCulture)} notifications");
        return text.ToString();
    }

    /// <summary>"clicks, actions, truthful delivery", or "no clicks, no actions, delivery unknown".</summary>
    public static string FormatCapabilities(PresenterCapabilities capabilities)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        return string.Join(", ",
            capabilities.Clicks ? "clicks" : "no clicks",
            capabilities.Actions ? "actions" : "no actions",
            capabilities.TruthfulDelivery ? "truthful delivery" : "delivery unknown");
    }

    /// <summary>"12s", "2m 05s", "1h 02m 03s", "3d 04h 05m".</summary>
    public static string FormatDuration(double seconds)
    {
        TimeSpan span = TimeSpan.FromSeconds(Math.Max(0, Math.Floor(seconds)));
        return span switch
        {
            { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays}d {span.Hours:00}h {span.Minutes:00}m"),
            { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Hours}h {span.Minutes:00}m {span.Seconds:00}s"),
            { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds:00}s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{span.Seconds}s"),
        };
    }

    internal static void Line(StringBuilder text, string label, string value)
    {
        text.Append(label.PadRight(LabelWidth)).Append(value).Append('\n');
    }
}

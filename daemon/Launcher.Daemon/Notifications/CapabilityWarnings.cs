using Launcher.Contracts.Notifications;
using Launcher.Daemon.Ipc;

namespace Launcher.Daemon.Notifications;

/// <summary>
/// What a sender is told when the target users' connected agents cannot honour part of a notification: a URL
/// (opened on click) or actions (buttons). One sentence per uid and missing capability, so a script can show them.
/// </summary>
internal static class CapabilityWarnings
{
    public static IReadOnlyList<string> For(SendNotificationParams request, IReadOnlyList<Session> agents)
    {
        bool wantsClick = request.Url is not null;
        bool wantsActions = request.Actions is { Count: > 0 };
        if (!wantsClick && !wantsActions)
        {
            return [];
        }

        var warnings = new List<string>();
        foreach (IGrouping<uint, Session> uid in agents.GroupBy(a => a.Caller.Uid).OrderBy(g => g.Key))
        {
            int total = uid.Count();
            if (wantsClick)
            {
                Add(warnings, uid.Key, total, uid.Count(a => !a.Capabilities.Clicks), "cannot report a click, so the URL is not opened from the notification (it is shown in the text)", uid);
            }

            if (wantsActions)
            {
                Add(warnings, uid.Key, total, uid.Count(a => !a.Capabilities.Actions), "cannot show actions, so no action can be chosen", uid);
            }
        }

        return warnings;
    }

    private static void Add(List<string> warnings, uint uid, int total, int lacking, string what, IEnumerable<Session> agents)
    {
        if (lacking == 0)
        {
            return;
        }

        string presenters = string.Join(", ", agents.Select(a => a.Presenter ?? "unknown").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        string who = lacking == total ? (total == 1 ? "the agent" : $"all {total} agents") : $"{lacking} of {total} agents";
        warnings.Add($"uid {uid}: {who} {what} (presenter {presenters}).");
    }
}

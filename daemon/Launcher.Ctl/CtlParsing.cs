using Launcher.Contracts.Notifications;

namespace Launcher.Ctl;

/// <summary>Helpers for validators, which System.CommandLine runs even when a value failed to convert.</summary>
internal static class CtlParsing
{
    /// <summary>False when reading a value throws because its conversion failed (the parser reports that error itself).</summary>
    public static bool TryGet<T>(Func<T> read, out T value)
    {
        try
        {
            value = read();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default!;
            return false;
        }
    }

    /// <summary>Parses <c>--action ID=LABEL</c> values; null when there are none.</summary>
    public static bool TryParseActions(string[]? values, out IReadOnlyList<NotificationAction>? actions, out string? error)
    {
        actions = null;
        error = null;
        if (values is not { Length: > 0 })
        {
            return true;
        }

        var parsed = new List<NotificationAction>(values.Length);
        foreach (string value in values)
        {
            int separator = value.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0 || separator == value.Length - 1)
            {
                error = $"--action must be ID=LABEL (got '{value}').";
                return false;
            }

            parsed.Add(new NotificationAction { Id = value[..separator], Label = value[(separator + 1)..] });
        }

        actions = parsed;
        return true;
    }
}

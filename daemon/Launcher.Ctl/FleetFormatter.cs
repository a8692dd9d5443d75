using System.Globalization;
using System.Text;
using Launcher.Contracts.FleetLink;

namespace Launcher.Ctl;

/// <summary>The human forms of <c>fleet/status</c> and <c>fleet/enroll</c>.</summary>
internal static class FleetFormatter
{
    public static string Format(FleetLinkStatus status, TextStyle style, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(style);
        var text = new StringBuilder();
        if (!status.Enrolled)
        {
            StatusFormatter.Line(text, "fleet", "not enrolled (launcherctl fleet enroll --server URL --token T)");
            if (status.LastError is not null)
            {
                StatusFormatter.Line(text, "last error", style.Bad(Error(status)));
            }

            return text.ToString();
        }

        StatusFormatter.Line(text, "fleet", Summary(status, style, now));
        StatusFormatter.Line(text, "server", status.Server + (status.CaPinned ? " (pinned CA)" : " (system trust)"));
        StatusFormatter.Line(text, "machine id", status.MachineId ?? "?");
        StatusFormatter.Line(text, "spiffe id", status.SpiffeId ?? "?");
        if (status.CertificateNotAfter is DateTimeOffset notAfter)
        {
            string expiry = Stamp(notAfter);
            string renew = status.RenewAfter is DateTimeOffset renewAfter ? ", renews after " + Stamp(renewAfter) : string.Empty;
            StatusFormatter.Line(text, "certificate", notAfter <= now ? style.Bad("EXPIRED " + expiry) : "valid until " + expiry + renew);
        }

        if (status.LastError is not null)
        {
            StatusFormatter.Line(text, "last error", style.Bad(Error(status)));
        }

        if (!status.Connected && status.NextAttemptAt is DateTimeOffset next)
        {
            StatusFormatter.Line(text, "next try", Stamp(next));
        }

        StatusFormatter.Line(text, "outcomes", status.PendingOutcomes.ToString(CultureInfo.InvariantCulture) + " waiting for the server");
        return text.ToString();
    }

    /// <summary>One line for <c>launcherctl status</c>.</summary>
    public static string Summary(FleetLinkStatus status, TextStyle style, DateTimeOffset now)
    {
        if (!status.Enrolled)
        {
            return "not enrolled";
        }

        string since = status.Since is DateTimeOffset at ? " for " + StatusFormatter.FormatDuration((now - at).TotalSeconds) : string.Empty;
        return status.Connected
            ? style.Good("connected") + " to " + status.Server + since
            : style.Warning("not connected") + " to " + status.Server + since + (status.LastError is null ? string.Empty : ": " + Error(status));
    }

    public static string FormatEnrolled(FleetEnrollResult result, TextStyle style)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(style);
        var text = new StringBuilder();
        text.Append(style.Good("Enrolled")).Append(" with ").Append(result.Server).Append('\n');
        StatusFormatter.Line(text, "machine id", result.MachineId);
        StatusFormatter.Line(text, "spiffe id", result.SpiffeId);
        StatusFormatter.Line(text, "certificate", "valid until " + Stamp(result.CertificateNotAfter) + ", renews after " + Stamp(result.RenewAfter));
        if (result.AttestationLevel is not null)
        {
            StatusFormatter.Line(text, "attestation", result.AttestationLevel + (result.TpmMaker is null ? string.Empty : " (TPM maker " + result.TpmMaker + ")"));
        }

        StatusFormatter.Line(text, "grants", result.Grants.Count == 0 ? "none" : string.Join(", ", result.Grants));
        return text.ToString();
    }

    private static string Error(FleetLinkStatus status) =>
        status.LastErrorCode is int code ? $"{status.LastError} [code {code.ToString(CultureInfo.InvariantCulture)}]" : status.LastError ?? string.Empty;

    private static string Stamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}

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
            switch (status.ConfiguredState)
            {
                case FleetConfiguredStates.Enrolling:
                    StatusFormatter.Line(text, "fleet", style.Warning("not enrolled yet") + ": enrolling with " + status.ConfiguredServer + " as configured (fleet:server, fleet:enrolmentToken)");
                    break;
                case FleetConfiguredStates.Refused:
                    StatusFormatter.Line(text, "fleet", style.Bad("not enrolled: the configured enrolment was refused") + " by " + status.ConfiguredServer);
                    StatusFormatter.Line(text, "refused", style.Bad(status.ConfiguredRefusal ?? "?") + (status.LastErrorCode is int code && status.ConfiguredRefusal == status.LastError ? $" [code {code.ToString(CultureInfo.InvariantCulture)}]" : string.Empty));
                    StatusFormatter.Line(text, "to retry", "put a new token in fleet:enrolmentToken and restart launcherd, or run launcherctl fleet enroll (fleet leave --yes retries the configured one)");
                    break;
                case FleetConfiguredStates.NoToken:
                    StatusFormatter.Line(text, "fleet", $"not enrolled (fleet:server is {status.ConfiguredServer}, without a token: launcherctl fleet enroll --server {status.ConfiguredServer} --token T)");
                    break;
                default:
                    StatusFormatter.Line(text, "fleet", "not enrolled (launcherctl fleet enroll --server URL --token T)");
                    break;
            }

            if (status.LastError is not null && status.ConfiguredState != FleetConfiguredStates.Refused)
            {
                StatusFormatter.Line(text, "last error", style.Bad(Error(status)));
            }

            if (status.ConfiguredState == FleetConfiguredStates.Enrolling && status.NextAttemptAt is DateTimeOffset nextEnrol)
            {
                StatusFormatter.Line(text, "next try", Stamp(nextEnrol));
            }

            return text.ToString();
        }

        StatusFormatter.Line(text, "fleet", Summary(status, style, now));
        StatusFormatter.Line(text, "server", status.Server + (status.CaPinned ? " (pinned CA)" : " (system trust)"));
        if (status.ConfiguredState == FleetConfiguredStates.OtherServer)
        {
            StatusFormatter.Line(text, "configured", style.Warning($"fleet:server is {status.ConfiguredServer}, not {status.Server}") + "; the machine stays with " + status.Server + " (launcherctl fleet leave --yes, and it enrols with the configured server)");
        }

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
            return status.ConfiguredState switch
            {
                FleetConfiguredStates.Enrolling => "not enrolled yet: enrolling with " + status.ConfiguredServer + " as configured" + (status.LastError is null ? string.Empty : " (last try: " + Error(status) + ")"),
                FleetConfiguredStates.Refused => style.Bad("not enrolled: " + status.ConfiguredServer + " refused the configured enrolment: " + status.ConfiguredRefusal),
                _ => "not enrolled",
            };
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

using Launcher.Fleet.Store;

namespace Launcher.Fleet.Services;

/// <summary>
/// The audit entry written when an Apple certificate's serial comparison changes because the machine reported
/// another serial (a re-enrolment or a check), so an admin sees when and why a match became a mismatch.
/// </summary>
internal static class AppleSerialRecheck
{
    public const string Action = "apple-attestation.serial-rechecked";

    /// <summary>The entry's detail, or null when there is no certificate or the comparison did not change.</summary>
    public static string? Describe(string? before, string? after, string? attestedSerial, string? reportedSerial) =>
        after is null || before == after
            ? null
            : $"serial {before ?? "-"} -> {after}: attested {attestedSerial ?? "-"}, now reported {reportedSerial ?? "-"}";

    public static Task AuditChangeAsync(AuditStore audit, long now, string machineId, string? before, string? after, string? attestedSerial, string? reportedSerial, CancellationToken cancellationToken) =>
        Describe(before, after, attestedSerial, reportedSerial) is string detail
            ? audit.AppendAsync(now, "machine", Action, machineId, detail, cancellationToken)
            : Task.CompletedTask;
}

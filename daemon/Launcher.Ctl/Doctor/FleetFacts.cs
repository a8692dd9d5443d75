using System.Globalization;
using System.Text.Json;

namespace Launcher.Ctl.Doctor;

/// <summary>
/// The <c>fleet</c> object of <c>daemon/status</c>, read loosely so that doctor works with daemons from before and
/// after the fleet link: <c>{"server": "https://…", "enrolled": true, "connected": true, "machineId": "…",
/// "certificateNotAfter": "2026-12-01T00:00:00Z", "lastError": "…"}</c> (the <c>fleet/status</c> result). Absent: this daemon has no fleet link.
/// </summary>
/// <remarks>
/// <c>configuredServer</c>, <c>configuredState</c> and <c>configuredRefusal</c> say how the enrolment the daemon's
/// configuration asks for stands (absent from older daemons).
/// </remarks>
internal sealed record FleetFacts(string? Server, bool Enrolled, bool Connected, string? MachineId, DateTimeOffset? CertificateExpiresAt, string? LastError, string? ConfiguredServer = null, string? ConfiguredState = null, string? ConfiguredRefusal = null)
{
    public static FleetFacts? FromStatus(JsonElement status)
    {
        if (status.ValueKind != JsonValueKind.Object || !status.TryGetProperty("fleet", out JsonElement fleet) || fleet.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        DateTimeOffset? expires = null;
        if ((String(fleet, "certificateNotAfter") ?? String(fleet, "certificateExpiresAt")) is string text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
        {
            expires = parsed;
        }

        return new FleetFacts(
            String(fleet, "server"),
            Bool(fleet, "enrolled"),
            Bool(fleet, "connected"),
            String(fleet, "machineId"),
            expires,
            String(fleet, "lastError"),
            String(fleet, "configuredServer"),
            String(fleet, "configuredState"),
            String(fleet, "configuredRefusal"));
    }

    private static string? String(JsonElement o, string name) =>
        o.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement o, string name) =>
        o.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.True;
}

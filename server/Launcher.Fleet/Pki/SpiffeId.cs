namespace Launcher.Fleet.Pki;

/// <summary>SPIFFE ids of machines: <c>spiffe://&lt;trust-domain&gt;/machine/&lt;id&gt;</c>.</summary>
internal static class SpiffeId
{
    public static string ForMachine(string trustDomain, string machineId) => $"spiffe://{trustDomain}/machine/{machineId}";

    /// <summary>A trust domain is lower-case letters, digits, dots, dashes and underscores (SPIFFE-ID section 2.1).</summary>
    public static bool IsValidTrustDomain(string value) =>
        value.Length is > 0 and <= 255 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_');
}

using Launcher.Contracts.Fleet;

namespace Launcher.Fleet.Policy;

/// <summary>The order of the attestation levels, strongest first, for "at least this level" rules.</summary>
internal static class AttestationRank
{
    private static readonly string[] s_order =
    [
        AttestationLevels.TpmEkVerified,
        AttestationLevels.TpmEkAllowlisted,
        AttestationLevels.TpmUnverified,
        AttestationLevels.SecureEnclaveReported,
        AttestationLevels.Software,
        AttestationLevels.None,
    ];

    /// <summary>Every known level, strongest first.</summary>
    public static IReadOnlyList<string> All => s_order;

    /// <summary>The levels an enrolment token's minimum may name (<c>none</c> is no requirement at all).</summary>
    public static IReadOnlyList<string> Requirable { get; } = s_order[..^1];

    /// <summary>Whether <paramref name="name"/> is a level an enrolment token's minimum may name.</summary>
    public static bool IsRequirable(string? name) => name is not null && Requirable.Contains(name, StringComparer.Ordinal);

    /// <summary>Position in the order (0 is the strongest); -1 for an unknown level.</summary>
    public static int IndexOf(string level) => Array.IndexOf(s_order, level);

    /// <summary>Whether <paramref name="level"/> is at least as strong as <paramref name="required"/> (an unknown level satisfies nothing).</summary>
    public static bool Satisfies(string level, string required)
    {
        int have = Array.IndexOf(s_order, level);
        int need = Array.IndexOf(s_order, required);
        return have >= 0 && need >= 0 && have <= need;
    }
}

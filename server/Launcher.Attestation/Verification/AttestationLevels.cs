namespace Launcher.Attestation.Verification;

/// <summary>
/// What a fleet server has verified about where a machine key lives. Policy grants permissions per level; the
/// inventory shows it. A machine that claims a TPM without evidence that verifies never gets a <c>tpm-</c> level.
/// </summary>
public static class AttestationLevels
{
    /// <summary>EK certificate chains to a configured TPM maker root; credential activation and certify verified.</summary>
    public const string TpmEkVerified = "tpm-ek-verified";

    /// <summary>EK public key on the admin's allow-list; credential activation and certify verified.</summary>
    public const string TpmEkAllowlisted = "tpm-ek-allowlisted";

    /// <summary>
    /// Activation and certify verified against an EK nobody vouches for (its chain does not verify and it is not
    /// allow-listed): the key is in some TPM, not necessarily a genuine one.
    /// </summary>
    public const string TpmUnverified = "tpm-unverified";

    /// <summary>A Mac's Secure Enclave key as reported: possession of the enrolled key only (no Apple attestation of it).</summary>
    public const string SecureEnclaveReported = "secure-enclave-reported";

    /// <summary>A software key, or a hardware claim without evidence.</summary>
    public const string Software = "software";

    /// <summary>Every level, strongest first.</summary>
    public static IReadOnlyList<string> All { get; } = [TpmEkVerified, TpmEkAllowlisted, TpmUnverified, SecureEnclaveReported, Software];

    /// <summary>The rank of a level (0 = strongest); unknown levels rank last.</summary>
    public static int Rank(string level)
    {
        for (int i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], level, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return All.Count;
    }

    /// <summary>Whether <paramref name="level"/> is at least as strong as <paramref name="required"/>.</summary>
    public static bool Satisfies(string level, string required) => Rank(level) <= Rank(required);
}

namespace Launcher.Attestation.Verification;

/// <summary>What the server concluded about an EK.</summary>
/// <param name="Level">tpm-ek-verified, tpm-ek-allowlisted or tpm-unverified (activation and certify still to be checked).</param>
/// <param name="Maker">The TPM maker from the EK certificate (its TCG vendor id, with the ASCII form when printable), or null.</param>
/// <param name="Model">The TPM model from the EK certificate, or null.</param>
/// <param name="Reason">Why the EK is not verified (tpm-unverified), or null.</param>
/// <param name="EkFingerprint">SHA-256 of the EK's SubjectPublicKeyInfo, lower-case hex (the allow-list form).</param>
public sealed record EkVerdict(string Level, string? Maker, string? Model, string? Reason, string EkFingerprint);

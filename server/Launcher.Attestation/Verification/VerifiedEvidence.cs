using Launcher.Contracts.Tpm;

namespace Launcher.Attestation.Verification;

/// <summary>
/// Evidence whose structures, certify and signatures verified. The EK still has to prove it holds the AK by
/// activating a credential (<see cref="CredentialChallenge"/>) before the level counts.
/// </summary>
/// <param name="Ek">The EK.</param>
/// <param name="Ak">The attestation key.</param>
/// <param name="AkName">The AK's name (what the credential is bound to).</param>
/// <param name="Key">The machine key's public area.</param>
/// <param name="EkVerdict">How far the EK is trusted.</param>
public sealed record VerifiedEvidence(TpmPublic Ek, TpmPublic Ak, byte[] AkName, TpmPublic Key, EkVerdict EkVerdict);

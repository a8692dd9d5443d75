using System.Security.Cryptography;
using Launcher.Attestation.Credentials;

namespace Launcher.Attestation.Verification;

/// <summary>
/// The activation round trip: the server makes a credential for the AK's name under the EK; only the TPM that holds
/// the EK, with that very AK loaded, can return the secret.
/// </summary>
public sealed class CredentialChallenge
{
    private readonly byte[] _secret;

    private CredentialChallenge(byte[] secret, MadeCredential credential)
    {
        _secret = secret;
        Credential = credential;
    }

    /// <summary>What the daemon's TPM must activate.</summary>
    public MadeCredential Credential { get; }

    /// <summary>A fresh challenge with a random secret as long as the EK's name digest allows (at most 32 bytes).</summary>
    public static CredentialChallenge Create(VerifiedEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        return new CredentialChallenge(secret, CredentialMaker.Make(evidence.Ek, evidence.AkName, secret));
    }

    /// <summary>Whether <paramref name="answer"/> is the secret, compared in constant time.</summary>
    public bool Matches(ReadOnlySpan<byte> answer) => CryptographicOperations.FixedTimeEquals(_secret, answer);
}

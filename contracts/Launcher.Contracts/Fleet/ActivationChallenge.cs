namespace Launcher.Contracts.Fleet;

/// <summary>
/// The credential-activation challenge in a <c>fleet/enroll</c> result: TPM2_MakeCredential output for the AK's
/// name under the EK. Only the TPM holding that EK, with that AK loaded, recovers the credential.
/// </summary>
public sealed record ActivationChallenge
{
    /// <summary>A marshalled TPM2B_ID_OBJECT (with its 2-byte size), standard base64.</summary>
    public required string CredentialBlob { get; init; }

    /// <summary>A marshalled TPM2B_ENCRYPTED_SECRET (with its 2-byte size), standard base64.</summary>
    public required string EncryptedSecret { get; init; }
}

namespace Launcher.Attestation.Credentials;

/// <summary>
/// What TPM2_MakeCredential produces, in the marshalling TPM2_ActivateCredential takes: each field a complete
/// TPM2B (big-endian uint16 size first), the same bytes tpm2-tools writes after its 8-byte file header.
/// </summary>
/// <param name="CredentialBlob">TPM2B_ID_OBJECT: the integrity HMAC and the encrypted credential.</param>
/// <param name="EncryptedSecret">TPM2B_ENCRYPTED_SECRET: the seed, encrypted to the EK.</param>
public sealed record MadeCredential(byte[] CredentialBlob, byte[] EncryptedSecret);

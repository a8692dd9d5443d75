namespace Launcher.Platform.Attestation;

/// <summary>TPM2_ActivateCredential refused the credential: it was made for another EK or another AK name, or it
/// was altered. Nothing about the TPM or the keys is wrong; the server's challenge does not belong to them.</summary>
internal sealed class CredentialRejectedException : Exception
{
    public CredentialRejectedException(string reason, Exception inner)
        : base(reason, inner)
    {
    }
}

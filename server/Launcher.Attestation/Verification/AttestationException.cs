namespace Launcher.Attestation.Verification;

/// <summary>Evidence that does not verify. The message says which check failed; it is safe for the peer and the audit log.</summary>
public sealed class AttestationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AttestationException(string message)
        : base(message)
    {
    }
}

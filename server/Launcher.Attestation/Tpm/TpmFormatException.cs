namespace Launcher.Attestation.Tpm;

/// <summary>A TPM structure that does not parse: truncated, oversized, or with values this library refuses.</summary>
public sealed class TpmFormatException : Exception
{
    /// <summary>Creates the exception with a message that is safe to show to the peer that sent the structure.</summary>
    public TpmFormatException(string message)
        : base(message)
    {
    }
}

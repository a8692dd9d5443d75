namespace Launcher.Contracts.Tpm;

/// <summary>
/// A TPM structure that does not parse: truncated, oversized, or with values the parsers refuse. It is a
/// <see cref="FormatException"/>, so code that handles malformed input in general handles it too.
/// </summary>
public sealed class TpmFormatException : FormatException
{
    /// <summary>Creates the exception with a message that is safe to show to the peer that sent the structure.</summary>
    public TpmFormatException(string message)
        : base(message)
    {
    }
}

namespace Launcher.Platform.Configuration;

/// <summary>A property list that is malformed, too large, too deep or uses a type the reader does not accept.</summary>
internal sealed class PlistFormatException : FormatException
{
    public PlistFormatException(string message)
        : base(message)
    {
    }

    public PlistFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

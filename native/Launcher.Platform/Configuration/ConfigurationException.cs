namespace Launcher.Platform.Configuration;

/// <summary>
/// The configuration cannot be used: an unknown key, a bad value, a file that cannot be read or trusted. The message
/// names the key and where it came from; the processes print it and exit with <see cref="ExitCode"/>.
/// </summary>
internal sealed class ConfigurationException : Exception
{
    /// <summary>sysexits' EX_CONFIG; the systemd unit does not restart the daemon on it (RestartPreventExitStatus).</summary>
    public const int ExitCode = 78;

    public ConfigurationException(string message, string? key = null)
        : base(message)
    {
        Key = key;
    }

    public ConfigurationException()
    {
    }

    public ConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The configuration key at fault, when there is one (e.g. <c>fleet:server</c>).</summary>
    public string? Key { get; }
}

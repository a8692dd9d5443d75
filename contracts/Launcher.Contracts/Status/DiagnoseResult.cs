namespace Launcher.Contracts.Status;

/// <summary>
/// The result of <c>daemon/diagnose</c> (admin): what <c>launcherctl doctor</c> needs from inside the daemon, which a
/// client cannot see for itself (the configuration in use, the key store's hardware, the state directory's disk).
/// </summary>
public sealed record DiagnoseResult
{
    /// <summary>The socket the daemon listens on.</summary>
    public required string SocketPath { get; init; }

    /// <summary>The daemon's state directory.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>The configuration file the daemon read at start; null when none.</summary>
    public string? ConfigurationFile { get; init; }

    /// <summary>The key store: the configured choice, the one in use and whether its hardware answers now.</summary>
    public required KeyStoreDiagnosis KeyStore { get; init; }

    /// <summary>The TPM, when the key store is a TPM (Linux); null otherwise.</summary>
    public TpmDiagnosis? Tpm { get; init; }

    /// <summary>Space on the file system that holds the state directory (and the notification outbox).</summary>
    public required DiskDiagnosis Disk { get; init; }
}

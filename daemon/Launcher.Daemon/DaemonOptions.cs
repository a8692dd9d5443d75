namespace Launcher.Daemon;

/// <summary>Everything <c>launcherd run</c> is configured with (command line, then defaults per platform).</summary>
internal sealed class DaemonOptions
{
    /// <summary>The Unix socket agents and launcherctl connect to.</summary>
    public required string SocketPath { get; init; }

    /// <summary>Root-owned directory for the key, the outbox and other state.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Unprivileged development mode: the daemon's own uid is admin, ownership checks are relaxed.</summary>
    public bool Dev { get; init; }

    /// <summary><c>auto</c>, <c>secure-enclave</c>, <c>tpm</c> or <c>software</c>.</summary>
    public string KeyStore { get; init; } = "auto";

    /// <summary>The TPM's TCTI configuration (Linux).</summary>
    public string TpmTcti { get; init; } = "device:/dev/tpmrm0";

    /// <summary>Whether a proof may be signed with an agent's user key when the machine key is unusable.</summary>
    public bool AllowUserKeyFallback { get; init; }

    /// <summary>Lifetime of a notification sent without one.</summary>
    public TimeSpan DefaultNotificationLifetime { get; init; } = TimeSpan.FromDays(1);

    /// <summary>How often unacknowledged notifications are sent again to connected agents.</summary>
    public TimeSpan RedeliveryInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long in-flight calls may finish after SIGTERM.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The JSON-RPC limits.</summary>
    public Launcher.Rpc.RpcLimits Limits { get; init; } = Launcher.Rpc.RpcLimits.Default;

    /// <summary>
    /// macOS: a code-signing requirement every non-root client must satisfy (checked against the audit token read
    /// right after accept), e.g. <c>(identifier "com.launcher.agent" or identifier "com.launcher.ctl") and anchor
    /// apple generic and certificate leaf[subject.OU] = "TEAMID"</c>. Defence in depth on top of the uid checks, not a
    /// substitute for them (docs/macos.md).
    /// </summary>
    public string? ClientRequirement { get; init; }

    /// <summary>
    /// macOS: how long one client's code-signing check may take; the check runs off the accept loop, and a client
    /// whose check takes longer is refused.
    /// </summary>
    public TimeSpan CodeSigningCheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>macOS: how many connections may wait for their code-signing check at once; more are refused.</summary>
    public int MaxPendingCodeSigningChecks { get; init; } = 64;

    /// <summary>The uid that counts as admin besides root (the daemon's own uid in dev mode).</summary>
    public uint? ExtraAdminUid { get; init; }
}

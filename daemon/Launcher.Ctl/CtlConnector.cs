using Launcher.Client;

namespace Launcher.Ctl;

/// <summary>Opens a client to the daemon (a Unix socket in production; tests pass an in-memory daemon).</summary>
internal delegate Task<LauncherClient> CtlConnector(string socketPath, TimeSpan timeout, CancellationToken cancellationToken);

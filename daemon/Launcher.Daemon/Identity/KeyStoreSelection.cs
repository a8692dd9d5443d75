using Launcher.Platform.Keys;

namespace Launcher.Daemon.Identity;

/// <summary>The key store chosen at start, and the warnings the choice carries (e.g. software fallback).</summary>
internal sealed record KeyStoreSelection(IKeyStore Store, IReadOnlyList<string> Warnings);

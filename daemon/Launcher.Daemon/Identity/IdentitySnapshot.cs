namespace Launcher.Daemon.Identity;

/// <summary>The identity's class, state and warnings at one moment (for status).</summary>
internal sealed record IdentitySnapshot(string KeyClass, string State, string? Reason, IReadOnlyList<string> Warnings);

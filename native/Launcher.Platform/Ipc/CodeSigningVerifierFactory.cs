namespace Launcher.Platform.Ipc;

/// <summary>The one place that decides which <see cref="ICodeSigningVerifier"/> this platform gets.</summary>
internal static class CodeSigningVerifierFactory
{
    /// <summary>
    /// A verifier for <paramref name="requirement"/> (code-signing requirement language, e.g.
    /// <c>identifier "com.launcher.agent" and anchor apple generic and certificate leaf[subject.OU] = "TEAMID"</c>).
    /// On macOS a requirement that does not compile throws <see cref="ArgumentException"/> here, at start, rather than
    /// denying every client later.
    /// </summary>
    public static ICodeSigningVerifier Create(string? requirement)
    {
        if (OperatingSystem.IsMacOS())
        {
            return string.IsNullOrWhiteSpace(requirement)
                ? new NoCodeSigningVerifier("no code-signing requirement configured")
                : new CodeSigningVerifier(requirement);
        }

        return string.IsNullOrWhiteSpace(requirement)
            ? new NoCodeSigningVerifier()
            : new NoCodeSigningVerifier(NoCodeSigningVerifier.NotOnThisPlatform + " (the configured requirement applies to macOS only)");
    }
}

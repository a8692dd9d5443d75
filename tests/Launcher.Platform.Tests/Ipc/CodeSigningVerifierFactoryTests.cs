using Launcher.Platform.Ipc;
using Launcher.Platform.Tests.MacOS;

namespace Launcher.Platform.Tests.Ipc;

public sealed class CodeSigningVerifierFactoryTests
{
    private static readonly PeerCredentials s_peer = new(1234, 501, 20, ReadOnlyMemory<byte>.Empty);

    [LinuxFact]
    public void NoRequirement_OffMac_IsSatisfiedWithReason()
    {
        ICodeSigningVerifier verifier = CodeSigningVerifierFactory.Create(null);

        Assert.True(verifier.Satisfies(s_peer, out string reason));
        Assert.Equal("code signing not checked on this platform", reason);
    }

    [LinuxFact]
    public void Requirement_OffMac_SaysItIsNotEnforced()
    {
        ICodeSigningVerifier verifier = CodeSigningVerifierFactory.Create("anchor apple generic");

        Assert.True(verifier.Satisfies(s_peer, out string reason));
        Assert.Contains("macOS only", reason, StringComparison.Ordinal);
    }
}

using System.Net.Sockets;
using System.Runtime.Versioning;
using Launcher.Platform.Facts;
using Launcher.Platform.Ipc;
using Launcher.Platform.Notifications;
using Launcher.Platform.Processes;

namespace Launcher.Platform.Tests.MacOS;

/// <summary>The macOS code paths against the real kernel and Security.framework; skipped off macOS.</summary>
public sealed class MacOSPlatformTests
{
    [MacOSFact]
    [SupportedOSPlatform("macos")]
    public void PeerCredentials_OverASocketPair_AreOurOwn()
    {
        (Socket server, Socket client) = ConnectedPair();
        using (server)
        using (client)
        {
            PeerCredentials peer = PeerCredentials.Get(server);

            Assert.Equal(Environment.ProcessId, peer.Pid);
            Assert.Equal(CurrentUser.EffectiveUid, peer.Uid);
            Assert.Equal(PeerCredentials.AuditTokenSize, peer.AuditToken.Length);
        }
    }

    [MacOSFact]
    [SupportedOSPlatform("macos")]
    public void CodeSigning_RequirementThatDoesNotCompile_FailsAtConstruction()
    {
        Assert.Throws<ArgumentException>(() => new CodeSigningVerifier("this is not a requirement ("));
    }

    [MacOSFact]
    [SupportedOSPlatform("macos")]
    public void CodeSigning_TestHostIsNotAppleSigned_IsDeniedWithReason()
    {
        (Socket server, Socket client) = ConnectedPair();
        using (server)
        using (client)
        {
            // The test host is dotnet (signed by Microsoft, or not at all in a local build), never by Apple itself.
            var verifier = new CodeSigningVerifier("anchor apple");

            bool satisfied = verifier.Satisfies(PeerCredentials.Get(server), out string reason);

            Assert.False(satisfied);
            Assert.Contains("does not satisfy", reason, StringComparison.Ordinal);
        }
    }

    /// <summary>The escaping checked by the real AppleScript compiler: a literal must evaluate to the original text.</summary>
    [MacOSFact]
    [SupportedOSPlatform("macos")]
    public async Task AppleScriptLiteral_EvaluatesToTheOriginalText()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        const string hostile = "quote \" backslash \\ tab\t line\nend \" & (do shell script \"id\") & \"";

        ProcessResult result = await ProcessRunner.RunAsync(
            "/usr/bin/osascript", ["-e", "return " + OsaScriptCommand.Quote(hostile)], TimeSpan.FromSeconds(20), timeout.Token);

        Assert.True(result.Succeeded, result.Describe());
        Assert.Equal(hostile, result.StandardOutput.TrimEnd('\n'));
    }

    [MacOSFact]
    [SupportedOSPlatform("macos")]
    public async Task MachineFacts_OnThisMac_NameTheOperatingSystem()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        MachineFacts facts = await MachineFactsCollector.CollectAsync(timeout.Token);

        Assert.Contains("mac", facts.OsName ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        Assert.False(string.IsNullOrEmpty(facts.OsVersion));
        Assert.False(string.IsNullOrEmpty(facts.Model));
        Assert.Null(facts.MachineIdFile);
    }

    private static (Socket Server, Socket Client) ConnectedPair()
    {
        string path = Path.Combine(Path.GetTempPath(), $"lnk-{Guid.NewGuid():N}"[..20] + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        client.Connect(new UnixDomainSocketEndPoint(path));
        Socket server = listener.Accept();
        File.Delete(path);
        return (server, client);
    }
}

using Launcher.Contracts.FleetLink;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Status;
using Launcher.Ctl.Doctor;

namespace Launcher.Ctl.Tests.Doctor;

public sealed class DoctorChecksTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly PathFacts s_rootDir755 = new(0, (UnixFileMode)0b111_101_101, false, true, false);

    [Fact]
    public void Socket_InAWorldWritableDirectory_Fails()
    {
        var socket = new PathFacts(0, (UnixFileMode)0b110_110_110, true, false, false);
        var directory = s_rootDir755 with { Mode = (UnixFileMode)0b111_111_111 };

        DoctorCheck check = DoctorChecks.Socket("/run/launcher/launcherd.sock", socket, directory, devMode: false);

        Assert.Equal(DoctorStatus.Fail, check.Status);
        Assert.Equal("sudo chmod 0755 /run/launcher", check.Fix);
    }

    [Fact]
    public void Socket_NotOwnedByRoot_FailsOutsideDevMode()
    {
        var socket = new PathFacts(1000, (UnixFileMode)0b110_110_110, true, false, false);

        Assert.Equal(DoctorStatus.Fail, DoctorChecks.Socket("/run/l/s.sock", socket, s_rootDir755, devMode: false).Status);
        Assert.Equal(DoctorStatus.Ok, DoctorChecks.Socket("/run/l/s.sock", socket, s_rootDir755 with { Owner = 1000 }, devMode: true).Status);
    }

    [Fact]
    public void Socket_WrongMode_Warns_NotASocket_Fails()
    {
        var narrow = new PathFacts(0, (UnixFileMode)0b110_000_000, true, false, false);
        var file = narrow with { IsSocket = false };

        Assert.Equal(DoctorStatus.Warn, DoctorChecks.Socket("/run/l/s.sock", narrow, s_rootDir755, false).Status);
        Assert.Equal(DoctorStatus.Fail, DoctorChecks.Socket("/run/l/s.sock", file, s_rootDir755, false).Status);
        Assert.Equal(DoctorStatus.Fail, DoctorChecks.Socket("/run/l/s.sock", null, s_rootDir755, false).Status);
    }

    [Theory]
    [InlineData(0b111_000_000, 0u, "ok")]
    [InlineData(0b111_101_000, 0u, "warn")]
    [InlineData(0b111_111_000, 0u, "fail")]
    [InlineData(0b111_000_000, 1000u, "fail")]
    public void StateDirectory_OwnerAndMode(int mode, uint owner, string expected)
    {
        var facts = new PathFacts(owner, (UnixFileMode)mode, false, true, false);

        DoctorCheck check = DoctorChecks.StateDirectory("/var/lib/launcher", facts, devMode: false);

        Assert.Equal(expected, DoctorFormatter.Name(check.Status));
        Assert.True(expected == "ok" || check.Fix is not null);
    }

    [Theory]
    [InlineData(IdentityStates.Ready, "ok")]
    [InlineData(IdentityStates.Lost, "fail")]
    [InlineData(IdentityStates.Unavailable, "fail")]
    public void Identity_ByState(string state, string expected)
    {
        DoctorCheck check = DoctorChecks.Identity(Samples.Status() with { IdentityState = state });

        Assert.Equal(expected, DoctorFormatter.Name(check.Status));
        if (state == IdentityStates.Lost)
        {
            Assert.Contains("identity reset --yes", check.Fix, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void KeyStore_Software_Warns_UnavailableHardware_Fails()
    {
        DiagnoseResult software = DoctorCommandTests.Diagnosis() with { KeyStore = new KeyStoreDiagnosis { Configured = "auto", KeyClass = "software", Available = true, Detail = "file" }, Tpm = null };
        DiagnoseResult broken = DoctorCommandTests.Diagnosis(tpmReachable: false);

        Assert.Equal(DoctorStatus.Warn, DoctorChecks.KeyStore(software, null).Status);
        Assert.Equal(DoctorStatus.Fail, DoctorChecks.KeyStore(broken, null).Status);
        Assert.Equal(DoctorStatus.Fail, DoctorChecks.Tpm(broken, null, macOS: false).Status);
        Assert.Equal(DoctorStatus.Skip, DoctorChecks.Tpm(software, null, macOS: false).Status);
        Assert.Equal(DoctorStatus.Skip, DoctorChecks.Tpm(broken, null, macOS: true).Status);
    }

    [Theory]
    [InlineData(5, "ok")]
    [InlineData(-45, "warn")]
    [InlineData(301, "fail")]
    public void Clock_BySkew(int seconds, string expected)
    {
        var fleet = new FleetFacts("https://f.example", true, true, "m", null, null);

        DoctorCheck check = DoctorChecks.Clock(fleet, s_now.AddSeconds(-seconds), null, s_now);

        Assert.Equal(expected, DoctorFormatter.Name(check.Status));
    }

    [Fact]
    public void Clock_NotEnrolled_IsSkippedWithTheReason()
    {
        DoctorCheck check = DoctorChecks.Clock(null, null, null, s_now);

        Assert.Equal(DoctorStatus.Skip, check.Status);
        Assert.Contains("not enrolled", check.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Fleet_ExpiredCertificate_Fails_Disconnected_Warns_NotEnrolled_Skips()
    {
        StatusResult status = Samples.Status();

        Assert.Equal(DoctorStatus.Fail, DoctorChecks.Fleet(status, new FleetFacts("https://f", true, true, "m", s_now.AddMinutes(-1), null), s_now).Status);
        Assert.Equal(DoctorStatus.Warn, DoctorChecks.Fleet(status, new FleetFacts("https://f", true, false, "m", s_now.AddDays(30), "refused"), s_now).Status);
        Assert.Equal(DoctorStatus.Ok, DoctorChecks.Fleet(status, new FleetFacts("https://f", true, true, "m", s_now.AddDays(30), null), s_now).Status);

        // A fresh 24 h certificate is fine; one that should have been renewed hours ago is a warning.
        Assert.Equal(DoctorStatus.Ok, DoctorChecks.Fleet(status, new FleetFacts("https://f", true, true, "m", s_now.AddHours(23), null), s_now).Status);
        Assert.Equal(DoctorStatus.Warn, DoctorChecks.Fleet(status, new FleetFacts("https://f", true, true, "m", s_now.AddHours(5), null), s_now).Status);
        Assert.Equal(DoctorStatus.Skip, DoctorChecks.Fleet(status, new FleetFacts("https://f", false, false, null, null, null), s_now).Status);
        Assert.Equal("not enrolled (this daemon has no fleet link)", DoctorChecks.Fleet(status, null, s_now).Summary);
    }

    [Fact]
    public void Fleet_Configured_Enrolling_Warns_WithTheLastTry()
    {
        var fleet = new FleetFacts(null, false, false, null, null, "The connection to https://f.example failed: refused", "https://f.example", FleetConfiguredStates.Enrolling);

        DoctorCheck check = DoctorChecks.Fleet(Samples.Status(), fleet, s_now);

        Assert.Equal(DoctorStatus.Warn, check.Status);
        Assert.StartsWith("configured, enrolling", check.Summary, StringComparison.Ordinal);
        Assert.Contains("https://f.example", check.Summary, StringComparison.Ordinal);
        Assert.Contains("failed: refused", check.Summary, StringComparison.Ordinal);
        Assert.Contains("retries by itself", check.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Fleet_Configured_Refused_FailsWithTheReason()
    {
        const string Reason = "The fleet server refused the enrolment: The enrolment token is unknown, expired, used up or revoked. (InvalidToken, code 2002).";
        var fleet = new FleetFacts(null, false, false, null, null, Reason, "https://f.example", FleetConfiguredStates.Refused, Reason);

        DoctorCheck check = DoctorChecks.Fleet(Samples.Status(), fleet, s_now);

        Assert.Equal(DoctorStatus.Fail, check.Status);
        Assert.StartsWith("configured, refused: ", check.Summary, StringComparison.Ordinal);
        Assert.Contains("InvalidToken", check.Summary, StringComparison.Ordinal);
        Assert.Contains("fleet:enrolmentToken", check.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Fleet_EnrolledWithAnotherServerThanConfigured_Warns()
    {
        var fleet = new FleetFacts("https://old.example", true, true, "m", s_now.AddDays(30), null, "https://new.example", FleetConfiguredStates.OtherServer);

        DoctorCheck check = DoctorChecks.Fleet(Samples.Status(), fleet, s_now);

        Assert.Equal(DoctorStatus.Warn, check.Status);
        Assert.Contains("enrolled with another server than configured", check.Summary, StringComparison.Ordinal);
        Assert.Contains("https://old.example", check.Summary, StringComparison.Ordinal);
        Assert.Contains("https://new.example", check.Summary, StringComparison.Ordinal);
        Assert.Contains("fleet leave", check.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Fleet_ConfiguredWithoutToken_IsSkippedWithTheCommand()
    {
        var fleet = new FleetFacts(null, false, false, null, null, null, "https://f.example", FleetConfiguredStates.NoToken);

        DoctorCheck check = DoctorChecks.Fleet(Samples.Status(), fleet, s_now);

        Assert.Equal(DoctorStatus.Skip, check.Status);
        Assert.Contains("launcherctl fleet enroll --server https://f.example", check.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8L << 20, "fail")]
    [InlineData(100L << 20, "warn")]
    [InlineData(2L << 30, "ok")]
    public void Disk_ByFreeSpace(long available, string expected)
    {
        Assert.Equal(expected, DoctorFormatter.Name(DoctorChecks.Disk("/var/lib/launcher", (available, 100L << 30)).Status));
    }

    [Fact]
    public void Agents_MacOS_SuggestsLaunchctl()
    {
        DoctorCheck check = DoctorChecks.Agents(Samples.Status() with { Agents = [] }, [new LoggedInUser(501, "alice")], null, macOS: true);

        Assert.Equal(DoctorStatus.Warn, check.Status);
        Assert.Equal("sudo launchctl kickstart -k gui/501/com.launcher.agent", check.Fix);
    }

    [Fact]
    public void ParseLoginctl_And_Who()
    {
        IReadOnlyList<LoggedInUser> users = SystemDoctorHost.ParseLoginctl(" 1000 alice\n    0 root  \n 1001 bob no\n");
        IReadOnlyList<string> names = SystemDoctorHost.ParseWho("alice    tty2         2026-11-30 10:00 (:0)\nalice pts/1 2026-11-30 10:05\nbob pts/2 x\n");

        Assert.Equal([new LoggedInUser(1000, "alice"), new LoggedInUser(0, "root"), new LoggedInUser(1001, "bob")], users);
        Assert.Equal(["alice", "bob"], names);
    }

    [Fact]
    public void Report_ExitCodeFollowsTheWorst()
    {
        Assert.Equal(0, new DoctorReport([DoctorCheck.Ok("a", "x"), DoctorCheck.Skip("b", "y")]).ExitCode);
        Assert.Equal(CtlExitCodes.DoctorWarnings, new DoctorReport([DoctorCheck.Ok("a", "x"), DoctorCheck.Warn("b", "y", "z")]).ExitCode);
        Assert.Equal(CtlExitCodes.DoctorFailures, new DoctorReport([DoctorCheck.Fail("a", "x", "f"), DoctorCheck.Warn("b", "y", "z")]).ExitCode);
    }
}

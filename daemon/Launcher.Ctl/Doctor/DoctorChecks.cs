using System.Globalization;
using Launcher.Contracts;
using Launcher.Contracts.FleetLink;
using Launcher.Contracts.Identity;
using Launcher.Contracts.Status;

namespace Launcher.Ctl.Doctor;

/// <summary>
/// Each check as a function of what was gathered, so tests can give any combination. Every result that is not ok
/// carries one line that says what to do.
/// </summary>
internal static class DoctorChecks
{
    public const string DaemonName = "daemon";
    public const string SocketName = "socket";
    public const string StateDirName = "state-dir";
    public const string KeyStoreName = "key-store";
    public const string IdentityName = "identity";
    public const string TpmName = "tpm";
    public const string FleetName = "fleet";
    public const string ClockName = "clock";
    public const string AgentsName = "agents";
    public const string DiskName = "disk";

    /// <summary>Below this much free space the outbox may fail to commit: fail.</summary>
    public const long DiskFailBytes = 16L * 1024 * 1024;

    /// <summary>Below this much free space: warn.</summary>
    public const long DiskWarnBytes = 256L * 1024 * 1024;

    /// <summary>Proofs carry <c>iat</c> and the server allows 300 s of skew: past that, authentication fails.</summary>
    public static readonly TimeSpan ClockFail = TimeSpan.FromSeconds(300);

    public static readonly TimeSpan ClockWarn = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Warn when the machine certificate has less than this left: certificates live 24 h and the daemon renews them
    /// at half-life while connected, so under 6 h left means renewal has not happened for hours.
    /// </summary>
    public static readonly TimeSpan CertificateWarn = TimeSpan.FromHours(6);

    private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
        | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    public static DoctorCheck Daemon(StatusResult? status, string? error, bool macOS) => status is null
        ? DoctorCheck.Fail(DaemonName, error ?? "launcherd does not answer", macOS
            ? "sudo launchctl kickstart -k system/com.launcher.daemon; its log: /var/log/launcher/launcherd.log"
            : "sudo systemctl restart launcherd; its log: journalctl -u launcherd -e")
        : DoctorCheck.Ok(DaemonName, string.Create(CultureInfo.InvariantCulture, $"launcherd {status.Version}, pid {status.Pid}, up {StatusFormatter.FormatDuration(status.UptimeSeconds)}{(status.DevMode ? " (DEV MODE)" : string.Empty)}"));

    public static DoctorCheck Socket(string path, PathFacts? socket, PathFacts? directory, bool devMode)
    {
        if (socket is null)
        {
            return DoctorCheck.Fail(SocketName, $"{path} does not exist", "start launcherd, or pass the right --socket");
        }

        if (!socket.IsSocket)
        {
            return DoctorCheck.Fail(SocketName, $"{path} is not a socket", $"stop launcherd, remove {path}, start launcherd");
        }

        if (directory is not null && (directory.Mode & GroupOrOtherWrite) != 0)
        {
            return DoctorCheck.Fail(SocketName, $"{Path.GetDirectoryName(path)} is writable by group or others ({Octal(directory.Mode)}): anyone could replace the socket", $"sudo chmod 0755 {Path.GetDirectoryName(path)}");
        }

        if (!devMode && (socket.Owner != 0 || directory is { Owner: not 0 }))
        {
            return DoctorCheck.Fail(SocketName, $"{path} or its directory is not owned by root (socket uid {socket.Owner}, directory uid {directory?.Owner})", "stop whatever created it, then restart launcherd as root");
        }

        if (socket.Mode != SocketMode)
        {
            return DoctorCheck.Warn(SocketName, $"{path} has mode {Octal(socket.Mode)}, not 0666: some users' agents cannot connect", "restart launcherd (it sets the mode when it binds)");
        }

        return DoctorCheck.Ok(SocketName, $"{path}: socket 0666, owner uid {socket.Owner}, directory {(directory is null ? "?" : Octal(directory.Mode))}");
    }

    /// <param name="confirmed">True when the daemon reported the path; false for the platform default a non-root
    /// caller guesses (the daemon may have been given another state directory).</param>
    public static DoctorCheck StateDirectory(string? path, PathFacts? facts, bool devMode, bool confirmed = true)
    {
        if (path is null)
        {
            return DoctorCheck.Skip(StateDirName, "the state directory is not known (a --dev daemon reports it to root only)", RunAsRoot);
        }

        if (facts is null)
        {
            return confirmed
                ? DoctorCheck.Fail(StateDirName, $"{path} does not exist", "restart launcherd (it creates its state directory)")
                : DoctorCheck.Skip(StateDirName, $"{path} does not exist, and only root learns the daemon's state directory", RunAsRoot);
        }

        if (!facts.IsDirectory)
        {
            return DoctorCheck.Fail(StateDirName, $"{path} is not a directory", $"move {path} aside and restart launcherd");
        }

        if (!devMode && facts.Owner != 0)
        {
            return DoctorCheck.Fail(StateDirName, $"{path} is owned by uid {facts.Owner}, not root: the machine key is not protected", $"sudo chown root {path}");
        }

        if ((facts.Mode & GroupOrOtherWrite) != 0)
        {
            return DoctorCheck.Fail(StateDirName, $"{path} is writable by group or others ({Octal(facts.Mode)})", $"sudo chmod 0700 {path}");
        }

        if ((facts.Mode & GroupOrOther) != 0)
        {
            return DoctorCheck.Warn(StateDirName, $"{path} is readable by group or others ({Octal(facts.Mode)})", $"sudo chmod 0700 {path}");
        }

        return DoctorCheck.Ok(StateDirName, $"{path}: 0700, owner uid {facts.Owner}");
    }

    /// <summary>The fix for a check that needs daemon/diagnose, which only root may call.</summary>
    public const string RunAsRoot = "sudo launcherctl doctor";

    public static DoctorCheck KeyStore(DiagnoseResult? diagnosis, string? missing, string? missingFix = null)
    {
        if (diagnosis is null)
        {
            return DoctorCheck.Skip(KeyStoreName, missing ?? "not known", missingFix);
        }

        KeyStoreDiagnosis store = diagnosis.KeyStore;
        if (!store.Available)
        {
            return DoctorCheck.Fail(KeyStoreName, $"{store.KeyClass} (configured {store.Configured}) is not available: {store.Detail}", store.KeyClass == KeyClasses.Tpm
                ? "check the TPM: ls -l /dev/tpmrm0; dmesg | grep -i tpm; is it enabled in the firmware?"
                : "see the daemon's log; on macOS the Secure Enclave needs Apple silicon or a T2 chip");
        }

        if (store.KeyClass == KeyClasses.Software)
        {
            return DoctorCheck.Warn(KeyStoreName, $"a SOFTWARE key (configured {store.Configured}): no hardware protection", "enable the TPM (Linux) or use a Mac with a Secure Enclave, then set keyStore to auto");
        }

        return DoctorCheck.Ok(KeyStoreName, $"{store.KeyClass} (configured {store.Configured}): {store.Detail}");
    }

    public static DoctorCheck Identity(StatusResult? status)
    {
        if (status is null)
        {
            return DoctorCheck.Skip(IdentityName, "the daemon does not answer");
        }

        return status.IdentityState switch
        {
            IdentityStates.Ready => DoctorCheck.Ok(IdentityName, $"ready ({status.KeyClass})"),
            IdentityStates.Lost => DoctorCheck.Fail(IdentityName, "LOST: the machine key cannot be used any more", "sudo launcherctl identity reset --yes, then re-enrol the machine in the fleet"),
            IdentityStates.Unavailable => DoctorCheck.Fail(IdentityName, "unavailable: the key store does not answer (retried)", "see the key-store and tpm checks and the daemon's log"),
            string other => DoctorCheck.Warn(IdentityName, $"state {other}", "see the daemon's log"),
            null => DoctorCheck.Warn(IdentityName, "no identity state reported", "see the daemon's log"),
        };
    }

    public static DoctorCheck Tpm(DiagnoseResult? diagnosis, string? missing, bool macOS, string? missingFix = null)
    {
        if (macOS)
        {
            return DoctorCheck.Skip(TpmName, "macOS keeps the machine key in the Secure Enclave");
        }

        if (diagnosis is null)
        {
            return DoctorCheck.Skip(TpmName, missing ?? "not known", missingFix);
        }

        if (diagnosis.Tpm is not TpmDiagnosis tpm)
        {
            return DoctorCheck.Skip(TpmName, $"the key store is {diagnosis.KeyStore.KeyClass}, not a TPM");
        }

        if (!tpm.Reachable)
        {
            return DoctorCheck.Fail(TpmName, $"{tpm.Tcti} does not answer: {tpm.Error}", "ls -l /dev/tpmrm0; sudo tpm2_getcap properties-fixed; check the firmware settings");
        }

        string maker = tpm.Manufacturer is null ? tpm.ManufacturerId ?? "unknown" : $"{tpm.Manufacturer} ({tpm.ManufacturerId})";
        return DoctorCheck.Ok(TpmName, $"{tpm.Tcti}: made by {maker}, firmware {tpm.FirmwareVersion}");
    }

    public static DoctorCheck Fleet(StatusResult? status, FleetFacts? fleet, DateTimeOffset now)
    {
        if (status is null)
        {
            return DoctorCheck.Skip(FleetName, "the daemon does not answer");
        }

        if (fleet is null)
        {
            return DoctorCheck.Skip(FleetName, "not enrolled (this daemon has no fleet link)");
        }

        if (!fleet.Enrolled)
        {
            return fleet.ConfiguredState switch
            {
                FleetConfiguredStates.Enrolling => DoctorCheck.Warn(
                    FleetName,
                    $"configured, enrolling: not enrolled with {fleet.ConfiguredServer} yet{(fleet.LastError is null ? string.Empty : "; last try: " + fleet.LastError)}",
                    $"the daemon retries by itself; if this lasts, check the network path to {fleet.ConfiguredServer}, fleet:caFile and the daemon's log"),
                FleetConfiguredStates.Refused => DoctorCheck.Fail(
                    FleetName,
                    $"configured, refused: {fleet.ConfiguredServer} refused the configured enrolment: {fleet.ConfiguredRefusal ?? fleet.LastError ?? "no reason given"}",
                    "ask the fleet admin for a new enrolment token, put it in fleet:enrolmentToken and restart launcherd (or run launcherctl fleet enroll); launcherctl fleet leave --yes retries the configured one"),
                FleetConfiguredStates.NoToken => DoctorCheck.Skip(
                    FleetName,
                    $"not enrolled; fleet:server is {fleet.ConfiguredServer} without fleet:enrolmentToken",
                    $"launcherctl fleet enroll --server {fleet.ConfiguredServer} --token T, or set fleet:enrolmentToken"),
                _ => DoctorCheck.Skip(FleetName, fleet.Server is null ? "not enrolled" : $"not enrolled with {fleet.Server}", "enrol with an enrolment token from the fleet admin (fleet:enrolmentToken)"),
            };
        }

        if (fleet.CertificateExpiresAt is DateTimeOffset expires && expires <= now)
        {
            return DoctorCheck.Fail(FleetName, $"the machine certificate expired {expires:u}", "check the fleet link's log; the daemon renews it while connected");
        }

        if (fleet.ConfiguredState == FleetConfiguredStates.OtherServer)
        {
            return DoctorCheck.Warn(
                FleetName,
                $"enrolled with another server than configured: enrolled with {fleet.Server} ({(fleet.Connected ? "connected" : "not connected")}), but fleet:server is {fleet.ConfiguredServer}",
                $"to move to {fleet.ConfiguredServer}: launcherctl fleet leave --yes (the daemon then enrols with fleet:enrolmentToken); to stay: set fleet:server to {fleet.Server}");
        }

        if (!fleet.Connected)
        {
            return DoctorCheck.Warn(FleetName, $"enrolled with {fleet.Server} but not connected{(fleet.LastError is null ? string.Empty : ": " + fleet.LastError)}", $"check the network path to {fleet.Server} and the daemon's log");
        }

        if (fleet.CertificateExpiresAt is DateTimeOffset soon && soon - now < CertificateWarn)
        {
            return DoctorCheck.Warn(FleetName, $"the machine certificate expires {soon:u}", "check the fleet link's log; the daemon renews it while connected");
        }

        return DoctorCheck.Ok(FleetName, $"connected to {fleet.Server} as {fleet.MachineId ?? "?"}{(fleet.CertificateExpiresAt is DateTimeOffset e ? $", certificate until {e:u}" : string.Empty)}");
    }

    public static DoctorCheck Clock(FleetFacts? fleet, DateTimeOffset? serverDate, string? error, DateTimeOffset now)
    {
        if (fleet is not { Enrolled: true, Server: not null })
        {
            return DoctorCheck.Skip(ClockName, "not enrolled: no fleet server to compare the clock with");
        }

        if (serverDate is not DateTimeOffset date)
        {
            return DoctorCheck.Warn(ClockName, $"cannot read {fleet.Server}'s clock: {error}", $"check the network path to {fleet.Server}");
        }

        TimeSpan skew = now - date;
        string text = string.Create(CultureInfo.InvariantCulture, $"{Math.Abs(skew.TotalSeconds):0} s {(skew >= TimeSpan.Zero ? "ahead of" : "behind")} {fleet.Server}");
        TimeSpan size = skew.Duration();
        return size >= ClockFail ? DoctorCheck.Fail(ClockName, text + ": proofs will be refused", "enable time sync: timedatectl set-ntp true (macOS: sntp -sS time.apple.com)")
            : size >= ClockWarn ? DoctorCheck.Warn(ClockName, text, "enable time sync: timedatectl set-ntp true (macOS: sntp -sS time.apple.com)")
            : DoctorCheck.Ok(ClockName, text + " (the Date header has 1 s resolution)");
    }

    public static DoctorCheck Agents(StatusResult? status, IReadOnlyList<LoggedInUser>? users, string? error, bool macOS)
    {
        if (status is null)
        {
            return DoctorCheck.Skip(AgentsName, "the daemon does not answer");
        }

        if (users is null)
        {
            return DoctorCheck.Skip(AgentsName, $"cannot list logged-in users: {error}");
        }

        // System accounts and display-manager greeters run no agent.
        uint firstHuman = macOS ? 500u : 1000u;
        LoggedInUser[] people = [.. users.Where(u => u.Uid >= firstHuman && u.Uid != uint.MaxValue - 1).DistinctBy(u => u.Uid).OrderBy(u => u.Uid)];
        if (people.Length == 0)
        {
            return DoctorCheck.Ok(AgentsName, $"nobody is logged in; {status.Agents.Count} agent(s) connected");
        }

        var connected = status.Agents.Where(a => a.Connections > 0).Select(a => a.Uid).ToHashSet();
        LoggedInUser[] missing = [.. people.Where(u => !connected.Contains(u.Uid))];
        string list = string.Join(", ", people.Select(u => $"{u.Name} ({u.Uid}) {(connected.Contains(u.Uid) ? "ok" : "NO AGENT")}"));
        if (missing.Length == 0)
        {
            return DoctorCheck.Ok(AgentsName, list);
        }

        LoggedInUser first = missing[0];
        string fix = macOS
            ? $"sudo launchctl kickstart -k gui/{first.Uid}/com.launcher.agent"
            : $"sudo systemctl --user --machine={first.Name}@ restart launcher-agent; its log: journalctl --user -u launcher-agent";
        return DoctorCheck.Warn(AgentsName, list, fix);
    }

    public static DoctorCheck Disk(string? path, (long Available, long Total)? space)
    {
        if (path is null)
        {
            return DoctorCheck.Skip(DiskName, "the state directory is not known", RunAsRoot);
        }

        if (space is not (long available, long total))
        {
            return DoctorCheck.Skip(DiskName, $"the file system of {path} cannot be measured (does it exist?)");
        }

        string text = string.Create(CultureInfo.InvariantCulture, $"{Mib(available)} free of {Mib(total)} on the file system of {path} (the notification outbox)");
        return available < DiskFailBytes ? DoctorCheck.Fail(DiskName, text, $"free space on the file system of {path}: notifications cannot be queued")
            : available < DiskWarnBytes ? DoctorCheck.Warn(DiskName, text, $"free space on the file system of {path}")
            : DoctorCheck.Ok(DiskName, text);
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0} MiB");

    internal static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xFFF, 8).PadLeft(3, '0');
}

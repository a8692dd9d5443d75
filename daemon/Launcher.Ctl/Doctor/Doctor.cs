using System.Text.Json;
using Launcher.Client;
using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Platform.Ipc;
using Launcher.Rpc;

namespace Launcher.Ctl.Doctor;

/// <summary>
/// Gathers what doctor needs (daemon/status for anyone, daemon/diagnose for root, the file system, login sessions,
/// the fleet server's clock) and runs every check. A daemon that does not answer is a failed check, not an abort.
/// </summary>
internal static class Doctor
{
    public static async Task<DoctorReport> RunAsync(Func<CancellationToken, Task<LauncherClient>> connect, string socketPath, IDoctorHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(host);
        StatusResult? status = null;
        JsonElement rawStatus = default;
        DiagnoseResult? diagnosis = null;
        string? daemonError = null;
        string? diagnoseMissing = null;
        string? diagnoseFix = null;
        try
        {
            LauncherClient client = await connect(cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                rawStatus = await client.InvokeRawAsync(Methods.DaemonStatus, EmptyParams.Instance, cancellationToken).ConfigureAwait(false);
                status = CtlEnvironment.Read(rawStatus, LauncherJsonContext.Default.StatusResult);
                try
                {
                    diagnosis = await client.InvokeAsync(Methods.DaemonDiagnose, EmptyParams.Instance, cancellationToken).ConfigureAwait(false);
                }
                catch (RpcException ex) when (ex.Code == ErrorCodes.AccessDenied)
                {
                    diagnoseMissing = "needs root: the daemon reports its key store, TPM and disk to admins only";
                    diagnoseFix = DoctorChecks.RunAsRoot;
                }
                catch (RpcException ex) when (ex.Code == RpcErrorCodes.MethodNotFound)
                {
                    diagnoseMissing = "this daemon is older than daemon/diagnose";
                }
            }
        }
        catch (Exception ex) when (CtlErrors.Map(ex, socketPath) is CtlFailure failure)
        {
            daemonError = failure.Message.Replace("launcherctl: ", string.Empty, StringComparison.Ordinal);
            diagnoseMissing = "the daemon does not answer";
        }

        bool dev = status?.DevMode ?? false;
        string? stateDirectory = diagnosis?.StateDirectory ?? (status is { DevMode: true } ? null : DefaultPaths.DaemonStateDirectory(dev: false));
        FleetFacts? fleet = status is null ? null : FleetFacts.FromStatus(rawStatus);
        (IReadOnlyList<LoggedInUser>? users, string? usersError) = await host.LoggedInUsersAsync(cancellationToken).ConfigureAwait(false);
        DateTimeOffset? serverDate = null;
        string? clockError = null;
        if (fleet is { Enrolled: true, Server: string server } && Uri.TryCreate(server, UriKind.Absolute, out Uri? serverUri))
        {
            (serverDate, clockError) = await host.ServerDateAsync(serverUri, cancellationToken).ConfigureAwait(false);
        }

        PathFacts? stateFacts = stateDirectory is null ? null : host.Stat(stateDirectory);
        (long, long)? disk = diagnosis is not null
            ? (diagnosis.Disk.AvailableBytes, diagnosis.Disk.TotalBytes)
            : stateFacts is null ? null : host.Disk(stateDirectory!);
        DateTimeOffset now = host.Now;
        return new DoctorReport(
        [
            DoctorChecks.Daemon(status, daemonError, host.IsMacOS),
            DoctorChecks.Socket(socketPath, host.Stat(socketPath), host.Stat(Path.GetDirectoryName(socketPath)!), dev),
            DoctorChecks.StateDirectory(stateDirectory, stateFacts, dev, confirmed: diagnosis is not null),
            DoctorChecks.KeyStore(diagnosis, diagnoseMissing, diagnoseFix),
            DoctorChecks.Identity(status),
            DoctorChecks.Tpm(diagnosis, diagnoseMissing, host.IsMacOS, diagnoseFix),
            DoctorChecks.Fleet(status, fleet, now),
            DoctorChecks.Clock(fleet, serverDate, clockError, now),
            DoctorChecks.Agents(status, users, usersError, host.IsMacOS),
            DoctorChecks.Disk(stateDirectory, disk),
        ]);
    }
}

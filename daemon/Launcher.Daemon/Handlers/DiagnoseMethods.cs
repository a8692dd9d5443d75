using Launcher.Contracts;
using Launcher.Contracts.Status;
using Launcher.Daemon.Dispatch;
using Launcher.Daemon.Identity;
using Launcher.Platform.Keys;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Handlers;

/// <summary>
/// <c>daemon/diagnose</c> (admin): the facts <c>launcherctl doctor</c> cannot see from outside. Asking the TPM is a
/// device round trip, so it runs on the thread pool rather than on the connection's read loop.
/// </summary>
internal sealed class DiagnoseMethods : IMethodModule
{
    private readonly DaemonOptions _options;
    private readonly KeyStoreSelection _selection;
    private readonly ILogger<DiagnoseMethods> _logger;

    public DiagnoseMethods(DaemonOptions options, KeyStoreSelection selection, ILogger<DiagnoseMethods> logger)
    {
        _options = options;
        _selection = selection;
        _logger = logger;
    }

    public void Register(MethodRegistry registry)
    {
        registry.Register(Methods.DaemonDiagnose, (session, request, cancellationToken) =>
        {
            Log.DiagnoseRequested(_logger, session.Caller.ToString());
            return new ValueTask<DiagnoseResult>(Task.Run(Diagnose, cancellationToken));
        });
    }

    private DiagnoseResult Diagnose()
    {
        IKeyStore store = _selection.Store;
        KeyStoreAvailability availability = store.CheckAvailability();
        return new DiagnoseResult
        {
            SocketPath = _options.SocketPath,
            StateDirectory = _options.StateDirectory,
            ConfigurationFile = _options.ConfigurationFile,
            KeyStore = new KeyStoreDiagnosis
            {
                Configured = _options.KeyStore,
                KeyClass = store.KeyClass,
                Available = availability.IsAvailable,
                Detail = availability.Reason,
            },
            Tpm = store is TpmKeyStore tpm ? Tpm(tpm) : null,
            Disk = Disk(),
        };
    }

    private TpmDiagnosis Tpm(TpmKeyStore tpm)
    {
        try
        {
            TpmDeviceInfo info = tpm.ReadDeviceInfo();
            return new TpmDiagnosis
            {
                Tcti = _options.TpmTcti,
                Reachable = true,
                ManufacturerId = info.ManufacturerId,
                Manufacturer = info.ManufacturerName,
                FirmwareVersion = info.FirmwareVersion,
            };
        }
        catch (IOException ex)
        {
            return new TpmDiagnosis { Tcti = _options.TpmTcti, Reachable = false, Error = ex.Message };
        }
    }

    private DiskDiagnosis Disk()
    {
        var drive = new DriveInfo(_options.StateDirectory);
        return new DiskDiagnosis { Path = _options.StateDirectory, AvailableBytes = drive.AvailableFreeSpace, TotalBytes = drive.TotalSize };
    }
}

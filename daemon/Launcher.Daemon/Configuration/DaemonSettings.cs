using System.Globalization;
using Launcher.Contracts.Notifications;
using Launcher.Platform.Configuration;
using Launcher.Platform.Ipc;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Configuration;

/// <summary>
/// Turns the layered configuration into <see cref="DaemonOptions"/>: every value typed and range-checked, with an
/// error naming the key and where it came from. Defaults are the platform's (<see cref="DefaultPaths"/>).
/// </summary>
internal static class DaemonSettings
{
    public static readonly string[] KeyStores = ["auto", "secure-enclave", "tpm", "software"];
    public static readonly string[] LogLevels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None"];

    private const int MaxTokenLength = 1024;
    private const int MinTokenLength = 8;

    public static (DaemonOptions Options, LogLevel LogLevel) Read(LayeredConfiguration config, bool dev, uint euid, string? configurationFile = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        string socket = config.GetAbsolutePath(DaemonConfigurationKeys.Socket) ?? DefaultPaths.DaemonSocket(dev);
        if (UnixSocketPath.Check(socket) is string tooLong)
        {
            throw config.Invalid(DaemonConfigurationKeys.Socket, tooLong);
        }

        string stateDir = config.GetAbsolutePath(DaemonConfigurationKeys.StateDir) ?? DefaultPaths.DaemonStateDirectory(dev);
        string keyStore = config.GetChoice(DaemonConfigurationKeys.KeyStore, KeyStores) ?? "auto";
        string tcti = config.GetString(DaemonConfigurationKeys.TpmTcti, 512) ?? "device:/dev/tpmrm0";
        if (!tcti.Contains(':', StringComparison.Ordinal) && tcti is not ("device" or "swtpm" or "mssim" or "tabrmd"))
        {
            throw config.Invalid(DaemonConfigurationKeys.TpmTcti, "must be a TCTI such as device:/dev/tpmrm0 or swtpm:host=127.0.0.1,port=2321");
        }

        LogLevel level = Enum.Parse<LogLevel>(config.GetChoice(DaemonConfigurationKeys.LogLevel, LogLevels) ?? nameof(LogLevel.Information));
        double redelivery = config.GetNumber(DaemonConfigurationKeys.RedeliverySeconds, 0.1, 86_400) ?? 60;
        double lifetime = config.GetNumber(DaemonConfigurationKeys.NotificationLifetimeSeconds, 1, NotificationLimits.MaxExpiresInSeconds) ?? 86_400;

        var options = new DaemonOptions
        {
            SocketPath = socket,
            StateDirectory = stateDir,
            Dev = dev,
            KeyStore = keyStore,
            TpmTcti = tcti,
            AllowUserKeyFallback = config.GetBool(DaemonConfigurationKeys.AllowUserKeyFallback) ?? false,
            RedeliveryInterval = TimeSpan.FromSeconds(redelivery),
            DefaultNotificationLifetime = TimeSpan.FromSeconds(lifetime),
            ExtraAdminUid = dev ? euid : null,
            ClientRequirement = config.GetString(DaemonConfigurationKeys.ClientRequirement),
            Limits = ReadLimits(config),
            FleetConfiguration = ReadFleet(config, euid),
            UserKeyUids = ReadUids(config),
            ConfigurationFile = configurationFile,
        };
        return (options, level);
    }

    private static RpcLimits ReadLimits(LayeredConfiguration config)
    {
        RpcLimits defaults = RpcLimits.Default;
        long? maxMessage = config.GetInteger(DaemonConfigurationKeys.LimitsMaxMessageBytes, 4096, 64L * 1024 * 1024);
        long? inFlight = config.GetInteger(DaemonConfigurationKeys.LimitsMaxRequestsInFlight, 1, 65_536);
        long? connections = config.GetInteger(DaemonConfigurationKeys.LimitsMaxConnections, 1, 1_000_000);
        long? perUid = config.GetInteger(DaemonConfigurationKeys.LimitsMaxConnectionsPerUid, 1, 1_000_000);
        double? idle = config.GetNumber(DaemonConfigurationKeys.LimitsIdleTimeoutSeconds, 0, 86_400);
        double? call = config.GetNumber(DaemonConfigurationKeys.LimitsCallTimeoutSeconds, 1, 3_600);
        if (maxMessage is null && inFlight is null && connections is null && perUid is null && idle is null && call is null)
        {
            // Nothing configured: keep the engine's defaults object as is.
            return defaults;
        }

        if (perUid is not null && perUid > (connections ?? defaults.MaxConnections))
        {
            throw config.Invalid(DaemonConfigurationKeys.LimitsMaxConnectionsPerUid, string.Create(CultureInfo.InvariantCulture, $"must not exceed limits:maxConnections ({connections ?? defaults.MaxConnections})"));
        }

        // Only what the configuration names changes; every other limit keeps the engine's default.
        return defaults with
        {
            MaxMessageBytes = (int)(maxMessage ?? defaults.MaxMessageBytes),
            MaxRequestsInFlight = (int)(inFlight ?? defaults.MaxRequestsInFlight),
            MaxConnections = (int)(connections ?? defaults.MaxConnections),
            MaxConnectionsPerUid = (int)(perUid ?? defaults.MaxConnectionsPerUid),

            // 0 turns the idle timeout off.
            IdleTimeout = idle is null ? defaults.IdleTimeout : idle == 0 ? null : TimeSpan.FromSeconds(idle.Value),
            CallTimeout = call is null ? defaults.CallTimeout : TimeSpan.FromSeconds(call.Value),
        };
    }

    private static IReadOnlyList<uint> ReadUids(LayeredConfiguration config)
    {
        string? text = config.GetString(DaemonConfigurationKeys.UserKeyUids, 1024);
        if (text is null)
        {
            return [];
        }

        var uids = new List<uint>();
        foreach (string part in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out uint uid))
            {
                throw config.Invalid(DaemonConfigurationKeys.UserKeyUids, "must be uids separated by commas, e.g. 501,502");
            }

            uids.Add(uid);
        }

        return uids;
    }

    private static FleetSettings ReadFleet(LayeredConfiguration config, uint euid)
    {
        string? server = config.GetString(DaemonConfigurationKeys.FleetServer, 2048);
        string? token = config.GetString(DaemonConfigurationKeys.FleetEnrolmentToken, MaxTokenLength);
        string? caFile = config.GetAbsolutePath(DaemonConfigurationKeys.FleetCaFile);
        if (server is null)
        {
            if (caFile is not null)
            {
                throw config.Invalid(DaemonConfigurationKeys.FleetCaFile, "a fleet CA needs fleet:server too");
            }

            return token is null
                ? FleetSettings.None
                : throw config.Invalid(DaemonConfigurationKeys.FleetEnrolmentToken, "an enrolment token needs fleet:server too");
        }

        Uri normalised = NormaliseServer(server) ?? throw config.Invalid(
            DaemonConfigurationKeys.FleetServer,
            "must be an https:// URL of the server alone (https://host[:port], no path, query or user name)");
        if (token is not null && (token.Length < MinTokenLength || token.Any(c => c <= ' ' || c > '~')))
        {
            throw config.Invalid(DaemonConfigurationKeys.FleetEnrolmentToken, $"must be {MinTokenLength} to {MaxTokenLength} printable ASCII characters without spaces");
        }

        string? caPem = caFile is null ? null : FleetCaFile.Read(caFile, euid, reason => config.Invalid(DaemonConfigurationKeys.FleetCaFile, reason));
        return new FleetSettings { Server = normalised, EnrolmentToken = token, CaFile = caFile, CaCertificatePem = caPem };
    }

    /// <summary>https://host[:port], lower-case host, default port omitted (what the fleet protocol's <c>aud</c> uses).</summary>
    internal static Uri? NormaliseServer(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri)
            || uri.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(uri.UserInfo)
            || uri.AbsolutePath is not ("/" or "")
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment)
            || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }

        string port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        return new Uri($"https://{uri.Host.ToLowerInvariant()}{port}", UriKind.Absolute);
    }
}

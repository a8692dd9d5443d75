using Launcher.Platform.Configuration;

namespace Launcher.Daemon.Configuration;

/// <summary>
/// Every key of launcherd's configuration (docs/configuration.md). A file, managed preferences and the command line
/// use the same names; anything else is refused at start.
/// </summary>
internal static class DaemonConfigurationKeys
{
    public const string Socket = "socket";
    public const string StateDir = "stateDir";
    public const string KeyStore = "keyStore";
    public const string TpmTcti = "tpmTcti";
    public const string AllowUserKeyFallback = "allowUserKeyFallback";
    public const string UserKeyUids = "userKeyUids";
    public const string ClientRequirement = "clientRequirement";
    public const string RedeliverySeconds = "redeliverySeconds";
    public const string NotificationLifetimeSeconds = "notificationLifetimeSeconds";
    public const string LogLevel = "logLevel";
    public const string FleetServer = "fleet:server";
    public const string FleetEnrolmentToken = "fleet:enrolmentToken";
    public const string FleetCaFile = "fleet:caFile";
    public const string LimitsMaxMessageBytes = "limits:maxMessageBytes";
    public const string LimitsMaxRequestsInFlight = "limits:maxRequestsInFlight";
    public const string LimitsMaxConnections = "limits:maxConnections";
    public const string LimitsMaxConnectionsPerUid = "limits:maxConnectionsPerUid";
    public const string LimitsIdleTimeoutSeconds = "limits:idleTimeoutSeconds";
    public const string LimitsCallTimeoutSeconds = "limits:callTimeoutSeconds";

    public static ConfigurationSchema Schema { get; } = new(
        [
            Socket, StateDir, KeyStore, TpmTcti, AllowUserKeyFallback, UserKeyUids, ClientRequirement, RedeliverySeconds,
            NotificationLifetimeSeconds, LogLevel, FleetServer, FleetEnrolmentToken, FleetCaFile, LimitsMaxMessageBytes,
            LimitsMaxRequestsInFlight, LimitsMaxConnections, LimitsMaxConnectionsPerUid, LimitsIdleTimeoutSeconds,
            LimitsCallTimeoutSeconds,
        ],
        secrets: [FleetEnrolmentToken]);
}

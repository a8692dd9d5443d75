using Launcher.Fleet.Pki;
using Launcher.Fleet.Policy;
using Launcher.Fleet.Store;

namespace Launcher.Fleet.Services;

/// <summary>What every service of one instance shares: the database and its stores, the PKI, the policy, the clock.</summary>
internal sealed class FleetContext
{
    public FleetContext(FleetDatabase database, FleetPki pki, PolicyEngine policy, FleetServerOptions options, TimeProvider time)
    {
        Database = database;
        Pki = pki;
        Policy = policy;
        Options = options;
        Time = time;
        Machines = new MachineStore(database);
        Tokens = new TokenStore(database);
        Nonces = new NonceStore(database);
        Notifications = new NotificationStore(database);
        Broadcasts = new BroadcastStore(database);
        Presence = new PresenceStore(database);
        Audit = new AuditStore(database);
        ConsoleSessions = new ConsoleSessionStore(database);
        InstanceId = "i_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
    }

    public FleetDatabase Database { get; }

    public FleetPki Pki { get; }

    public PolicyEngine Policy { get; }

    public FleetServerOptions Options { get; }

    public FleetServerLimits Limits => Options.Limits;

    public TimeProvider Time { get; }

    public MachineStore Machines { get; }

    public TokenStore Tokens { get; }

    public NonceStore Nonces { get; }

    public NotificationStore Notifications { get; }

    public BroadcastStore Broadcasts { get; }

    public PresenceStore Presence { get; }

    public AuditStore Audit { get; }

    public ConsoleSessionStore ConsoleSessions { get; }

    /// <summary>This instance's id in presence rows.</summary>
    public string InstanceId { get; }

    /// <summary>The public URL machines use as aud (set once the listener is bound).</summary>
    public string Audience { get; set; } = string.Empty;

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();
}

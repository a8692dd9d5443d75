using Launcher.Contracts.Agents;
using Launcher.Rpc;

namespace Launcher.Daemon.Ipc;

/// <summary>One client connection of the daemon: its kernel identity and, once registered, its agent role.</summary>
internal sealed class Session
{
    private static long s_nextId;
    private int _deliveriesInFlight;

    public Session(Caller caller, JsonRpcConnection connection)
    {
        Caller = caller;
        Connection = connection;
        Id = Interlocked.Increment(ref s_nextId);
    }

    public long Id { get; }

    public Caller Caller { get; }

    public JsonRpcConnection Connection { get; }

    /// <summary>Set once by agent/register; null for launcherctl and other clients.</summary>
    public string? AgentId { get; private set; }

    public bool IsAgent => AgentId is not null;

    public UserKeyInfo? UserKey { get; private set; }

    public string? Presenter { get; private set; }

    /// <summary>What the agent's presenter can do (none when it advertised nothing).</summary>
    public PresenterCapabilities Capabilities { get; private set; } = PresenterCapabilities.None;

    /// <summary>The caller class for the permission table.</summary>
    public CallerClass Class => Caller.IsAdmin ? CallerClass.Admin : IsAgent ? CallerClass.Agent : CallerClass.User;

    /// <summary>Counts a background delivery to this connection unless <paramref name="max"/> are under way.</summary>
    public bool TryBeginDelivery(int max)
    {
        if (Interlocked.Increment(ref _deliveriesInFlight) <= max)
        {
            return true;
        }

        Interlocked.Decrement(ref _deliveriesInFlight);
        return false;
    }

    public void EndDelivery() => Interlocked.Decrement(ref _deliveriesInFlight);

    public bool TryMarkRegistered(string agentId, string? presenter, PresenterCapabilities? capabilities, UserKeyInfo? userKey)
    {
        if (AgentId is not null)
        {
            return false;
        }

        Presenter = presenter;
        Capabilities = capabilities ?? PresenterCapabilities.None;
        UserKey = userKey;
        AgentId = agentId;
        return true;
    }
}

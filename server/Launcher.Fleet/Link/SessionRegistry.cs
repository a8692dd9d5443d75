using System.Collections.Concurrent;

namespace Launcher.Fleet.Link;

/// <summary>The connections this instance holds: authenticated ones by machine id, and a count of unauthenticated ones.</summary>
internal sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, LinkSession> _byMachine = new(StringComparer.Ordinal);
    private readonly int _maxUnauthenticated;
    private int _unauthenticated;

    public SessionRegistry(FleetServerLimits limits)
    {
        _maxUnauthenticated = limits.MaxUnauthenticatedConnections;
    }

    public int Unauthenticated => Volatile.Read(ref _unauthenticated);

    public int Authenticated => _byMachine.Count;

    /// <summary>Takes a slot for a new, unauthenticated connection; false when the bound is reached.</summary>
    public bool TryAdmit()
    {
        if (Interlocked.Increment(ref _unauthenticated) > _maxUnauthenticated)
        {
            Interlocked.Decrement(ref _unauthenticated);
            return false;
        }

        return true;
    }

    /// <summary>Gives back an unauthenticated slot (the connection authenticated or ended).</summary>
    public void Release() => Interlocked.Decrement(ref _unauthenticated);

    /// <summary>Registers an authenticated session; returns the session it replaces (the same machine connected again).</summary>
    public LinkSession? Register(string machineId, LinkSession session)
    {
        LinkSession? previous = null;
        _byMachine.AddOrUpdate(machineId, session, (_, existing) =>
        {
            previous = existing;
            return session;
        });
        return ReferenceEquals(previous, session) ? null : previous;
    }

    /// <summary>Removes the session if it is still the one registered for its machine.</summary>
    public bool Remove(string machineId, LinkSession session) => _byMachine.TryRemove(new KeyValuePair<string, LinkSession>(machineId, session));

    public bool TryGet(string machineId, out LinkSession session) => _byMachine.TryGetValue(machineId, out session!);

    public IReadOnlyList<LinkSession> Snapshot() => _byMachine.Values.ToList();
}

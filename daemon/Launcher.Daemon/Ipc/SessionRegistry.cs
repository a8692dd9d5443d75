using Launcher.Contracts.Status;

namespace Launcher.Daemon.Ipc;

/// <summary>Every open session, with agents indexed by uid and connections counted per uid for the limits.</summary>
internal sealed class SessionRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, Session> _sessions = [];
    private readonly Dictionary<uint, int> _connectionsPerUid = [];
    private readonly Dictionary<uint, List<Session>> _agentsByUid = [];
    private int _adminSessions;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>
    /// Adds a session unless a cap is reached; the reason says which. Non-admin callers together stop at
    /// <see cref="ConnectionCaps.NonAdminTotal"/>, so the admin reserve stays free for root.
    /// </summary>
    public bool TryAdd(Session session, ConnectionCaps caps, out string? reason)
    {
        lock (_lock)
        {
            if (_sessions.Count >= caps.Total)
            {
                reason = $"the daemon has {caps.Total} connections open";
                return false;
            }

            if (!session.Caller.IsAdmin && _sessions.Count - _adminSessions >= caps.NonAdminTotal)
            {
                reason = $"non-admin callers hold {caps.NonAdminTotal} connections, the rest is reserved for admins";
                return false;
            }

            _connectionsPerUid.TryGetValue(session.Caller.Uid, out int perUid);
            if (!session.Caller.IsAdmin && perUid >= caps.PerUid)
            {
                reason = $"uid {session.Caller.Uid} has {caps.PerUid} connections open";
                return false;
            }

            _sessions.Add(session.Id, session);
            _connectionsPerUid[session.Caller.Uid] = perUid + 1;
            if (session.Caller.IsAdmin)
            {
                _adminSessions++;
            }

            reason = null;
            return true;
        }
    }

    public void Remove(Session session)
    {
        lock (_lock)
        {
            if (!_sessions.Remove(session.Id))
            {
                return;
            }

            if (session.Caller.IsAdmin)
            {
                _adminSessions--;
            }

            uint uid = session.Caller.Uid;
            if (--_connectionsPerUid[uid] == 0)
            {
                _connectionsPerUid.Remove(uid);
            }

            if (session.IsAgent && _agentsByUid.TryGetValue(uid, out List<Session>? agents))
            {
                agents.Remove(session);
                if (agents.Count == 0)
                {
                    _agentsByUid.Remove(uid);
                }
            }
        }
    }

    /// <summary>Indexes a session that just registered as an agent (it must be in the registry).</summary>
    public void AddAgent(Session session)
    {
        lock (_lock)
        {
            if (!_sessions.ContainsKey(session.Id))
            {
                return;
            }

            if (!_agentsByUid.TryGetValue(session.Caller.Uid, out List<Session>? agents))
            {
                agents = [];
                _agentsByUid[session.Caller.Uid] = agents;
            }

            agents.Add(session);
        }
    }

    /// <summary>The agent sessions of one uid, or of every uid when <paramref name="uid"/> is null.</summary>
    public IReadOnlyList<Session> Agents(uint? uid)
    {
        lock (_lock)
        {
            if (uid is uint one)
            {
                return _agentsByUid.TryGetValue(one, out List<Session>? agents) ? agents.ToArray() : [];
            }

            return _agentsByUid.Values.SelectMany(a => a).ToArray();
        }
    }

    public IReadOnlyList<Session> All()
    {
        lock (_lock)
        {
            return _sessions.Values.ToArray();
        }
    }

    public IReadOnlyList<AgentCount> AgentCounts()
    {
        lock (_lock)
        {
            return _agentsByUid.OrderBy(p => p.Key).Select(p => new AgentCount
            {
                Uid = p.Key,
                Connections = p.Value.Count,
                Presenters = p.Value.Select(s => new AgentPresenterInfo { AgentId = s.AgentId!, Presenter = s.Presenter, Capabilities = s.Capabilities }).ToArray(),
            }).ToArray();
        }
    }
}

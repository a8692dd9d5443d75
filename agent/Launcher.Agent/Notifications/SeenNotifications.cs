using System.Text.Json;
using Launcher.Contracts.Notifications;
using Launcher.Platform.Files;

namespace Launcher.Agent.Notifications;

/// <summary>
/// The notification ids this user's agent has taken on, so each is shown at most once, across reconnects and
/// agent restarts. Bounded: the least recently seen completed ids are forgotten beyond the capacity (the daemon
/// stops delivering an id once it is acknowledged or expired, so only recent ids can come back).
/// </summary>
/// <remarks>
/// Persisted as one JSON file in the agent's state directory, replaced atomically (temporary file, fsync, rename)
/// on every change, mode 0600, never through a symbolic link. An id is written as "in progress" before the presenter
/// runs: after a kill -9 in the middle, the restarted agent does not show it again (at most once, as the design
/// promises) and acknowledges it as failed with that reason.
/// </remarks>
internal sealed class SeenNotifications
{
    public const int DefaultCapacity = 10_000;
    public const string FileName = "seen-notifications.json";
    public const string InterruptedDetail = "the agent stopped while showing it; not shown again so that it cannot appear twice";
    private const int FileVersion = 1;
    private const int MaxFileBytes = 16 * 1024 * 1024;
    private const int MaxDetailLength = 256;

    private readonly string? _path;
    private readonly int _capacity;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<SeenRecord>> _byId = new(StringComparer.Ordinal);
    private readonly LinkedList<SeenRecord> _order = new();

    private SeenNotifications(string? path, int capacity, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _path = path;
        _capacity = capacity;
        _time = time;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>The file, or null when nothing is persisted.</summary>
    public string? Path => _path;

    /// <summary>An empty set that lives in memory only.</summary>
    public static SeenNotifications InMemory(int capacity = DefaultCapacity, TimeProvider? time = null) =>
        new(null, capacity, time ?? TimeProvider.System);

    /// <summary>
    /// Loads the set from <paramref name="path"/> (a missing file is an empty set). A file that cannot be read or
    /// parsed is moved aside and the set starts empty; <paramref name="problem"/> says so for the log, because
    /// ids seen before may then be shown once more.
    /// </summary>
    public static SeenNotifications Load(string path, int capacity, TimeProvider time, out string? problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var seen = new SeenNotifications(path, capacity, time);
        problem = null;
        byte[] bytes;
        try
        {
            bytes = SecureFile.ReadAllBytes(path, MaxFileBytes);
        }
        catch (FileNotFoundException)
        {
            return seen;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            problem = $"{path} cannot be read ({ex.Message}); starting with an empty set";
            return seen;
        }

        SeenFile? file;
        try
        {
            file = JsonSerializer.Deserialize(bytes, AgentJsonContext.Default.SeenFile);
        }
        catch (JsonException ex)
        {
            file = null;
            problem = $"{path} is not valid ({ex.Message})";
        }

        if (file is null || file.Version != FileVersion || file.Entries is null)
        {
            problem ??= $"{path} has an unknown format";
            problem += "; moved aside to " + MoveAside(path) + ", starting with an empty set";
            return seen;
        }

        bool interrupted = false;
        foreach (SeenRecord record in file.Entries)
        {
            if (record?.Id is not { Length: > 0 })
            {
                continue;
            }

            SeenRecord loaded = record;
            if (record.InProgress || !NotificationOutcomes.IsKnown(record.Outcome!))
            {
                loaded = record with { Outcome = NotificationOutcomes.Failed, Detail = InterruptedDetail };
                interrupted = true;
            }

            seen.Put(loaded);
        }

        lock (seen._lock)
        {
            seen.EvictLocked();
            if (interrupted)
            {
                seen.SaveLocked();
            }
        }

        return seen;
    }

    /// <summary>The record for <paramref name="id"/>, or null; a hit counts as recent use.</summary>
    public SeenRecord? Find(string id)
    {
        lock (_lock)
        {
            if (!_byId.TryGetValue(id, out LinkedListNode<SeenRecord>? node))
            {
                return null;
            }

            _order.Remove(node);
            _order.AddLast(node);
            return node.Value;
        }
    }

    /// <summary>
    /// Takes <paramref name="id"/> on: false with the existing record when it was seen already; true once the
    /// in-progress record is persisted, so a crash from here on never shows it twice.
    /// </summary>
    public bool TryBegin(string id, out SeenRecord? existing)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out LinkedListNode<SeenRecord>? node))
            {
                _order.Remove(node);
                _order.AddLast(node);
                existing = node.Value;
                return false;
            }

            existing = null;
            Put(new SeenRecord(id, null, null, _time.GetUtcNow()));
            EvictLocked();
            SaveLocked();
            return true;
        }
    }

    /// <summary>
    /// Records the outcome that is acknowledged for <paramref name="id"/>, now and on every repeat delivery, unless
    /// the recorded one is of a later stage (a click that arrived before the presenter returned "shown" stays a
    /// click). Returns the record that is now in force.
    /// </summary>
    public SeenRecord Complete(string id, string outcome, string? detail, string? actionId = null)
    {
        if (!NotificationOutcomes.IsKnown(outcome))
        {
            throw new ArgumentException("Unknown outcome.", nameof(outcome));
        }

        string? kept = detail is { Length: > MaxDetailLength } ? detail[..MaxDetailLength] : detail;
        var record = new SeenRecord(id, outcome, kept, _time.GetUtcNow(), actionId);
        lock (_lock)
        {
            if (_byId.TryGetValue(id, out LinkedListNode<SeenRecord>? existing)
                && existing.Value.Outcome is string current
                && !NotificationOutcomes.Supersedes(outcome, current))
            {
                return existing.Value;
            }

            Put(record);
            EvictLocked();
            SaveLocked();
        }

        return record;
    }

    /// <summary>Forgets an id that was taken on but could not be queued, so the next delivery tries again.</summary>
    public void Forget(string id)
    {
        lock (_lock)
        {
            if (_byId.Remove(id, out LinkedListNode<SeenRecord>? node))
            {
                _order.Remove(node);
                SaveLocked();
            }
        }
    }

    /// <summary>The records, least recently used first.</summary>
    public IReadOnlyList<SeenRecord> Snapshot()
    {
        lock (_lock)
        {
            return [.. _order];
        }
    }

    private void Put(SeenRecord record)
    {
        if (_byId.TryGetValue(record.Id, out LinkedListNode<SeenRecord>? node))
        {
            _order.Remove(node);
            node.Value = record;
            _order.AddLast(node);
            return;
        }

        _byId[record.Id] = _order.AddLast(record);
    }

    private void EvictLocked()
    {
        // Oldest first; an id still being shown is never dropped (there are at most a queue's worth of those).
        LinkedListNode<SeenRecord>? node = _order.First;
        while (_byId.Count > _capacity && node is not null)
        {
            LinkedListNode<SeenRecord>? next = node.Next;
            if (!node.Value.InProgress)
            {
                _order.Remove(node);
                _byId.Remove(node.Value.Id);
            }

            node = next;
        }
    }

    private void SaveLocked()
    {
        if (_path is null)
        {
            return;
        }

        var file = new SeenFile(FileVersion, [.. _order]);
        SecureFile.WriteAllBytesAtomic(_path, JsonSerializer.SerializeToUtf8Bytes(file, AgentJsonContext.Default.SeenFile));
    }

    private static string MoveAside(string path)
    {
        string aside = path + ".corrupt";
        try
        {
            File.Move(path, aside, overwrite: true);
            return aside;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"(failed: {ex.Message})";
        }
    }
}

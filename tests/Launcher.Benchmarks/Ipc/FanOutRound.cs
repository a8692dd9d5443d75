using System.Collections.Concurrent;
using System.Diagnostics;

namespace Launcher.Benchmarks.Ipc;

/// <summary>One notification/send to every agent: counts shows and acks, and stamps when the last one arrived.</summary>
internal sealed class FanOutRound
{
    private readonly int _expected;
    private readonly TaskCompletionSource _allAcked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, int> _ids = new(StringComparer.Ordinal);
    private int _shows;
    private int _acks;
    private int _recorded;
    private int _failed;

    public FanOutRound(int expected)
    {
        _expected = expected;
    }

    public long LastShowAt { get; private set; }

    public long LastAckAt { get; private set; }

    public Task AllAcked => _allAcked.Task;

    public int Shows => Volatile.Read(ref _shows);

    public int Acks => Volatile.Read(ref _acks);

    /// <summary>Acks the daemon recorded as the first for this uid (exactly one expected: all agents share a uid).</summary>
    public int Recorded => Volatile.Read(ref _recorded);

    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Distinct notification ids seen (one expected).</summary>
    public int DistinctIds => _ids.Count;

    public void OnShow(string id)
    {
        _ids.TryAdd(id, 0);
        if (Interlocked.Increment(ref _shows) == _expected)
        {
            LastShowAt = Stopwatch.GetTimestamp();
        }
    }

    public void OnAck(bool alreadyAcknowledged)
    {
        if (!alreadyAcknowledged)
        {
            Interlocked.Increment(ref _recorded);
        }

        Finish();
    }

    public void OnAckFailed()
    {
        Interlocked.Increment(ref _failed);
        Finish();
    }

    private void Finish()
    {
        if (Interlocked.Increment(ref _acks) == _expected)
        {
            LastAckAt = Stopwatch.GetTimestamp();
            _allAcked.TrySetResult();
        }
    }
}

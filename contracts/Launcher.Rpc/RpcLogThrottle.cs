using Microsoft.Extensions.Logging;

namespace Launcher.Rpc;

/// <summary>
/// A budget of log lines that a peer's input may cause (malformed or unknown messages, denials, limits it ran
/// into): at most a number of lines per interval. A connection's throttle may have a parent shared by several
/// connections (the daemon gives all connections of one uid the same parent); a line is written only when both
/// have room. What is held back is counted on the outermost throttle and summarised in one line ("suppressed N log
/// messages caused by uid U in the last T s") when its interval ends: at most one summary per interval, so the
/// summaries cannot be flooded either.
/// </summary>
public sealed class RpcLogThrottle : IDisposable
{
    private readonly RpcLogThrottle? _parent;
    private readonly int _maxPerInterval;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _windowStart;
    private int _count;
    private long _suppressed;
    private long _suppressedTotal;
    private ITimer? _summaryTimer;
    private ILogger? _summaryLogger;

    /// <summary>Creates a throttle.</summary>
    /// <param name="name">Who causes the lines, for the summary (e.g. "uid 1001").</param>
    /// <param name="maxPerInterval">Lines allowed per interval.</param>
    /// <param name="interval">The interval.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="parent">A budget shared with other connections, or null.</param>
    public RpcLogThrottle(string name, int maxPerInterval, TimeSpan interval, TimeProvider? timeProvider = null, RpcLogThrottle? parent = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerInterval);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        Name = name ?? throw new ArgumentNullException(nameof(name));
        _maxPerInterval = maxPerInterval;
        _interval = interval;
        _time = timeProvider ?? TimeProvider.System;
        _parent = parent;
        _windowStart = _time.GetTimestamp();
    }

    /// <summary>Who causes the lines.</summary>
    public string Name { get; }

    /// <summary>Lines held back since this throttle was created (on the outermost throttle: for every child).</summary>
    public long SuppressedTotal
    {
        get
        {
            lock (Root._gate)
            {
                return _suppressedTotal;
            }
        }
    }

    private RpcLogThrottle Root => _parent ?? this;

    /// <summary>
    /// True when one more peer-caused line may be written now; false when it is to be counted instead. A summary of
    /// what the last interval held back is written to <paramref name="logger"/> first when that interval is over.
    /// </summary>
    public bool Allow(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        RpcLogThrottle root = Root;
        long summary;
        double seconds;
        bool allowed;
        lock (root._gate)
        {
            long now = _time.GetTimestamp();
            (summary, seconds) = root.RollLocked(now);
            if (!ReferenceEquals(root, this))
            {
                _ = RollLocked(now);
            }

            if (_count >= _maxPerInterval || (_parent is not null && _parent._count >= _parent._maxPerInterval))
            {
                root._suppressed++;
                root._suppressedTotal++;
                root.ArmSummaryLocked(logger, now);
                allowed = false;
            }
            else
            {
                _count++;
                if (_parent is not null)
                {
                    _parent._count++;
                }

                allowed = true;
            }
        }

        if (summary > 0)
        {
            Log.PeerLogSuppressed(logger, summary, root.Name, seconds);
        }

        return allowed;
    }

    /// <summary>
    /// For a throttle of its own (no parent), writes the summary of what is held back now (its connection is
    /// closing). A throttle with a parent leaves that to the parent, which other connections may still be adding to.
    /// </summary>
    public void Flush(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (_parent is not null)
        {
            return;
        }

        long summary;
        double seconds;
        lock (_gate)
        {
            summary = _suppressed;
            seconds = Math.Round(_time.GetElapsedTime(_windowStart).TotalSeconds, 1);
            _suppressed = 0;
            _summaryTimer?.Dispose();
            _summaryTimer = null;
        }

        if (summary > 0)
        {
            Log.PeerLogSuppressed(logger, summary, Name, seconds);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _summaryTimer?.Dispose();
            _summaryTimer = null;
        }
    }

    // The first line held back in an interval arms one timer for the interval's end, which writes the summary even
    // when the peer has gone quiet (or away) by then.
    private void ArmSummaryLocked(ILogger logger, long now)
    {
        if (_summaryTimer is not null)
        {
            return;
        }

        _summaryLogger = logger;
        TimeSpan due = _interval - _time.GetElapsedTime(_windowStart, now);
        _summaryTimer = _time.CreateTimer(static state => ((RpcLogThrottle)state!).OnSummaryDue(), this, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void OnSummaryDue()
    {
        long summary;
        double seconds;
        ILogger? logger;
        lock (_gate)
        {
            _summaryTimer?.Dispose();
            _summaryTimer = null;
            logger = _summaryLogger;
            long now = _time.GetTimestamp();
            (summary, seconds) = RollLocked(now);
            if (summary == 0 && _suppressed > 0 && logger is not null)
            {
                // The timer fired a moment before the interval ended by this clock: wait for the rest, or the summary
                // would wait for a next peer line that may never come.
                ArmSummaryLocked(logger, now);
                return;
            }
        }

        if (summary > 0 && logger is not null)
        {
            Log.PeerLogSuppressed(logger, summary, Name, seconds);
        }
    }

    private (long Suppressed, double Seconds) RollLocked(long now)
    {
        TimeSpan elapsed = _time.GetElapsedTime(_windowStart, now);
        if (elapsed < _interval)
        {
            return (0, 0);
        }

        long suppressed = _suppressed;
        _suppressed = 0;
        _count = 0;
        _windowStart = now;
        return (suppressed, Math.Round(elapsed.TotalSeconds, 1));
    }
}

using System.Net;
using System.Net.Sockets;

namespace Launcher.Fleet.Web;

/// <summary>
/// Slows, then refuses, repeated failed console sign-ins from one client address (docs/fleet-api.md, "Sign-in
/// throttle"). Every attempt is counted as a failure when it starts and forgiven when it succeeds, so concurrent
/// guesses cannot slip past the count. The table has a fixed capacity
/// (<see cref="FleetServerLimits.SignInThrottleCapacity"/>): when it is full, the entry idle longest is dropped.
/// IPv6 clients count by their /64, the block one host usually controls.
/// </summary>
/// <remarks>
/// ASP.NET Core's rate limiting middleware does not fit: its lease is taken before the endpoint runs, so it counts
/// every attempt, not failures (a busy admin would be refused with a valid token), and its partitioned limiter keeps
/// one limiter per client address in a dictionary without a capacity (idle ones are swept on a timer; a spray of
/// IPv6 source addresses grows it without bound).
/// </remarks>
internal sealed class SignInThrottle
{
    private readonly FleetServerLimits _limits;
    private readonly Dictionary<string, Entry> _entries;
    private readonly Lock _lock = new();

    public SignInThrottle(FleetServerLimits limits)
    {
        _limits = limits;
        _entries = new Dictionary<string, Entry>(limits.SignInThrottleCapacity, StringComparer.Ordinal);
    }

    /// <summary>Addresses tracked now (never more than the capacity).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Starts a sign-in attempt from <paramref name="address"/>: refused (with the seconds until the address may try
    /// again) when it is locked out; otherwise counted as a failure until <see cref="Succeeded"/>, with the delay to
    /// hold its answer by if it fails, and whether its failure is the one that locks the address out.
    /// </summary>
    public (bool Allowed, int RetryAfterSeconds, TimeSpan DelayIfFailed, bool LocksOutIfFailed) Begin(IPAddress? address, long now)
    {
        string key = Key(address);
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out Entry? entry))
            {
                if (entry.LockedUntil > now)
                {
                    entry.LastAt = now;
                    return (false, (int)Math.Ceiling((entry.LockedUntil - now) / 1000.0), TimeSpan.Zero, false);
                }

                if (entry.LockedUntil != 0 || now - entry.WindowStart >= (long)_limits.SignInFailureWindow.TotalMilliseconds)
                {
                    entry.Reset(now);
                }
            }
            else
            {
                if (_entries.Count >= _limits.SignInThrottleCapacity)
                {
                    EvictIdlest();
                }

                entry = new Entry();
                entry.Reset(now);
                _entries[key] = entry;
            }

            entry.Failures++;
            entry.LastAt = now;
            if (entry.Failures >= _limits.SignInFailuresBeforeLockout)
            {
                entry.LockedUntil = now + (long)_limits.SignInLockout.TotalMilliseconds;
            }

            return (true, 0, entry.Failures > _limits.SignInFailuresBeforeDelay ? _limits.SignInFailureDelay : TimeSpan.Zero, entry.Failures == _limits.SignInFailuresBeforeLockout);
        }
    }

    /// <summary>A sign-in from <paramref name="address"/> succeeded: its count is forgiven.</summary>
    public void Succeeded(IPAddress? address)
    {
        string key = Key(address);
        lock (_lock)
        {
            _entries.Remove(key);
        }
    }

    /// <summary>The address an attempt counts against: IPv4 as is (also when mapped to IPv6), IPv6 by its /64.</summary>
    public static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return "?";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        byte[] bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private void EvictIdlest()
    {
        string? idlest = null;
        long oldest = long.MaxValue;
        foreach ((string key, Entry entry) in _entries)
        {
            if (entry.LastAt < oldest)
            {
                oldest = entry.LastAt;
                idlest = key;
            }
        }

        if (idlest is not null)
        {
            _entries.Remove(idlest);
        }
    }

    private sealed class Entry
    {
        public int Failures { get; set; }

        public long WindowStart { get; set; }

        public long LockedUntil { get; set; }

        public long LastAt { get; set; }

        public void Reset(long now)
        {
            Failures = 0;
            WindowStart = now;
            LockedUntil = 0;
            LastAt = now;
        }
    }
}

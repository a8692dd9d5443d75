namespace Launcher.Daemon.Tests.Identity;

/// <summary>A clock that moves only when told to (timestamps in ticks of one second's 1/1000).</summary>
internal sealed class SteppingTimeProvider : TimeProvider
{
    private long _milliseconds;

    public override long TimestampFrequency => 1000;

    public override long GetTimestamp() => Interlocked.Read(ref _milliseconds);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _milliseconds, (long)by.TotalMilliseconds);
}

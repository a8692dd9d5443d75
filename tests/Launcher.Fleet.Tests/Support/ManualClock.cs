namespace Launcher.Fleet.Tests.Support;

/// <summary>A clock that reads what the test set (no timers; Microsoft.Extensions.TimeProvider.Testing is not in our package source).</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _ticks, now.UtcTicks);
}

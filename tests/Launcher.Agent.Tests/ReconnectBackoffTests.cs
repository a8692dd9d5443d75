using Launcher.Agent.Connection;

namespace Launcher.Agent.Tests;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan s_initial = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(8, 25_600)]
    [InlineData(9, 30_000)]
    [InlineData(40, 30_000)]
    [InlineData(int.MaxValue, 30_000)]
    public void Ceiling_ByAttempt_DoublesFromInitialUpToCap(int attempt, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), ReconnectBackoff.Ceiling(attempt, s_initial, s_max));
    }

    [Fact]
    public void Delay_SeededRandom_StaysBetweenZeroAndCeiling()
    {
        var random = new Random(1234);
        for (int attempt = 0; attempt < 50; attempt++)
        {
            TimeSpan ceiling = ReconnectBackoff.Ceiling(attempt, s_initial, s_max);
            for (int i = 0; i < 200; i++)
            {
                TimeSpan delay = ReconnectBackoff.Delay(attempt, s_initial, s_max, random);
                Assert.InRange(delay, TimeSpan.Zero, ceiling);
            }
        }
    }

    [Fact]
    public void Delay_ManySamples_SpreadsOverTheWholeRange()
    {
        // Full jitter: both halves of [0, ceiling] are used, so agents do not reconnect in lockstep.
        var random = new Random(42);
        TimeSpan[] delays = [.. Enumerable.Range(0, 1000).Select(_ => ReconnectBackoff.Delay(9, s_initial, s_max, random))];
        Assert.Contains(delays, d => d < TimeSpan.FromSeconds(5));
        Assert.Contains(delays, d => d > TimeSpan.FromSeconds(25));
    }

    [Fact]
    public void NextDelay_SameSeed_GivesSameSchedule()
    {
        var first = new ReconnectBackoff(new Random(7));
        var second = new ReconnectBackoff(new Random(7));
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(first.NextDelay(), second.NextDelay());
        }

        Assert.Equal(20, first.Attempt);
    }

    [Fact]
    public void ConnectionEnded_AfterStablePeriod_ResetsSchedule()
    {
        var backoff = new ReconnectBackoff(new Random(1), stableAfter: TimeSpan.FromSeconds(30));
        for (int i = 0; i < 10; i++)
        {
            backoff.NextDelay();
        }

        backoff.ConnectionEnded(TimeSpan.FromMinutes(5));

        Assert.Equal(0, backoff.Attempt);
        Assert.InRange(backoff.NextDelay(), TimeSpan.Zero, s_initial);
    }

    [Fact]
    public void ConnectionEnded_ShortConnection_KeepsBackingOff()
    {
        var backoff = new ReconnectBackoff(new Random(1), stableAfter: TimeSpan.FromSeconds(30));
        for (int i = 0; i < 10; i++)
        {
            backoff.NextDelay();
        }

        backoff.ConnectionEnded(TimeSpan.FromSeconds(1));

        Assert.Equal(10, backoff.Attempt);
    }
}

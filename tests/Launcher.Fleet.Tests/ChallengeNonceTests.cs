using Launcher.Fleet.Link;

namespace Launcher.Fleet.Tests;

/// <summary>The link's challenge nonces: held by their connection, single use, expiring, bounded.</summary>
public sealed class ChallengeNonceTests
{
    private const int T = 30_000;

    [Fact(Timeout = T)]
    public async Task ANonce_IsConsumedExactlyOnce_UnderConcurrency()
    {
        var nonces = new ChallengeNonces(4);
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        string nonce = nonces.Issue(now + 60_000);

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => nonces.TryConsume(nonce, now))));

        Assert.Single(results, r => r);
        Assert.False(nonces.TryConsume(nonce, now));
    }

    [Fact]
    public void AnotherConnections_Expired_Unknown_AndPushedOutNonces_AreRefused()
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var mine = new ChallengeNonces(2);
        var other = new ChallengeNonces(2);

        Assert.False(other.TryConsume(mine.Issue(now + 60_000), now));
        Assert.False(mine.TryConsume(mine.Issue(now - 1), now));
        Assert.False(mine.TryConsume("not-a-nonce", now));
        Assert.False(mine.TryConsume(new string('a', 10_000), now));

        string oldest = mine.Issue(now + 60_000);
        string second = mine.Issue(now + 60_000);
        string third = mine.Issue(now + 60_000);
        Assert.False(mine.TryConsume(oldest, now));
        Assert.True(mine.TryConsume(second, now));
        Assert.True(mine.TryConsume(third, now));
    }
}

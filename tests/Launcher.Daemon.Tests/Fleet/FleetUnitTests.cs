using System.Security.Cryptography;
using System.Text;
using Launcher.Contracts.Fleet;
using Launcher.Daemon.Fleet;
using Launcher.Rpc;

namespace Launcher.Daemon.Tests.Fleet;

/// <summary>The fleet link's pure parts: URL normalisation, cb, backoff, Retry-After, the strict JSON check.</summary>
public sealed class FleetUnitTests
{
    [Theory]
    [InlineData("https://Fleet.Example.ORG", "https://fleet.example.org", "wss://fleet.example.org/v1/daemon")]
    [InlineData("https://fleet.example.org:443/", "https://fleet.example.org", "wss://fleet.example.org/v1/daemon")]
    [InlineData("https://fleet.example.org:8443", "https://fleet.example.org:8443", "wss://fleet.example.org:8443/v1/daemon")]
    [InlineData("  https://127.0.0.1:8443/v1/daemon ", "https://127.0.0.1:8443", "wss://127.0.0.1:8443/v1/daemon")]
    [InlineData("wss://fleet.example.org", "https://fleet.example.org", "wss://fleet.example.org/v1/daemon")]
    [InlineData("https://[::1]:9000", "https://[::1]:9000", "wss://[::1]:9000/v1/daemon")]
    public void ServerUrl_IsNormalised(string input, string audience, string webSocket)
    {
        FleetServerUrl url = FleetServerUrl.Parse(input);

        Assert.Equal(audience, url.Audience);
        Assert.Equal(webSocket, url.WebSocket.ToString());
    }

    [Theory]
    [InlineData("http://fleet.example.org", "TLS")]
    [InlineData("ws://fleet.example.org", "TLS")]
    [InlineData("fleet.example.org", "absolute URL")]
    [InlineData("https://fleet.example.org/admin", "no path")]
    [InlineData("https://fleet.example.org/?x=1", "no user, query")]
    [InlineData("https://user:pw@fleet.example.org", "no user, query")]
    [InlineData("", "absolute URL")]
    public void ServerUrl_Invalid_IsRefusedWithReason(string input, string reason)
    {
        var error = Assert.Throws<RpcException>(() => FleetServerUrl.Parse(input));

        Assert.Equal(RpcErrorCodes.InvalidParams, error.Code);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChannelBinding_IsUnpaddedBase64UrlOfSha256OfTheLeafDer()
    {
        using var certificates = new TestCertificates();
        byte[] der = certificates.Server.RawData;
        string expected = Convert.ToBase64String(SHA256.HashData(der)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        string cb = FleetChannelBinding.Of(certificates.Server);

        Assert.Equal(expected, cb);
        Assert.Equal(43, cb.Length);
        Assert.DoesNotContain('=', cb);
        Assert.NotEqual(cb, FleetChannelBinding.Of(certificates.Ca));
    }

    [Fact]
    public void Backoff_FirstDelay_IsRandomWithinItsBound()
    {
        var backoff = new FleetBackoff(new Random(7), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10));

        TimeSpan[] delays = Enumerable.Range(0, 500).Select(_ => backoff.FirstDelay()).ToArray();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(10)));
        Assert.True(delays.Distinct().Count() > 400, "the first delay must be jittered, not a constant");
        Assert.True(delays.Min() < TimeSpan.FromSeconds(1) && delays.Max() > TimeSpan.FromSeconds(9), "full range used");
    }

    [Fact]
    public void Backoff_FullJitter_StaysUnderADoublingCappedCeiling()
    {
        TimeSpan initial = TimeSpan.FromSeconds(1);
        TimeSpan max = TimeSpan.FromSeconds(60);
        for (int run = 0; run < 200; run++)
        {
            var backoff = new FleetBackoff(new Random(run), initial, max, TimeSpan.Zero);
            for (int attempt = 0; attempt < 12; attempt++)
            {
                TimeSpan ceiling = FleetBackoff.Ceiling(attempt, initial, max);
                Assert.InRange(backoff.NextDelay(), TimeSpan.Zero, ceiling);
            }
        }

        Assert.Equal(TimeSpan.FromSeconds(1), FleetBackoff.Ceiling(0, initial, max));
        Assert.Equal(TimeSpan.FromSeconds(8), FleetBackoff.Ceiling(3, initial, max));
        Assert.Equal(max, FleetBackoff.Ceiling(6, initial, max));
        Assert.Equal(max, FleetBackoff.Ceiling(10_000, initial, max));
    }

    [Fact]
    public void Backoff_RetryAfter_IsAFloorPlusJitter_AndResetStartsOver()
    {
        var backoff = new FleetBackoff(new Random(3), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.Zero);
        for (int i = 0; i < 5; i++)
        {
            backoff.NextDelay();
        }

        TimeSpan[] afterBusy = Enumerable.Range(0, 100).Select(_ => backoff.NextDelay(TimeSpan.FromSeconds(30))).ToArray();
        Assert.All(afterBusy, d => Assert.InRange(d, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(90)));
        Assert.True(afterBusy.Distinct().Count() > 90, "machines turned away together must not come back together");

        Assert.InRange(backoff.NextDelay(TimeSpan.FromDays(30)), FleetBackoff.MaxRetryAfter, FleetBackoff.MaxRetryAfter + TimeSpan.FromSeconds(60));

        backoff.Reset();
        Assert.Equal(0, backoff.Attempt);
        Assert.InRange(backoff.NextDelay(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void RetryAfterHeader_SecondsOrDate()
    {
        Assert.Equal(TimeSpan.FromSeconds(17), FleetConnector.RetryAfter(new Dictionary<string, IEnumerable<string>> { ["retry-after"] = ["17"] }));
        TimeSpan? date = FleetConnector.RetryAfter(new Dictionary<string, IEnumerable<string>> { ["Retry-After"] = [DateTimeOffset.UtcNow.AddMinutes(2).ToString("R")] });
        Assert.NotNull(date);
        Assert.InRange(date.Value, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(121));
        Assert.Null(FleetConnector.RetryAfter(new Dictionary<string, IEnumerable<string>> { ["Retry-After"] = ["soon"] }));
        Assert.Null(FleetConnector.RetryAfter(null));
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", true)]
    [InlineData("{}", true)]
    [InlineData("not json", false)]
    [InlineData("[1,2]", false)]
    [InlineData("42", false)]
    [InlineData("{\"a\":1} {\"b\":2}", false)]
    [InlineData("{\"a\":", false)]
    [InlineData("", false)]
    public void StrictJson_AcceptsOneObjectOnly(string body, bool expected)
    {
        Assert.Equal(expected, StrictJsonTransport.IsJsonObject(Encoding.UTF8.GetBytes(body), 32));
    }
}

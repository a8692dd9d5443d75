using System.Diagnostics;
using System.Net;
using Launcher.Fleet.Tests.Support;
using Launcher.Fleet.Web;

namespace Launcher.Fleet.Tests;

/// <summary>The console's sign-in throttle: over real HTTPS against a real server, and its table's bound.</summary>
public sealed class SignInThrottleTests
{
    private const int T = 60_000;

    [Fact(Timeout = T)]
    public async Task RepeatedFailedSignIns_AreSlowedThenRefusedWith429_WhileAnotherAddressSignsIn()
    {
        var limits = new FleetServerLimits
        {
            SignInFailuresBeforeDelay = 1,
            SignInFailureDelay = TimeSpan.FromMilliseconds(400),
            SignInFailuresBeforeLockout = 3,
            SignInLockout = TimeSpan.FromMinutes(5),
        };
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, limits);
        string wrong = "lfa_" + new string('x', 43);
        using HttpClient attacker = ConsoleSignIn.Client(fleet, IPAddress.Loopback);

        using (HttpResponseMessage first = await ConsoleSignIn.PostAsync(attacker, wrong))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        }

        // Slowed: the second failure is answered no sooner than the configured delay (a lower bound, not a timing).
        var clock = Stopwatch.StartNew();
        using (HttpResponseMessage second = await ConsoleSignIn.PostAsync(attacker, wrong))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(400), $"the second failure was answered after {clock.Elapsed}");
        using (HttpResponseMessage third = await ConsoleSignIn.PostAsync(attacker, wrong))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, third.StatusCode);
        }

        // Refused: even the right token, from this address.
        using (HttpResponseMessage refused = await ConsoleSignIn.PostAsync(attacker, fleet.AdminToken))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            int retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 300);
            string page = await refused.Content.ReadAsStringAsync();
            Assert.Contains("Too many sign-in attempts", page);
            Assert.Contains("127.0.0.1", page);
            Assert.Contains("Other addresses are not affected", page);
            Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
            Assert.False(refused.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? cookies) && cookies.Any(c => c.StartsWith("__Host-lf_console=", StringComparison.Ordinal)));
        }

        // Another client address signs in at once.
        string session = await ConsoleSignIn.SignInAsync(fleet, fleet.AdminToken, HttpStatusCode.Redirect, IPAddress.Parse("127.0.0.2"));
        Assert.StartsWith("__Host-lf_console=lfs_", session);

        // The admin API is not the console: the same address still reaches it with a valid token. The lockout is audited once.
        using HttpResponseMessage api = await fleet.Admin.GetAsync("/api/v1/machines");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        System.Text.Json.JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit");
        System.Text.Json.JsonElement locked = Assert.Single(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "console.sign-in-locked");
        Assert.Equal("127.0.0.1 refused for 5 minutes after 3 failed sign-ins", locked.GetProperty("detail").GetString());
    }

    [Fact(Timeout = T)]
    public async Task ASuccessfulSignIn_ForgivesEarlierFailures()
    {
        var limits = new FleetServerLimits { SignInFailuresBeforeLockout = 3, SignInFailuresBeforeDelay = 10 };
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, limits);
        using HttpClient client = ConsoleSignIn.Client(fleet);
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < 2; i++)
            {
                using HttpResponseMessage failed = await ConsoleSignIn.PostAsync(client, "lfa_wrong");
                Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
            }

            using HttpResponseMessage ok = await ConsoleSignIn.PostAsync(client, fleet.AdminToken);
            Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        }
    }

    [Fact]
    public void TheTable_NeverHoldsMoreThanItsCapacity_AndIPv6CountsByItsSlash64()
    {
        var throttle = new SignInThrottle(new FleetServerLimits { SignInThrottleCapacity = 16, SignInFailuresBeforeLockout = 2 });
        for (int i = 0; i < 1000; i++)
        {
            throttle.Begin(new IPAddress([10, 0, (byte)(i >> 8), (byte)i]), i);
            Assert.InRange(throttle.Count, 1, 16);
        }

        Assert.Equal("2001:db8:1:2::/64", SignInThrottle.Key(IPAddress.Parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")));
        Assert.Equal("192.0.2.7", SignInThrottle.Key(IPAddress.Parse("::ffff:192.0.2.7")));
        Assert.False(throttle.Begin(IPAddress.Parse("2001:db8:1:2::1"), 5000).LocksOutIfFailed);
        Assert.True(throttle.Begin(IPAddress.Parse("2001:db8:1:2::2"), 5001).LocksOutIfFailed);
        (bool allowed, int retryAfter, _, _) = throttle.Begin(IPAddress.Parse("2001:db8:1:2::3"), 5002);
        Assert.False(allowed);
        Assert.Equal(900, retryAfter);
        Assert.True(throttle.Begin(IPAddress.Parse("2001:db8:1:3::1"), 5003).Allowed);

        // After the lockout the address starts afresh.
        Assert.True(throttle.Begin(IPAddress.Parse("2001:db8:1:2::3"), 5001 + (15 * 60 * 1000)).Allowed);
    }
}

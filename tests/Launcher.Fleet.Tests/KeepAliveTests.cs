using System.Net.WebSockets;
using Launcher.Fleet.Link;
using Launcher.Fleet.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Launcher.Fleet.Tests;

[Collection(PostgresCollection.Name)]
public sealed class KeepAliveTests
{
    private const int T = 60_000;

    [Fact(Timeout = T)]
    public async Task APeerThatStopsAnsweringPings_IsDroppedWithinTwoIntervals()
    {
        var limits = new FleetServerLimits
        {
            KeepAliveInterval = TimeSpan.FromMilliseconds(500),
            KeepAliveTimeout = TimeSpan.FromMilliseconds(1000),
            AuthenticationDeadline = TimeSpan.FromSeconds(50),
        };
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, limits);
        SessionRegistry sessions = fleet.Server.Services.GetRequiredService<SessionRegistry>();

        // A ClientWebSocket answers pings only while a receive is pending: this one never receives, like a peer
        // that vanished without closing (a laptop lid, a dropped NAT mapping).
        using var silent = new ClientWebSocket();
        silent.Options.KeepAliveInterval = TimeSpan.Zero;
        silent.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && TestMachine.TrustCa(fleet.Ca)(new System.Security.Cryptography.X509Certificates.X509Certificate2(certificate));
        await silent.ConnectAsync(new Uri($"wss://127.0.0.1:{fleet.Url.Port}/v1/daemon"), CancellationToken.None);
        Assert.Equal(1, sessions.Unauthenticated);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (sessions.Unauthenticated > 0 && clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, sessions.Unauthenticated);
    }
}

using System.Data.Common;
using Dapper;
using Launcher.Fleet.Store;
using Launcher.Fleet.Tests.Support;

namespace Launcher.Fleet.Tests;

/// <summary>Console sessions on both databases: only a hash is stored, and a session ends at expiry, sign-out or the revocation of its admin token.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ConsoleSessionStoreTests
{
    private const int T = 60_000;
    private readonly PostgresFixture _postgres;

    public ConsoleSessionStoreTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ASession_EndsAtExpiry_SignOut_OrRevocationOfItsAdminToken(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        FleetDatabase database = fleet.Server.Context.Database;
        var tokens = new TokenStore(database);
        var sessions = new ConsoleSessionStore(database);
        CreatedToken admin = await tokens.CreateAdminTokenAsync(0, CancellationToken.None);
        CreatedToken other = await tokens.CreateAdminTokenAsync(0, CancellationToken.None);

        string live = await sessions.CreateAsync(admin.Id, 1_000, 10_000, CancellationToken.None);
        string soon = await sessions.CreateAsync(admin.Id, 1_000, 2_000, CancellationToken.None);
        string signedOut = await sessions.CreateAsync(admin.Id, 1_000, 10_000, CancellationToken.None);
        string ofOther = await sessions.CreateAsync(other.Id, 1_000, 10_000, CancellationToken.None);
        await sessions.DeleteAsync(signedOut, CancellationToken.None);
        await using (DbConnection connection = await database.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE admin_tokens SET revoked = 1 WHERE id = @id", new { id = other.Id });
            Assert.Empty(await connection.QueryAsync<string>("SELECT hash FROM console_sessions WHERE hash = @live", new { live }));
        }

        Assert.Equal(admin.Id, await sessions.FindAsync(live, 5_000, CancellationToken.None));
        Assert.Null(await sessions.FindAsync(soon, 5_000, CancellationToken.None));
        Assert.Null(await sessions.FindAsync(signedOut, 5_000, CancellationToken.None));
        Assert.Null(await sessions.FindAsync(ofOther, 5_000, CancellationToken.None));
        Assert.Null(await sessions.FindAsync(admin.Token, 5_000, CancellationToken.None));
        Assert.Null(await sessions.FindAsync(live + "x", 5_000, CancellationToken.None));
        Assert.Equal(1, await sessions.DeleteExpiredAsync(5_000, CancellationToken.None));
    }
}

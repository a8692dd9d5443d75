using System.Data.Common;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Launcher.Fleet.Tests.Support;
using Launcher.Fleet.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Launcher.Fleet.Tests;

/// <summary>
/// The console's antiforgery keys live in the fleet database: over real HTTPS, a form rendered by one instance is
/// accepted by another on the same PostgreSQL (no shared data dir), a form rendered before a restart is accepted
/// after it, and a data dir from before the change keeps its forms working.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ConsoleKeyRingTests
{
    private const int T = 90_000;
    private const string Session = "__Host-lf_console";
    private const string Antiforgery = "__Host-lf_af";
    private readonly PostgresFixture _postgres;

    public ConsoleKeyRingTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    [Theory(Timeout = T)]
    [PostgresData]
    public async Task AFormFromOneInstance_IsAcceptedByAnother_SessionsWorkOnBoth_AndATamperedFieldIsRefused(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        FleetServer a = fleet.Server;
        FleetServer b = await fleet.StartInstanceWithOwnDataDirectoryAsync();
        using HttpClient toA = Client(fleet, a);
        using HttpClient toB = Client(fleet, b);
        var browser = new ConsoleCookieJar();

        // The sign-in form (antiforgery cookie and field) rendered by A, posted to B.
        string loginField = await FormFieldAsync(toA, "/console/login", browser);
        Assert.NotNull(browser[Antiforgery]);
        using (HttpResponseMessage signIn = await PostAsync(toB, "/console/login", browser, ("__af", loginField), ("token", fleet.AdminToken)))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        Assert.NotNull(browser[Session]);

        // The session opened on B works on A, and a form A renders for it is accepted by B.
        string tokensField = await FormFieldAsync(toA, "/console/tokens", browser);
        using (HttpResponseMessage created = await PostAsync(toB, "/console/tokens", browser, ("__af", tokensField), ("uses", "1"), ("expires", "1h"), ("group", ""), ("minLevel", "")))
        {
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
            Assert.Contains("id=\"new-token\"", await created.Content.ReadAsStringAsync());
        }

        // A tampered field is still refused, on either instance, and changes nothing.
        foreach (HttpClient client in new[] { toA, toB })
        {
            using HttpResponseMessage tampered = await PostAsync(client, "/console/tokens", browser, ("__af", Tamper(tokensField)), ("uses", "1"), ("expires", "1h"), ("group", ""), ("minLevel", ""));
            Assert.Equal(HttpStatusCode.BadRequest, tampered.StatusCode);
        }

        Assert.Single(await a.Context.Tokens.ListEnrolmentTokensAsync(CancellationToken.None));

        // A session opened on A works on B.
        var second = new ConsoleCookieJar();
        string field = await FormFieldAsync(toA, "/console/login", second);
        using (HttpResponseMessage signIn = await PostAsync(toA, "/console/login", second, ("__af", field), ("token", fleet.AdminToken)))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        await FormFieldAsync(toB, "/console/tokens", second);

        // One key ring for both (B read A's key at its start), and no key directory in either data dir.
        await using DbConnection connection = await a.Context.Database.OpenAsync(CancellationToken.None);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM console_keys"));
        Assert.False(Directory.Exists(Path.Combine(fleet.DataDirectory, ConsoleDataProtection.LegacyDirectory)));
    }

    [Theory(Timeout = T)]
    [PostgresData]
    public async Task InstancesStartingAtOnce_OnAnEmptyKeyRing_CreateOneKey_AndAcceptEachOthersForms(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        await using (DbConnection connection = await fleet.Server.Context.Database.OpenAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("DELETE FROM console_keys");
        }

        FleetServer[] started = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(fleet.StartInstanceWithOwnDataDirectoryAsync)));

        await using (DbConnection connection = await fleet.Server.Context.Database.OpenAsync(CancellationToken.None))
        {
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM console_keys"));
        }

        for (int i = 0; i < started.Length; i++)
        {
            using HttpClient from = Client(fleet, started[i]);
            using HttpClient to = Client(fleet, started[(i + 1) % started.Length]);
            var browser = new ConsoleCookieJar();
            string field = await FormFieldAsync(from, "/console/login", browser);
            using HttpResponseMessage signIn = await PostAsync(to, "/console/login", browser, ("__af", field), ("token", fleet.AdminToken));
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }
    }

    [Fact(Timeout = T)]
    public async Task AFormRenderedBeforeARestart_IsAcceptedAfterIt()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        var browser = new ConsoleCookieJar();
        string field;
        using (HttpClient before = Client(fleet, fleet.Server))
        {
            field = await FormFieldAsync(before, "/console/login", browser);
        }

        FleetServer restarted = await fleet.RestartAsync();
        using HttpClient after = Client(fleet, restarted);
        using HttpResponseMessage signIn = await PostAsync(after, "/console/login", browser, ("__af", field), ("token", fleet.AdminToken));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.NotNull(browser[Session]);
        Assert.False(Directory.Exists(Path.Combine(fleet.DataDirectory, ConsoleDataProtection.LegacyDirectory)));
    }

    [Fact(Timeout = T)]
    public async Task ADataDirWithConsoleKeys_FromBeforeTheUpgrade_IsImported_AndItsFormsAreStillAccepted()
    {
        string dataDirectory = Path.Combine(Path.GetTempPath(), "lfleet-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string legacy = Path.Combine(dataDirectory, ConsoleDataProtection.LegacyDirectory);

        // What a server from before handed a browser: antiforgery tokens protected with keys in DATA_DIR/console-keys.
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().SetApplicationName("launcher-fleet").PersistKeysToFileSystem(new DirectoryInfo(legacy));
        services.AddAntiforgery();
        AntiforgeryTokenSet before;
        await using (ServiceProvider old = services.BuildServiceProvider())
        {
            before = old.GetRequiredService<IAntiforgery>().GetTokens(new DefaultHttpContext { RequestServices = old });
        }

        Assert.Single(Directory.GetFiles(legacy, "key-*.xml"));

        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, dataDirectory: dataDirectory);
        var browser = new ConsoleCookieJar { [Antiforgery] = before.CookieToken };
        using HttpClient client = Client(fleet, fleet.Server);
        using HttpResponseMessage signIn = await PostAsync(client, "/console/login", browser, ("__af", before.RequestToken!), ("token", fleet.AdminToken));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.False(Directory.Exists(legacy));
        await using DbConnection connection = await fleet.Server.Context.Database.OpenAsync(CancellationToken.None);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM console_keys"));
    }

    /// <summary>Gets a console page (200), keeping its cookies; returns its antiforgery field.</summary>
    private static async Task<string> FormFieldAsync(HttpClient client, string path, ConsoleCookieJar browser)
    {
        using HttpResponseMessage page = await browser.SendAsync(client, new HttpRequestMessage(HttpMethod.Get, path));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string field = HiddenField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.NotEmpty(field);
        return field;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, ConsoleCookieJar browser, params (string Name, string Value)[] form) =>
        browser.SendAsync(client, new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        });

    /// <summary>The same token with one character in the middle changed (still base64url).</summary>
    private static string Tamper(string token)
    {
        int middle = token.Length / 2;
        return token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];
    }

    /// <summary>A client of one instance that keeps no cookies of its own and does not follow redirects.</summary>
    private static HttpClient Client(FleetHarness fleet, FleetServer server)
    {
        var handler = new HttpClientHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && TestMachine.TrustCa(fleet.Ca)(certificate),
        };
        return new HttpClient(handler) { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex HiddenField();
}

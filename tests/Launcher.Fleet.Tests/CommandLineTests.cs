using System.Net;
using System.Text.Json;
using Launcher.Fleet.Cli;
using Launcher.Fleet.Tests.Support;

namespace Launcher.Fleet.Tests;

/// <summary>launcher-fleet token create / admin-token create against the data dir of a running server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CommandLineTests
{
    private const int T = 60_000;
    private readonly PostgresFixture _postgres;

    public CommandLineTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Tokens_CreatedWhileTheServerRuns_Work(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        string[] database = fleet.Database is null ? [] : ["--db", fleet.Database];

        (int code, string output, _) = Run(["token", "create", "--data-dir", fleet.DataDirectory, .. database, "--uses", "2", "--expires", "30m", "--group", "eng", "--json"]);
        Assert.Equal(0, code);
        using JsonDocument created = JsonDocument.Parse(output);
        string token = created.RootElement.GetProperty("token").GetString()!;
        Assert.StartsWith("lfe_", token);
        Assert.Equal(2, created.RootElement.GetProperty("uses").GetInt32());

        await using TestMachine machine = await fleet.ConnectAsync();
        await machine.EnrollAsync(token);
        JsonElement view = await fleet.GetJsonAsync($"/api/v1/machines/{machine.MachineId}");
        Assert.Equal("eng", view.GetProperty("group").GetString());

        (int adminCode, string adminToken, _) = Run(["admin-token", "create", "--data-dir", fleet.DataDirectory, .. database]);
        Assert.Equal(0, adminCode);
        using HttpClient admin = fleet.Client(adminToken.Trim());
        using HttpResponseMessage response = await admin.GetAsync("/api/v1/machines");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Only hashes are stored: the secret appears nowhere in the database file or the audit log.
        JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit");
        Assert.DoesNotContain(token, audit.GetRawText());
        if (fleet.Database is null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (string file in Directory.EnumerateFiles(fleet.DataDirectory, "fleet.db*"))
            {
                byte[] bytes = await File.ReadAllBytesAsync(file);
                Assert.DoesNotContain(token, System.Text.Encoding.UTF8.GetString(bytes));
            }
        }
    }

    [Fact(Timeout = T)]
    public async Task ARevokedToken_NoLongerEnrols()
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null);
        (_, string created, _) = Run(["token", "create", "--data-dir", fleet.DataDirectory, "--uses", "5", "--json"]);
        using JsonDocument token = JsonDocument.Parse(created);
        string id = token.RootElement.GetProperty("id").GetString()!;

        (int revokeCode, string revoked, _) = Run(["token", "revoke", id, "--data-dir", fleet.DataDirectory]);
        (int listCode, string listed, _) = Run(["token", "list", "--data-dir", fleet.DataDirectory]);

        Assert.Equal(0, revokeCode);
        Assert.Contains(id, revoked);
        Assert.Equal(0, listCode);
        Assert.Contains($"{id}  revoked", listed);
        Assert.DoesNotContain(token.RootElement.GetProperty("token").GetString()!, listed);
        await using TestMachine machine = await fleet.ConnectAsync();
        Launcher.Rpc.RpcException error = await Assert.ThrowsAsync<Launcher.Rpc.RpcException>(() => machine.EnrollAsync(token.RootElement.GetProperty("token").GetString()!));
        Assert.Equal(Launcher.Contracts.Fleet.FleetErrorCodes.InvalidToken, error.Code);
        Assert.Equal(1, Run(["token", "revoke", "et_nope", "--data-dir", fleet.DataDirectory]).Code);
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task TokenMinLevel_IsStored_Listed_AndUnknownLevelsAreRefusedWithTheList(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        string[] database = fleet.Database is null ? [] : ["--db", fleet.Database];

        (int code, string output, _) = Run(["token", "create", "--data-dir", fleet.DataDirectory, .. database, "--min-level", "tpm-ek-verified", "--json"]);
        (int listCode, string listed, _) = Run(["token", "list", "--data-dir", fleet.DataDirectory, .. database]);
        (int jsonCode, string listedJson, _) = Run(["token", "list", "--data-dir", fleet.DataDirectory, .. database, "--json"]);
        (int badCode, string badOutput, string badError) = Run(["token", "create", "--data-dir", fleet.DataDirectory, .. database, "--min-level", "tpm"]);

        Assert.Equal(0, code);
        using JsonDocument created = JsonDocument.Parse(output);
        Assert.Equal("tpm-ek-verified", created.RootElement.GetProperty("minLevel").GetString());
        string id = created.RootElement.GetProperty("id").GetString()!;
        Assert.Equal(0, listCode);
        Assert.Contains($"{id}  valid", listed);
        Assert.Contains("min-level tpm-ek-verified", listed);
        Assert.Equal(0, jsonCode);
        using JsonDocument list = JsonDocument.Parse(listedJson);
        Assert.Equal("tpm-ek-verified", Assert.Single(list.RootElement.EnumerateArray()).GetProperty("minLevel").GetString());
        Assert.Equal(2, badCode);
        Assert.Empty(badOutput);
        Assert.Contains("'tpm' is not an attestation level; use one of tpm-ek-verified, tpm-ek-allowlisted, tpm-unverified, secure-enclave-reported, software", badError);
        Assert.Single(await fleet.Server.Context.Tokens.ListEnrolmentTokensAsync(CancellationToken.None));

        JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit");
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "token.created" && e.GetProperty("detail").GetString()!.Contains("min-level tpm-ek-verified", StringComparison.Ordinal));
        await using TestMachine machine = await fleet.ConnectAsync();
        Launcher.Rpc.RpcException error = await Assert.ThrowsAsync<Launcher.Rpc.RpcException>(() => machine.EnrollAsync(created.RootElement.GetProperty("token").GetString()!));
        Assert.Equal(Launcher.Contracts.Fleet.FleetErrorCodes.PolicyRefused, error.Code);
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task AdminTokens_AreListedWithoutSecrets_AndARevokedOne_IsRefusedByTheApiAndTheConsoleAtOnce(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        string[] database = fleet.Database is null ? [] : ["--db", fleet.Database];
        (_, string createdJson, _) = Run(["admin-token", "create", "--data-dir", fleet.DataDirectory, .. database, "--json"]);
        using JsonDocument created = JsonDocument.Parse(createdJson);
        string id = created.RootElement.GetProperty("id").GetString()!;
        string secret = created.RootElement.GetProperty("token").GetString()!;
        using HttpClient admin = fleet.Client(secret);
        using (HttpResponseMessage ok = await admin.GetAsync("/api/v1/machines"))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        string session = await ConsoleSignIn.SignInAsync(fleet, secret, HttpStatusCode.Redirect);
        (int listCode, string listed, _) = Run(["admin-token", "list", "--data-dir", fleet.DataDirectory, .. database]);
        (int jsonCode, string listedJson, _) = Run(["admin-token", "list", "--data-dir", fleet.DataDirectory, .. database, "--json"]);

        Assert.Equal(0, listCode);
        Assert.Contains($"{id}  valid", listed);
        Assert.Matches($"{id}  valid .* last used [0-9]{{4}}-", listed);
        Assert.Equal(0, jsonCode);
        using JsonDocument list = JsonDocument.Parse(listedJson);
        JsonElement entry = Assert.Single(list.RootElement.EnumerateArray(), e => e.GetProperty("id").GetString() == id);
        Assert.True(entry.GetProperty("lastUsedAt").GetInt64() > 0);
        Assert.False(entry.GetProperty("revoked").GetBoolean());
        Assert.Equal(["id", "createdAt", "lastUsedAt", "revoked", "revokedAt"], entry.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, list.RootElement.GetArrayLength());
        foreach (string output in new[] { listed, listedJson })
        {
            Assert.DoesNotContain(secret, output);
            Assert.DoesNotContain(Launcher.Fleet.Store.TokenStore.Hash(secret), output);
            Assert.DoesNotContain(fleet.AdminToken, output);
        }

        (int revokeCode, string revoked, _) = Run(["admin-token", "revoke", id, "--data-dir", fleet.DataDirectory, .. database]);

        Assert.Equal(0, revokeCode);
        Assert.Contains($"revoked {id}", revoked);
        using (HttpResponseMessage refused = await admin.GetAsync("/api/v1/machines"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (HttpResponseMessage stillOk = await fleet.Admin.GetAsync("/api/v1/machines"))
        {
            Assert.Equal(HttpStatusCode.OK, stillOk.StatusCode);
        }

        await ConsoleSignIn.SignInAsync(fleet, secret, HttpStatusCode.Unauthorized);
        using (HttpClient console = ConsoleSignIn.Client(fleet))
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/console/machines"))
        {
            request.Headers.Add("Cookie", session);
            using HttpResponseMessage page = await console.SendAsync(request);
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/console/login", page.Headers.Location?.OriginalString);
        }

        (_, string after, _) = Run(["admin-token", "list", "--data-dir", fleet.DataDirectory, .. database]);
        Assert.Contains($"{id}  revoked", after);
        Assert.Equal(0, Run(["admin-token", "revoke", id, "--data-dir", fleet.DataDirectory, .. database]).Code);
        Assert.Equal(1, Run(["admin-token", "revoke", "at_nope", "--data-dir", fleet.DataDirectory, .. database]).Code);
        JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit");
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "admin-token.revoked" && e.GetProperty("detail").GetString() == id);
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "admin-token.created" && e.GetProperty("detail").GetString() == id);
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "admin-token.listed" && e.GetProperty("actor").GetString() == "cli");
    }

    [Fact]
    public void BadArguments_ExitWithUsage()
    {
        string directory = Path.Combine(Path.GetTempPath(), "lfcli-" + Guid.NewGuid().ToString("N")[..10]);
        (int code, _, string error) = Run(["token", "create", "--data-dir", directory, "--expires", "soon"]);
        Assert.Equal(2, code);
        Assert.Contains("--expires", error);

        (int listenCode, _, string listenError) = Run(["run", "--data-dir", directory, "--listen", "http://127.0.0.1:1"]);
        Assert.Equal(2, listenCode);
        Assert.Contains("https", listenError);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (int Code, string Output, string Error) Run(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = FleetCommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

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

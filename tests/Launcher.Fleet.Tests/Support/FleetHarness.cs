using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Launcher.Fleet.Store;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Tests.Support;

/// <summary>
/// A real launcher-fleet on loopback (Kestrel, real TLS with the CA it created) over SQLite or a fresh PostgreSQL
/// database, with an admin token and helpers to enrol test machines.
/// </summary>
internal sealed class FleetHarness : IAsyncDisposable
{
    private readonly List<FleetServer> _servers = [];
    private readonly List<string> _otherDataDirectories = [];
    private readonly FleetServerOptions _options;

    private FleetHarness(FleetServerOptions options, string dataDirectory)
    {
        _options = options;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public string? Database => _options.Database;

    public FleetServer Server => _servers[0];

    public Uri Url => Server.Url;

    public string Audience => Server.Context.Audience;

    public X509Certificate2 Ca => Server.Pki.CaCertificate;

    public string AdminToken { get; private set; } = string.Empty;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Anonymous { get; private set; } = null!;

    public static async Task<FleetHarness> StartAsync(string store, PostgresFixture? postgres, FleetServerLimits? limits = null, string? policyFile = null, Uri? publicUrl = null, Launcher.Attestation.Verification.TpmTrust? tpmTrust = null, X509Certificate2? appleRoot = null, string? dataDirectory = null)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "lfleet-" + Guid.NewGuid().ToString("N")[..10]);
        string? database = null;
        if (store == "postgres")
        {
            postgres!.Require();
            database = await postgres.CreateDatabaseAsync();
        }

        var options = new FleetServerOptions
        {
            Listen = new Uri("https://127.0.0.1:0"),
            DataDirectory = dataDirectory,
            Database = database,
            TrustDomain = "test.example",
            PolicyFile = policyFile,
            PublicUrl = publicUrl,
            Limits = limits ?? new FleetServerLimits(),
            TpmTrust = tpmTrust ?? Launcher.Attestation.Verification.TpmTrust.None,
            AppleAttestationRootForTests = appleRoot,
        };
        var harness = new FleetHarness(options, dataDirectory);
        await harness.StartInstanceAsync();
        harness.AdminToken = (await new TokenStore(harness.Server.Context.Database).CreateAdminTokenAsync(0, CancellationToken.None)).Token;
        harness.Admin = harness.Client(harness.AdminToken);
        harness.Anonymous = harness.Client(null);
        return harness;
    }

    /// <summary>Starts another instance on the same data dir and database (several instances on one PostgreSQL).</summary>
    public async Task<FleetServer> StartInstanceAsync()
    {
        FleetServer server = await FleetServer.StartAsync(_options, logs => logs.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft", LogLevel.Error));
        _servers.Add(server);
        return server;
    }

    /// <summary>
    /// Starts another instance on the same database with a data dir of its own, holding only a copy of the first
    /// one's <c>pki</c> (as FLEET.md asks of every instance): nothing else is shared but the database.
    /// </summary>
    public async Task<FleetServer> StartInstanceWithOwnDataDirectoryAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "lfleet-" + Guid.NewGuid().ToString("N")[..10]);
        lock (_servers)
        {
            _otherDataDirectories.Add(directory);
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string pki = Path.Combine(directory, "pki");
        Directory.CreateDirectory(pki, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (string file in Directory.GetFiles(Path.Combine(DataDirectory, "pki")))
        {
            File.Copy(file, Path.Combine(pki, Path.GetFileName(file)));
        }

        FleetServer server = await FleetServer.StartAsync(
            new FleetServerOptions
            {
                Listen = _options.Listen,
                DataDirectory = directory,
                Database = _options.Database,
                TrustDomain = _options.TrustDomain,
                PublicUrl = _options.PublicUrl,
                PolicyFile = _options.PolicyFile,
                TpmTrust = _options.TpmTrust,
                AppleAttestationRootForTests = _options.AppleAttestationRootForTests,
                Limits = _options.Limits,
            },
            logs => logs.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft", LogLevel.Error));
        lock (_servers)
        {
            _servers.Add(server);
        }

        return server;
    }

    /// <summary>Stops every instance, then starts one again on the same data dir and database (a restart).</summary>
    public async Task<FleetServer> RestartAsync()
    {
        foreach (FleetServer server in _servers)
        {
            await server.DisposeAsync();
        }

        _servers.Clear();
        return await StartInstanceAsync();
    }

    public HttpClient Client(string? token, FleetServer? server = null)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate is not null && TestMachine.TrustCa(Ca)(certificate),
        };
        var client = new HttpClient(handler) { BaseAddress = (server ?? Server).Url, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task<string> CreateTokenAsync(int uses = 1, TimeSpan? lifetime = null, string? group = null, string? minLevel = null)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        CreatedToken token = await new TokenStore(Server.Context.Database).CreateEnrolmentTokenAsync(uses, now + (lifetime ?? TimeSpan.FromHours(1)), group, minLevel, now.ToUnixTimeMilliseconds(), CancellationToken.None);
        return token.Token;
    }

    public Task<TestMachine> ConnectAsync(FleetServer? server = null, System.Security.Cryptography.ECDsa? key = null) =>
        TestMachine.ConnectAsync((server ?? Server).Url, TestMachine.TrustCa(Ca), key);

    /// <summary>A machine connected and enrolled.</summary>
    public async Task<TestMachine> EnrolAsync(string? group = null, FleetServer? server = null)
    {
        TestMachine machine = await ConnectAsync(server);
        await machine.EnrollAsync(await CreateTokenAsync(group: group));
        return machine;
    }

    public async Task<JsonElement> GetJsonAsync(string path, HttpClient? client = null)
    {
        using HttpResponseMessage response = await (client ?? Admin).GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<string> NotifyAsync(string machineId, object body, HttpClient? client = null)
    {
        using HttpResponseMessage response = await (client ?? Admin).PostAsJsonAsync($"/api/v1/machines/{machineId}/notifications", body);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        Anonymous?.Dispose();
        foreach (FleetServer server in _servers)
        {
            await server.DisposeAsync();
        }

        foreach (string directory in _otherDataDirectories.Prepend(DataDirectory))
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

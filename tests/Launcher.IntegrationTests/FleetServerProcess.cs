using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Launcher.IntegrationTests;

/// <summary>
/// A real <c>launcher-fleet run</c> process on SQLite in a data directory, on a fixed loopback port (so it can be
/// stopped and started again at the same URL the daemon enrolled with), with an admin API client.
/// </summary>
internal sealed class FleetServerProcess : IAsyncDisposable
{
    private HttpClient? _admin;

    public FleetServerProcess(string dataDirectory, int? port = null)
    {
        DataDirectory = dataDirectory;
        Port = port ?? FreePort();
    }

    public string DataDirectory { get; }

    public int Port { get; }

    public string Url => $"https://127.0.0.1:{Port}";

    public string CaFile => Path.Combine(DataDirectory, "pki", "ca.crt");

    public ChildProcess? Process { get; private set; }

    public async Task StartAsync(params string[] extra)
    {
        Process = ChildProcess.Start(Repo.Fleet, ["run", "--listen", Url, "--data-dir", DataDirectory, "--trust-domain", "test.example", .. extra]);
        try
        {
            await Process.WaitForLineAsync("listening on", TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException("launcher-fleet did not start:\n" + Process.Output);
        }
    }

    public async Task StopAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
            Process = null;
        }
    }

    public async Task<string> CreateEnrolmentTokenAsync(int uses = 1)
    {
        await using ChildProcess cli = ChildProcess.Start(Repo.Fleet, ["token", "create", "--data-dir", DataDirectory, "--uses", uses.ToString(System.Globalization.CultureInfo.InvariantCulture), "--expires", "1h"]);
        Assert.Equal(0, await cli.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        return LastLine(cli.Output);
    }

    public async Task<HttpClient> AdminAsync()
    {
        if (_admin is not null)
        {
            return _admin;
        }

        await using ChildProcess cli = ChildProcess.Start(Repo.Fleet, ["admin-token", "create", "--data-dir", DataDirectory]);
        Assert.Equal(0, await cli.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        string token = LastLine(cli.Output);
        X509Certificate2 ca = X509CertificateLoader.LoadCertificate(X509Certificate2.CreateFromPem(File.ReadAllText(CaFile)).RawData);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return certificate is not null && chain.Build(certificate);
            },
        };
        _admin = new HttpClient(handler) { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(30) };
        _admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return _admin;
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        HttpClient admin = await AdminAsync();
        using HttpResponseMessage response = await admin.GetAsync(path);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        using JsonDocument document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        HttpClient admin = await AdminAsync();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await admin.PostAsync(path, content);
        string body = await response.Content.ReadAsStringAsync();
        using JsonDocument document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
        return (response.StatusCode, document.RootElement.Clone());
    }

    /// <summary>Polls GET /api/v1/notifications/{id} until uid's outcome is <paramref name="outcome"/>.</summary>
    public Task WaitForOutcomeAsync(string notificationId, uint uid, string outcome, TimeSpan timeout) =>
        Sandbox.EventuallyAsync(async () =>
        {
            JsonElement notification = await GetAsync($"/api/v1/notifications/{notificationId}");
            return notification.GetProperty("recipients").EnumerateArray().Any(r => r.GetProperty("uid").GetUInt32() == uid && r.GetProperty("outcome").GetString() == outcome);
        }, $"outcome {outcome} of {notificationId} for uid {uid} on the server", timeout);

    public async ValueTask DisposeAsync()
    {
        _admin?.Dispose();
        await StopAsync();
    }

    private static string LastLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

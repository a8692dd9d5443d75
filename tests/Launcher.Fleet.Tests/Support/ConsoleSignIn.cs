using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Launcher.Fleet.Tests.Support;

/// <summary>
/// Console sign-in over real HTTPS without a browser: fetch the sign-in page (antiforgery cookie and field), post a
/// token. A client may be bound to another loopback source address (127.0.0.2, …) to sign in "from elsewhere".
/// </summary>
internal static partial class ConsoleSignIn
{
    /// <summary>A client that sends cookies itself, does not follow redirects, and connects from <paramref name="source"/> when given.</summary>
    public static HttpClient Client(FleetHarness fleet, IPAddress? source = null)
    {
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 presented && TestMachine.TrustCa(fleet.Ca)(presented),
            },
        };
        if (source is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        return new HttpClient(handler) { BaseAddress = fleet.Url, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Posts <paramref name="token"/> to the sign-in form; asserts <paramref name="expected"/>; returns the session cookie (name=value) on success, else the response body.</summary>
    public static async Task<string> SignInAsync(FleetHarness fleet, string token, HttpStatusCode expected, IPAddress? source = null)
    {
        using HttpClient client = Client(fleet, source);
        using HttpResponseMessage response = await PostAsync(client, token);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"sign-in: {(int)response.StatusCode}, expected {(int)expected}: {body}");
        return response.StatusCode == HttpStatusCode.Redirect
            ? response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("__Host-lf_console=", StringComparison.Ordinal)).Split(';')[0]
            : body;
    }

    /// <summary>One sign-in attempt on <paramref name="client"/>: the page, then the post.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string token)
    {
        using HttpResponseMessage login = await client.GetAsync("/console/login");
        string field = HiddenField().Match(await login.Content.ReadAsStringAsync()).Groups[1].Value;
        string antiforgery = login.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("__Host-lf_af=", StringComparison.Ordinal)).Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Post, "/console/login") { Content = new FormUrlEncodedContent([new("__af", field), new("token", token)]) };
        request.Headers.Add("Cookie", antiforgery);
        return await client.SendAsync(request);
    }

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex HiddenField();
}

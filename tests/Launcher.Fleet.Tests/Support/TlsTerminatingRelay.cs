using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Launcher.Fleet.Tests.Support;

/// <summary>
/// A TLS-terminating proxy, as a corporate middlebox or a load balancer that is not in TCP passthrough: it
/// presents its own certificate to the client and opens its own TLS connection to the server.
/// </summary>
internal sealed class TlsTerminatingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Uri _upstream;
    private readonly Task _accepting;

    public TlsTerminatingRelay(Uri upstream)
    {
        _upstream = upstream;
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=relay", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        _listener.Start();
        Url = new Uri($"https://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    public Uri Url { get; }

    public X509Certificate2 Certificate { get; }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Certificate.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await using var downstreamTls = new SslStream(client.GetStream());
                await downstreamTls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = Certificate }, _stop.Token);
                await upstream.ConnectAsync(_upstream.Host, _upstream.Port, _stop.Token);
                await using var upstreamTls = new SslStream(upstream.GetStream(), false, (_, _, _, _) => true);
                await upstreamTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = _upstream.Host }, _stop.Token);
                Task up = downstreamTls.CopyToAsync(upstreamTls, _stop.Token);
                Task down = upstreamTls.CopyToAsync(downstreamTls, _stop.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
            }
        }
    }
}

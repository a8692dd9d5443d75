using System.Globalization;
using Launcher.Contracts.Fleet;
using Launcher.Rpc;

namespace Launcher.Daemon.Fleet;

/// <summary>
/// The fleet server's address as the daemon keeps it: <c>https://host[:port]</c>, lower-case host, no path, the
/// default port omitted (docs/fleet-protocol.md, the <c>aud</c> claim). The WebSocket endpoint is derived from it.
/// </summary>
internal sealed record FleetServerUrl
{
    public const string DaemonPath = "/v1/daemon";

    private FleetServerUrl(string audience, Uri webSocket, string host, int port)
    {
        Audience = audience;
        WebSocket = webSocket;
        Host = host;
        Port = port;
    }

    /// <summary>The normalised URL: the proofs' <c>aud</c>, and what status shows.</summary>
    public string Audience { get; }

    /// <summary><c>wss://host[:port]/v1/daemon</c>.</summary>
    public Uri WebSocket { get; }

    public string Host { get; }

    public int Port { get; }

    /// <summary>Normalises what an admin typed; throws <see cref="RpcException"/> (invalid params) with the reason.</summary>
    public static FleetServerUrl Parse(string text)
    {
        if (!TryParse(text, out FleetServerUrl? url, out string? error))
        {
            throw new RpcException(RpcErrorCodes.InvalidParams, error);
        }

        return url;
    }

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FleetServerUrl? url, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        url = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || !Uri.TryCreate(text, UriKind.Absolute, out Uri? uri))
        {
            error = "The fleet server must be an absolute URL such as https://fleet.example.org.";
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeWss)
        {
            error = $"The fleet server must be reached over TLS (https://), not {uri.Scheme}://.";
            return false;
        }

        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            error = "The fleet server URL takes no user, query or fragment.";
            return false;
        }

        if (uri.AbsolutePath is not ("/" or "" or DaemonPath))
        {
            error = "The fleet server URL takes no path: give https://host[:port].";
            return false;
        }

        // The aud form is the contract's, so the daemon and the server agree on it byte for byte.
        string host = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost.Trim('[', ']') + "]" : uri.IdnHost;
        string? audience = FleetChannelBinding.NormaliseAudience("https://" + host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture) + "/");
        if (audience is null)
        {
            error = "The fleet server URL is not a valid https://host[:port].";
            return false;
        }

        url = new FleetServerUrl(audience, new Uri("wss" + audience["https".Length..] + DaemonPath), host.ToLowerInvariant(), uri.Port);
        error = null;
        return true;
    }

    public override string ToString() => Audience;
}

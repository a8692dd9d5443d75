using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Launcher.Contracts.Fleet;

/// <summary>
/// The link's channel binding and audience forms (docs/fleet-protocol.md), computed the same way on both ends.
/// </summary>
public static class FleetChannelBinding
{
    /// <summary>The <c>cb</c> claim: base64url (no padding) SHA-256 of the DER of the TLS server leaf certificate.</summary>
    public static string Of(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(certificate.GetRawCertData()));
    }

    /// <summary>
    /// The <c>aud</c> form of a server URL: <c>https://host[:port]</c>, lower-case host, no path, default port omitted.
    /// Null when <paramref name="url"/> is not an https URL without path, query, fragment or user info.
    /// </summary>
    public static string? NormaliseAudience(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttps
            || (uri.AbsolutePath != "/" && uri.AbsolutePath.Length != 0) || uri.Query.Length != 0 || uri.Fragment.Length != 0 || uri.UserInfo.Length != 0)
        {
            return null;
        }

        string host = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost.Trim('[', ']') + "]" : uri.IdnHost.ToLowerInvariant();
        return uri.IsDefaultPort ? $"https://{host}" : $"https://{host}:{uri.Port}";
    }
}

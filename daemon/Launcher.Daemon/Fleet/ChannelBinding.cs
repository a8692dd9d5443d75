using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Launcher.Daemon.Fleet;

/// <summary>
/// The <c>cb</c> claim: base64url (no padding) of SHA-256 over the DER of the TLS server leaf certificate seen on
/// this connection (docs/fleet-protocol.md, "Channel binding").
/// </summary>
internal static class ChannelBinding
{
    public static string Compute(X509Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Compute(certificate.GetRawCertData());
    }

    public static string Compute(ReadOnlySpan<byte> der) => Base64Url.EncodeToString(SHA256.HashData(der));
}

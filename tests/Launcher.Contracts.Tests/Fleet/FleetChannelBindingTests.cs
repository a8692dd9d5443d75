using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Launcher.Contracts.Fleet;
using Launcher.Contracts.Identity;
using Xunit;

namespace Launcher.Contracts.Tests.Fleet;

public sealed class FleetChannelBindingTests
{
    [Theory]
    [InlineData("https://Fleet.Example.ORG", "https://fleet.example.org")]
    [InlineData("https://fleet.example.org:443/", "https://fleet.example.org")]
    [InlineData("https://127.0.0.1:8443", "https://127.0.0.1:8443")]
    [InlineData("https://[::1]:8443/", "https://[::1]:8443")]
    public void Audience_IsNormalised(string url, string expected) => Assert.Equal(expected, FleetChannelBinding.NormaliseAudience(url));

    [Theory]
    [InlineData("http://fleet.example.org")]
    [InlineData("https://fleet.example.org/v1/daemon")]
    [InlineData("https://fleet.example.org/?x=1")]
    [InlineData("https://user@fleet.example.org")]
    [InlineData("fleet.example.org")]
    public void NotAServerUrl_HasNoAudience(string url) => Assert.Null(FleetChannelBinding.NormaliseAudience(url));

    [Fact]
    public void ChannelBinding_IsBase64UrlSha256OfTheCertificateDer()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 certificate = new CertificateRequest("CN=fleet", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        string cb = FleetChannelBinding.Of(certificate);

        Assert.Equal(43, cb.Length);
        Assert.DoesNotContain('=', cb);
        Assert.Equal(SHA256.HashData(certificate.RawData), System.Buffers.Text.Base64Url.DecodeFromChars(cb));
    }

    [Fact]
    public void TheCbClaim_TravelsAsCb()
    {
        var claims = new ProofClaims { Audience = "a", Nonce = "n", IssuedAt = 1, ExpiresAt = 2, ProofId = "j", KeyClass = "tpm", TlsCertificateSha256 = "abc" };

        using JsonDocument json = JsonDocument.Parse(JsonSerializer.Serialize(claims, ProofJsonContext.Default.ProofClaims));

        Assert.Equal("abc", json.RootElement.GetProperty("cb").GetString());
        Assert.False(json.RootElement.TryGetProperty("tls_cert_sha256", out _));
    }
}

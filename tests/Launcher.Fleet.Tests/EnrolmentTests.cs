using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Pki;
using Launcher.Fleet.Tests.Support;
using Launcher.Rpc;

namespace Launcher.Fleet.Tests;

[Collection(PostgresCollection.Name)]
public sealed class EnrolmentTests
{
    private const int T = 60_000;
    private readonly PostgresFixture _postgres;

    public EnrolmentTests(PostgresFixture postgres)
    {
        _postgres = postgres;
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Enrol_WithAToken_IssuesASpiffeCertificate_AndAuthenticatesOnTheNextConnection(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        string machineId;
        await using (TestMachine machine = await fleet.ConnectAsync())
        {
            EnrollResult enrolled = await machine.EnrollAsync(await fleet.CreateTokenAsync());
            machineId = enrolled.MachineId;
            Assert.Equal($"spiffe://test.example/machine/{machineId}", enrolled.SpiffeId);
            Assert.Equal(AttestationLevels.Software, enrolled.AttestationLevel);
            Assert.Contains("fleet:member", enrolled.Grants);
            Assert.Equal(fleet.Server.Pki.CaPem, enrolled.CaCertificate);
            Assert.Equal(enrolled.NotAfter - (12 * 3600), enrolled.RenewAfter);

            using X509Certificate2 certificate = X509Certificate2.CreateFromPem(enrolled.Certificate);
            AssertSpiffeSvid(certificate, fleet.Ca, enrolled.SpiffeId, machine);
            Assert.InRange(certificate.NotAfter - certificate.NotBefore, TimeSpan.FromHours(24), TimeSpan.FromHours(24.2));

            // Authenticated: a method beyond the handshake works on this connection.
            RenewResult renewed = await machine.Rpc.InvokeAsync(FleetMethods.Renew, Launcher.Contracts.EmptyParams.Instance);
            Assert.NotEqual(enrolled.Certificate, renewed.Certificate);

            await using TestMachine again = await TestMachine.ConnectAsync(fleet.Url, TestMachine.TrustCa(fleet.Ca), CloneKey(machine));
            EnrollResult authenticated = await again.AuthenticateAsync(machineId);
            Assert.Equal(machineId, authenticated.MachineId);
            Assert.Equal(renewed.Certificate, authenticated.Certificate);

            JsonElement view = await fleet.GetJsonAsync($"/api/v1/machines/{machineId}");
            Assert.Equal(machine.PublicKey.Thumbprint, view.GetProperty("thumbprint").GetString());
            Assert.Equal("software", view.GetProperty("keyClass").GetString());
            Assert.True(view.GetProperty("facts").GetProperty("reported").GetBoolean());
            Assert.Equal(machine.Facts.Serial, view.GetProperty("facts").GetProperty("serial").GetString());
            Assert.True(view.GetProperty("online").GetBoolean());
            Assert.Contains(view.GetProperty("grants").EnumerateArray(), g => g.GetProperty("grant").GetString() == "fleet:member" && g.GetProperty("why").GetString()!.Length > 0);
            Assert.StartsWith("-----BEGIN CERTIFICATE-----", view.GetProperty("certificate").GetProperty("pem").GetString());
        }

        JsonElement audit = await fleet.GetJsonAsync("/api/v1/audit");
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "machine.enrolled" && e.GetProperty("machineId").GetString() == machineId);
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ReusedToken_IsRefused_WithInvalidToken(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        string token = await fleet.CreateTokenAsync(uses: 1);
        await using TestMachine first = await fleet.ConnectAsync();
        await first.EnrollAsync(token);

        await using TestMachine second = await fleet.ConnectAsync();
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => second.EnrollAsync(token));

        Assert.Equal(FleetErrorCodes.InvalidToken, error.Code);
        Assert.Equal("The enrolment token is unknown, expired, used up or revoked.", error.Message);
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task ExpiredOrUnknownToken_IsRefused_WithTheSameMessage(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        string expired = await fleet.CreateTokenAsync(lifetime: TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        await using TestMachine machine = await fleet.ConnectAsync();

        RpcException expiredError = await Assert.ThrowsAsync<RpcException>(() => machine.EnrollAsync(expired));
        RpcException unknownError = await Assert.ThrowsAsync<RpcException>(() => machine.EnrollAsync("lfe_not-a-token"));

        Assert.Equal(FleetErrorCodes.InvalidToken, expiredError.Code);
        Assert.Equal(expiredError.Message, unknownError.Message);
    }

    [Theory(Timeout = T)]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task KnownSerialWithANewKey_IsAReenrolment_KeepingTheId_AndAudited(string store)
    {
        await using FleetHarness fleet = await FleetHarness.StartAsync(store, _postgres);
        await using TestMachine original = await fleet.EnrolAsync();
        await using TestMachine reinstalled = await fleet.ConnectAsync();
        reinstalled.Facts = original.Facts;

        EnrollResult again = await reinstalled.EnrollAsync(await fleet.CreateTokenAsync());

        Assert.Equal(original.MachineId, again.MachineId);
        JsonElement view = await fleet.GetJsonAsync($"/api/v1/machines/{again.MachineId}");
        Assert.Equal(reinstalled.PublicKey.Thumbprint, view.GetProperty("thumbprint").GetString());
        JsonElement audit = await fleet.GetJsonAsync($"/api/v1/audit?machine={again.MachineId}");
        JsonElement entry = Assert.Single(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("action").GetString() == "machine.reenrolled");
        Assert.Contains(original.PublicKey.Thumbprint, entry.GetProperty("detail").GetString());

        // The old key no longer authenticates.
        await using TestMachine oldKey = await TestMachine.ConnectAsync(fleet.Url, TestMachine.TrustCa(fleet.Ca), CloneKey(original));
        RpcException error = await Assert.ThrowsAsync<RpcException>(() => oldKey.AuthenticateAsync(again.MachineId));
        Assert.Equal(FleetErrorCodes.UnknownMachine, error.Code);
    }

    [Fact(Timeout = T)]
    public async Task EnrolmentPolicy_RefusesAKeyClass_WithPolicyRefused()
    {
        string policy = Path.GetTempFileName();
        await File.WriteAllTextAsync(policy, """{"enrolment": {"keyClasses": ["tpm", "secure-enclave"]}, "grants": [{"grant": "fleet:member"}]}""");
        try
        {
            await using FleetHarness fleet = await FleetHarness.StartAsync("sqlite", null, policyFile: policy);
            await using TestMachine machine = await fleet.ConnectAsync();
            RpcException error = await Assert.ThrowsAsync<RpcException>(() => machine.EnrollAsync("lfe_whatever"));
            Assert.Equal(FleetErrorCodes.PolicyRefused, error.Code);
            Assert.Contains("software", error.Message);
        }
        finally
        {
            File.Delete(policy);
        }
    }

    internal static System.Security.Cryptography.ECDsa CloneKey(TestMachine machine)
    {
        var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportParameters(machine.Key.ExportParameters(true));
        return key;
    }

    private static void AssertSpiffeSvid(X509Certificate2 certificate, X509Certificate2 ca, string spiffeId, TestMachine machine)
    {
        Assert.Empty(certificate.SubjectName.RawData.Length <= 2 ? string.Empty : certificate.Subject);
        X509Extension san = Assert.Single(certificate.Extensions.Cast<X509Extension>(), e => e.Oid!.Value == "2.5.29.17");
        Assert.True(san.Critical);

        // Exactly one GeneralName, a URI [6], read with AsnReader (.NET cannot enumerate URI SANs).
        var reader = new AsnReader(san.RawData, AsnEncodingRules.DER);
        AsnReader names = reader.ReadSequence();
        string uri = names.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6));
        Assert.False(names.HasData);
        Assert.Equal(spiffeId, uri);
        Assert.Equal([spiffeId], FleetPki.ReadUriSans(certificate));

        X509BasicConstraintsExtension basic = Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.False(basic.CertificateAuthority);
        X509KeyUsageExtension usage = Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>());
        Assert.True(usage.Critical);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        X509EnhancedKeyUsageExtension eku = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(["1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.1"], eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value!).ToArray());
        Assert.Single(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        X509AuthorityKeyIdentifierExtension aki = Assert.Single(certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>());
        Assert.Equal(ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray(), aki.KeyIdentifier!.Value.ToArray());

        byte[] serial = certificate.SerialNumberBytes.ToArray();
        Assert.Equal(16, serial.Length);
        Assert.Equal(0, serial[0] & 0x80);

        Assert.Equal(machine.PublicKey.Spki, certificate.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.True(TestMachine.TrustCa(ca)(certificate));
    }
}

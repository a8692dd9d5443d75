using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Launcher.Contracts.Tpm;
using Launcher.Platform.Attestation;
using Launcher.Platform.Keys;
using Xunit;

namespace Launcher.Platform.Tests.Tpm;

[Collection(EndorsedSwtpmCollection.Name)]
public sealed class TpmAttestationTests : IDisposable
{
    private const uint ExpectedAkAttributes = 0x00050472;
    private readonly EndorsedSwtpmFixture _fixture;
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("launcher-attest-").FullName;

    public TpmAttestationTests(EndorsedSwtpmFixture fixture)
    {
        _fixture = fixture;
    }

    public void Dispose()
    {
        Directory.Delete(_stateDirectory, recursive: true);
    }

    private TpmKeyStore NewStore() => NewStore(_fixture.Tpm);

    private TpmKeyStore NewStore(SwtpmInstance tpm) => new(_stateDirectory, tpm.Tcti);

    [AttestationFact]
    public void ReadEndorsementKey_Rsa2048_IsPersistentAndMatchesItsCertificate()
    {
        // Arrange
        using TpmKeyStore store = NewStore();

        // Act
        EndorsementKey ek = store.Attestation.ReadEndorsementKey(EndorsementKeyKind.Rsa2048);
        byte[]? der = store.Attestation.ReadEndorsementCertificate(EndorsementKeyKind.Rsa2048);

        // Assert
        Assert.Equal(EndorsementKeySource.Persistent, ek.Source);
        Assert.NotNull(der);
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(der);
        Assert.Equal(certificate.PublicKey.ExportSubjectPublicKeyInfo(), ek.SubjectPublicKeyInfo);
        TpmPublic area = TpmPublic.Parse(ek.PublicArea);
        Assert.Equal(TpmAlg.Rsa, area.Type);
        Assert.Equal(2048, area.RsaKeyBits);
        Assert.False(area.Has(TpmObjectAttributes.UserWithAuth), "the low-range RSA EK needs its policy");
        Assert.Equal(TpmPublic.Parse(ek.PublicArea).ComputeName(), ek.Name);
        Assert.Equal(0x000B, (ek.Name[0] << 8) | ek.Name[1]);
    }

    [AttestationFact]
    public void ReadEndorsementKey_EccP384_IsPersistentAndMatchesItsCertificate()
    {
        // Arrange
        using TpmKeyStore store = NewStore();

        // Act
        EndorsementKey ek = store.Attestation.ReadEndorsementKey(EndorsementKeyKind.EccP384);
        byte[]? der = store.Attestation.ReadEndorsementCertificate(EndorsementKeyKind.EccP384);

        // Assert
        Assert.Equal(EndorsementKeySource.Persistent, ek.Source);
        Assert.NotNull(der);
        using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(der);
        Assert.Equal(certificate.PublicKey.ExportSubjectPublicKeyInfo(), ek.SubjectPublicKeyInfo);
        TpmPublic area = TpmPublic.Parse(ek.PublicArea);
        Assert.Equal(TpmAlg.CurveNistP384, area.Curve);
        Assert.Equal(TpmAlg.Sha384, area.NameAlg);
        Assert.Equal(256, area.SymmetricKeyBits);
        Assert.Equal(0x000C, (ek.Name[0] << 8) | ek.Name[1]);
        Assert.Equal(50, ek.Name.Length);
    }

    [AttestationFact]
    public void EndorsementCertificates_ChainToTheLocalCaRoot()
    {
        // Arrange
        using TpmKeyStore store = NewStore();
        string ca = _fixture.Tpm.LocalCaDirectory;
        using X509Certificate2 root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(ca, "swtpm-localca-rootca-cert.pem"));
        using X509Certificate2 issuer = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(ca, "issuercert.pem"));

        foreach (EndorsementKeyKind kind in new[] { EndorsementKeyKind.Rsa2048, EndorsementKeyKind.EccP384 })
        {
            // Act
            byte[] der = store.Attestation.ReadEndorsementCertificate(kind) ?? throw new InvalidOperationException($"no {kind} certificate");
            using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(der);
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(root);
            chain.ChainPolicy.ExtraStore.Add(issuer);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            bool built = chain.Build(certificate);

            // Assert
            Assert.True(built, $"{kind}: " + string.Join("; ", chain.ChainStatus.Select(status => $"{status.Status}: {status.StatusInformation}")));
            Assert.Equal(3, chain.ChainElements.Count);
            Assert.Equal(root.Thumbprint, chain.ChainElements[^1].Certificate.Thumbprint);
        }
    }

    [AttestationFact]
    public void EndorsementCertificateChain_NoneInNv_IsEmpty()
    {
        using TpmKeyStore store = NewStore();
        Assert.Empty(store.Attestation.ReadEndorsementCertificateChain());
    }

    [AttestationFact]
    public void EndorsementCertificateChain_InNv_IsReadInIndexOrderAndCompletesTheChain()
    {
        // Arrange: a swtpm whose maker stored the issuer in 0x01c00100 (plain DER) and the root in 0x01c00101
        // (behind a TCG header, with NV padding after it)
        using SwtpmInstance tpm = SwtpmInstance.StartEndorsed();
        using X509Certificate2 root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(tpm.LocalCaDirectory, "swtpm-localca-rootca-cert.pem"));
        using X509Certificate2 issuer = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(tpm.LocalCaDirectory, "issuercert.pem"));
        byte[] wrappedRoot = [0x10, 0x01, 0x00, (byte)(root.RawData.Length >> 8), (byte)root.RawData.Length, .. root.RawData, 0xFF, 0xFF, 0xFF];
        WriteNvIndex(tpm, "0x01c00100", issuer.RawData);
        WriteNvIndex(tpm, "0x01c00101", wrappedRoot);

        using (TpmKeyStore store = NewStore(tpm))
        {
            // Act
            IReadOnlyList<byte[]> chain = store.Attestation.ReadEndorsementCertificateChain();
            byte[] ekCertificate = store.Attestation.ReadEndorsementCertificate(EndorsementKeyKind.EccP384)!;

            // Assert: the certificates, and a chain built from the TPM's NV alone with only the root trusted
            Assert.Equal(2, chain.Count);
            Assert.Equal(issuer.RawData, chain[0]);
            Assert.Equal(root.RawData, chain[1]);
            using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(ekCertificate);
            using X509Certificate2 intermediate = X509CertificateLoader.LoadCertificate(chain[0]);
            using var x509Chain = new X509Chain();
            x509Chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            x509Chain.ChainPolicy.CustomTrustStore.Add(root);
            x509Chain.ChainPolicy.ExtraStore.Add(intermediate);
            x509Chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            Assert.True(x509Chain.Build(leaf));
        }

        AssertNoTransientObjectsOrSessions(tpm);
    }

    [AttestationFact]
    public void EndorsementCertificateChain_NotDer_IsAnIOExceptionNamingTheIndex()
    {
        // Arrange
        using SwtpmInstance tpm = SwtpmInstance.StartEndorsed();
        WriteNvIndex(tpm, "0x01c00102", [0xFF, 0xFF, 0xFF, 0xFF]);
        using TpmKeyStore store = NewStore(tpm);

        // Act
        IOException error = Assert.Throws<IOException>(() => store.Attestation.ReadEndorsementCertificateChain());

        // Assert
        Assert.Contains("0x01c00102", error.Message, StringComparison.Ordinal);
        Assert.Contains("not a DER certificate", error.Message, StringComparison.Ordinal);
    }

    [AttestationFact]
    public void EccP256_WithoutCertificate_IsDerivedFromTheDefaultTemplate()
    {
        // Arrange
        using TpmKeyStore store = NewStore();

        // Act
        EndorsementKey first = store.Attestation.ReadEndorsementKey(EndorsementKeyKind.EccP256);
        EndorsementKey second = store.Attestation.ReadEndorsementKey(EndorsementKeyKind.EccP256);
        byte[]? certificate = store.Attestation.ReadEndorsementCertificate(EndorsementKeyKind.EccP256);

        // Assert: a primary key is a function of the seed and the template, so reading twice gives the same key.
        Assert.Equal(EndorsementKeySource.DefaultTemplate, first.Source);
        Assert.Equal(first.PublicArea, second.PublicArea);
        Assert.Null(certificate);
        TpmPublic area = TpmPublic.Parse(first.PublicArea);
        Assert.Equal(TpmAlg.CurveNistP256, area.Curve);
        using ECDsa key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(first.SubjectPublicKeyInfo, out _);
        Assert.Equal(256, key.KeySize);
    }

    [AttestationFact]
    public void LowRangeEndorsementKeys_AreByteIdenticalToTpm2ToolsCreateek()
    {
        // Arrange: tpm2_createek builds the EK from the TCG low-range templates independently of our shim
        using TpmKeyStore store = NewStore();
        foreach ((EndorsementKeyKind kind, string algorithm) in new[] { (EndorsementKeyKind.Rsa2048, "rsa"), (EndorsementKeyKind.EccP256, "ecc") })
        {
            string publicFile = Path.Combine(_stateDirectory, $"createek-{algorithm}.pub");
            _fixture.Tpm.Tool("tpm2_createek", "-G", algorithm, "-c", Path.Combine(_stateDirectory, $"createek-{algorithm}.ctx"), "-u", publicFile, "-f", "tss");
            _fixture.Tpm.Tool("tpm2_flushcontext", "-t");

            // Act
            EndorsementKey ek = store.Attestation.ReadEndorsementKey(kind);

            // Assert: the whole TPMT_PUBLIC (after the TPM2B size), not only the key
            byte[] expected = File.ReadAllBytes(publicFile)[2..];
            Assert.Equal(expected, ek.PublicArea);
        }
    }

    [AttestationFact]
    public void AttestationKey_IsRestrictedSigning_AndReloadsAfterASwtpmRestart()
    {
        // Arrange
        AttestationKey created;
        using (TpmKeyStore store = NewStore())
        {
            created = store.Attestation.LoadOrCreateAttestationKey();
        }

        // Act
        _fixture.Tpm.Restart();
        AttestationKey reloaded;
        using (TpmKeyStore store = NewStore())
        {
            reloaded = store.Attestation.LoadOrCreateAttestationKey();
        }

        // Assert
        Assert.Equal(created.PublicArea, reloaded.PublicArea);
        Assert.Equal(created.Blob, reloaded.Blob);
        TpmPublic area = TpmPublic.Parse(reloaded.PublicArea);
        Assert.Equal(ExpectedAkAttributes, (uint)area.Attributes);
        Assert.Equal(TpmAlg.CurveNistP256, area.Curve);
        Assert.Equal(TpmAlg.EcDsa, area.Scheme);
        Assert.Equal(TpmAlg.Sha256, area.SchemeHash);
        Assert.Equal([0x00, 0x0B, .. SHA256.HashData(reloaded.PublicArea)], reloaded.Name);
        Assert.True(File.Exists(Path.Combine(_stateDirectory, TpmAttestation.PublicFileName)));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(_stateDirectory, TpmAttestation.PrivateFileName)));
    }

    [AttestationFact]
    public void AttestationKey_RejectedByTheTpm_IsReplaced()
    {
        // Arrange: an AK whose private part is damaged cannot load; the AK carries no identity, so it is replaced.
        using TpmKeyStore store = NewStore();
        AttestationKey original = store.Attestation.LoadOrCreateAttestationKey();
        string privatePath = Path.Combine(_stateDirectory, TpmAttestation.PrivateFileName);
        byte[] damaged = File.ReadAllBytes(privatePath);
        damaged[^5] ^= 0xFF;
        File.WriteAllBytes(privatePath, damaged);

        // Act
        AttestationKey replacement = store.Attestation.LoadOrCreateAttestationKey();

        // Assert
        Assert.NotEqual(original.PublicArea, replacement.PublicArea);
        Assert.Equal(replacement.PublicArea, store.Attestation.LoadOrCreateAttestationKey().PublicArea);
    }

    [AttestationFact]
    public void CertifyMachineKey_ParsesAndVerifiesWithTheAkPublicKey()
    {
        // Arrange
        using TpmKeyStore store = NewStore();
        ISigningKey machineKey = store.Create();
        AttestationKey ak = store.Attestation.LoadOrCreateAttestationKey();
        byte[] nonce = RandomNumberGenerator.GetBytes(32);

        // Act
        MachineKeyCertification certification = store.Attestation.CertifyMachineKey(machineKey, ak, nonce);

        // Assert: the structure
        CertifyInfo info = CertifyInfo.Parse(certification.Attest);
        Assert.Equal(CertifyInfo.GeneratedValue, info.Magic);
        Assert.Equal(CertifyInfo.AttestCertify, info.Type);
        Assert.Equal(nonce, info.ExtraData);
        Assert.Equal([0x00, 0x0B, .. SHA256.HashData(certification.CertifiedPublicArea)], info.Name);

        // Assert: the certified public area is the machine key, with the machine key's attributes
        TpmPublic certified = TpmPublic.Parse(certification.CertifiedPublicArea);
        Assert.Equal(machineKey.PublicKeySec1.ToArray(), certified.EccPointSec1());
        Assert.True(certified.Has(TpmObjectAttributes.FixedTpm | TpmObjectAttributes.FixedParent | TpmObjectAttributes.SensitiveDataOrigin | TpmObjectAttributes.Sign));
        Assert.False(certified.Has(TpmObjectAttributes.Restricted));
        Assert.False(certified.Has(TpmObjectAttributes.Decrypt));

        // Assert: the AK's signature, checked by .NET with the AK's public key, in both encodings
        using ECDsa akKey = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = ak.PublicKeySec1[1..33], Y = ak.PublicKeySec1[33..65] },
        });
        Assert.True(akKey.VerifyData(certification.Attest, certification.SignatureDer, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.True(akKey.VerifyData(certification.Attest, certification.SignatureP1363(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        byte[] otherNonce = (byte[])certification.Attest.Clone();
        otherNonce[4 + 2 + 2 + info.QualifiedSigner.Length + 2] ^= 0x01; // the first byte of extraData
        Assert.NotEqual(nonce, CertifyInfo.Parse(otherNonce).ExtraData);
        Assert.False(akKey.VerifyData(otherNonce, certification.SignatureDer, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        // Assert: the machine key still signs (certify shared the TPM's object slots with it)
        byte[] digest = SHA256.HashData("after certify"u8);
        SignatureAssert.Verifies(machineKey.PublicKeySec1, digest, machineKey.SignDigest(digest));
    }

    [AttestationFact]
    public void CertifyMachineKey_NonceOutOfRange_IsArgumentException()
    {
        // Arrange
        using TpmKeyStore store = NewStore();
        ISigningKey machineKey = store.Create();
        AttestationKey ak = store.Attestation.LoadOrCreateAttestationKey();

        // Act + Assert
        Assert.Throws<ArgumentException>(() => store.Attestation.CertifyMachineKey(machineKey, ak, new byte[15]));
        Assert.Throws<ArgumentException>(() => store.Attestation.CertifyMachineKey(machineKey, ak, new byte[65]));
        Assert.NotNull(store.Attestation.CertifyMachineKey(machineKey, ak, new byte[64]));
    }

    [AttestationFact]
    public void ActivateCredential_RsaEk_ReturnsTheSecret()
    {
        AssertActivationRoundTrip(EndorsementKeyKind.Rsa2048);
    }

    [AttestationFact]
    public void ActivateCredential_EccP384Ek_ReturnsTheSecret()
    {
        AssertActivationRoundTrip(EndorsementKeyKind.EccP384);
    }

    [AttestationFact]
    public void ActivateCredential_EccP256Ek_ReturnsTheSecret()
    {
        AssertActivationRoundTrip(EndorsementKeyKind.EccP256);
    }

    [AttestationFact]
    public void ActivateCredential_MadeForAnotherAkName_IsRejectedCleanly()
    {
        using TpmKeyStore store = NewStore();
        AttestationKey ak = store.Attestation.LoadOrCreateAttestationKey();
        byte[] otherName = [0x00, 0x0B, .. RandomNumberGenerator.GetBytes(32)];
        byte[] secret = RandomNumberGenerator.GetBytes(32);

        foreach (EndorsementKeyKind kind in new[] { EndorsementKeyKind.Rsa2048, EndorsementKeyKind.EccP384 })
        {
            // Arrange
            EndorsementKey ek = store.Attestation.ReadEndorsementKey(kind);
            MadeCredential wrong = MadeCredential.Make(_fixture.Tpm, ek.PublicArea, otherName, secret, _stateDirectory);
            MadeCredential right = MadeCredential.Make(_fixture.Tpm, ek.PublicArea, ak.Name, secret, _stateDirectory);

            // Act
            CredentialRejectedException rejected = Assert.Throws<CredentialRejectedException>(
                () => store.Attestation.ActivateCredential(kind, ak, wrong.CredentialBlob, wrong.EncryptedSecret));

            // Assert: a clear reason, and the store keeps working
            Assert.Contains("refused the credential", rejected.Message, StringComparison.Ordinal);
            Assert.Equal(secret, store.Attestation.ActivateCredential(kind, ak, right.CredentialBlob, right.EncryptedSecret));
        }

        store.Dispose();
        AssertNoTransientObjectsOrSessions(_fixture.Tpm);
    }

    [AttestationFact]
    public void ActivateCredential_SecretForAnotherEk_IsRejected()
    {
        // Arrange: the credential is encrypted to the P-384 EK but presented for the RSA EK
        using TpmKeyStore store = NewStore();
        AttestationKey ak = store.Attestation.LoadOrCreateAttestationKey();
        EndorsementKey p384 = store.Attestation.ReadEndorsementKey(EndorsementKeyKind.EccP384);
        MadeCredential credential = MadeCredential.Make(_fixture.Tpm, p384.PublicArea, ak.Name, RandomNumberGenerator.GetBytes(16), _stateDirectory);

        // Act
        CredentialRejectedException rejected = Assert.Throws<CredentialRejectedException>(
            () => store.Attestation.ActivateCredential(EndorsementKeyKind.Rsa2048, ak, credential.CredentialBlob, credential.EncryptedSecret));

        // Assert
        Assert.Contains("refused the credential", rejected.Message, StringComparison.Ordinal);
        store.Dispose();
        AssertNoTransientObjectsOrSessions(_fixture.Tpm);
    }

    [AttestationFact]
    public void ActivateCredential_MalformedInput_IsArgumentException()
    {
        // Arrange
        using TpmKeyStore store = NewStore();
        AttestationKey ak = store.Attestation.LoadOrCreateAttestationKey();
        EndorsementKey ek = store.Attestation.ReadEndorsementKey(EndorsementKeyKind.Rsa2048);
        MadeCredential credential = MadeCredential.Make(_fixture.Tpm, ek.PublicArea, ak.Name, [1, 2, 3, 4], _stateDirectory);

        // Act + Assert: a size prefix that disagrees, trailing bytes, nothing at all
        ArgumentException truncated = Assert.Throws<ArgumentException>(
            () => store.Attestation.ActivateCredential(EndorsementKeyKind.Rsa2048, ak, credential.CredentialBlob[..^1], credential.EncryptedSecret));
        Assert.Contains("TPM2B_ID_OBJECT", truncated.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(
            () => store.Attestation.ActivateCredential(EndorsementKeyKind.Rsa2048, ak, credential.CredentialBlob, [.. credential.EncryptedSecret, 0]));
        Assert.Throws<ArgumentException>(
            () => store.Attestation.ActivateCredential(EndorsementKeyKind.Rsa2048, ak, [], credential.EncryptedSecret));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => store.Attestation.ActivateCredential((EndorsementKeyKind)9, ak, credential.CredentialBlob, credential.EncryptedSecret));
        Assert.Equal([1, 2, 3, 4], store.Attestation.ActivateCredential(EndorsementKeyKind.Rsa2048, ak, credential.CredentialBlob, credential.EncryptedSecret));
    }

    [AttestationFact]
    public void EveryOperation_LeavesNoTransientObjectOrSession()
    {
        // Arrange
        using (TpmKeyStore store = NewStore())
        {
            ISigningKey machineKey = store.Create();
            AttestationKey ak = store.Attestation.LoadOrCreateAttestationKey();

            // Act: every primitive, for every EK kind, including failures
            foreach (EndorsementKeyKind kind in Enum.GetValues<EndorsementKeyKind>())
            {
                EndorsementKey ek = store.Attestation.ReadEndorsementKey(kind);
                _ = store.Attestation.ReadEndorsementCertificate(kind);
                MadeCredential credential = MadeCredential.Make(_fixture.Tpm, ek.PublicArea, ak.Name, [7, 7, 7], _stateDirectory);
                _ = store.Attestation.ActivateCredential(kind, ak, credential.CredentialBlob, credential.EncryptedSecret);
                MadeCredential wrong = MadeCredential.Make(_fixture.Tpm, ek.PublicArea, [0x00, 0x0B, .. new byte[32]], [7], _stateDirectory);
                Assert.Throws<CredentialRejectedException>(() => store.Attestation.ActivateCredential(kind, ak, wrong.CredentialBlob, wrong.EncryptedSecret));
            }

            _ = store.Attestation.ReadEndorsementCertificateChain();
            _ = store.Attestation.CertifyMachineKey(machineKey, ak, RandomNumberGenerator.GetBytes(32));
            Assert.Throws<ArgumentException>(() => store.Attestation.CertifyMachineKey(machineKey, ak, new byte[8]));
            _ = machineKey.SignDigest(new byte[32]);
        }

        // Assert: the store's own SRK and machine key went with its context; nothing else was left behind
        AssertNoTransientObjectsOrSessions(_fixture.Tpm);
    }

    [AttestationFact]
    public void CertifyAndActivate_AfterATpmReset_ReloadEverythingOnTheSameContext()
    {
        // Arrange: the store's context holds a transient SRK and the machine key when the TPM is reset under it
        using (TpmKeyStore store = NewStore())
        {
            ISigningKey machineKey = store.Create();
            AttestationKey ak = store.Attestation.LoadOrCreateAttestationKey();
            _ = machineKey.SignDigest(new byte[32]);
            EndorsementKey ek = store.Attestation.ReadEndorsementKey(EndorsementKeyKind.Rsa2048);
            byte[] secret = RandomNumberGenerator.GetBytes(32);
            MadeCredential credential = MadeCredential.Make(_fixture.Tpm, ek.PublicArea, ak.Name, secret, _stateDirectory);
            _fixture.Tpm.ResetTpm();

            // Act
            byte[] nonce = RandomNumberGenerator.GetBytes(32);
            MachineKeyCertification certification = store.Attestation.CertifyMachineKey(machineKey, ak, nonce);
            _fixture.Tpm.ResetTpm();
            byte[] activated = store.Attestation.ActivateCredential(EndorsementKeyKind.Rsa2048, ak, credential.CredentialBlob, credential.EncryptedSecret);

            // Assert: the certified key is the machine key, not whatever took its old handle after the reset
            CertifyInfo info = CertifyInfo.Parse(certification.Attest);
            Assert.Equal([0x00, 0x0B, .. SHA256.HashData(certification.CertifiedPublicArea)], info.Name);
            Assert.Equal(machineKey.PublicKeySec1.ToArray(), TpmPublic.Parse(certification.CertifiedPublicArea).EccPointSec1());
            Assert.Equal(nonce, info.ExtraData);
            Assert.Equal(secret, activated);
        }

        AssertNoTransientObjectsOrSessions(_fixture.Tpm);
    }

    [AttestationFact]
    public void EndorsementKeys_WithoutPersistentHandles_AreDerivedFromTheProfileTemplates()
    {
        // Arrange: a second endorsed swtpm whose persistent EKs are evicted, so the shim must create them from the
        // TCG templates; the certificates (issued for the provisioned keys) prove the templates are byte-exact.
        using SwtpmInstance tpm = SwtpmInstance.StartEndorsed();
        tpm.Tool("tpm2_evictcontrol", "-C", "o", "-c", "0x81010001");
        tpm.Tool("tpm2_evictcontrol", "-C", "o", "-c", "0x81010016");

        using (TpmKeyStore store = NewStore(tpm))
        {
            ISigningKey machineKey = store.Create();
            AttestationKey ak = store.Attestation.LoadOrCreateAttestationKey();
            foreach (EndorsementKeyKind kind in new[] { EndorsementKeyKind.Rsa2048, EndorsementKeyKind.EccP384 })
            {
                // Act
                EndorsementKey ek = store.Attestation.ReadEndorsementKey(kind);
                byte[] der = store.Attestation.ReadEndorsementCertificate(kind)!;
                byte[] secret = RandomNumberGenerator.GetBytes(32);
                MadeCredential credential = MadeCredential.Make(tpm, ek.PublicArea, ak.Name, secret, _stateDirectory);
                _ = machineKey.SignDigest(new byte[32]); // the machine key holds a slot: activation must make room

                // Assert
                Assert.Equal(EndorsementKeySource.DefaultTemplate, ek.Source);
                using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(der);
                Assert.Equal(certificate.PublicKey.ExportSubjectPublicKeyInfo(), ek.SubjectPublicKeyInfo);
                Assert.Equal(secret, store.Attestation.ActivateCredential(kind, ak, credential.CredentialBlob, credential.EncryptedSecret));
            }
        }

        AssertNoTransientObjectsOrSessions(tpm);
    }

    [AttestationFact]
    public void EndorsementHierarchyWithAPassword_IsRefusedWithAClearReason()
    {
        // Arrange: the shim uses the endorsement hierarchy's empty auth value; an owner who set one keeps it out
        using SwtpmInstance tpm = SwtpmInstance.StartEndorsed();
        using (TpmKeyStore store = NewStore(tpm))
        {
            AttestationKey ak = store.Attestation.LoadOrCreateAttestationKey();
            EndorsementKey rsa = store.Attestation.ReadEndorsementKey(EndorsementKeyKind.Rsa2048);
            MadeCredential credential = MadeCredential.Make(tpm, rsa.PublicArea, ak.Name, [1, 2, 3], _stateDirectory);
            tpm.Tool("tpm2_changeauth", "-c", "e", "launcher-test");

            // Act: creating the P-256 EK and the RSA EK's PolicySecret both need the endorsement auth
            IOException create = Assert.Throws<IOException>(() => store.Attestation.ReadEndorsementKey(EndorsementKeyKind.EccP256));
            IOException activate = Assert.Throws<IOException>(
                () => store.Attestation.ActivateCredential(EndorsementKeyKind.Rsa2048, ak, credential.CredentialBlob, credential.EncryptedSecret));

            // Assert
            Assert.Contains("NotPermitted", create.Message, StringComparison.Ordinal);
            Assert.Contains("endorsement hierarchy", create.Message, StringComparison.Ordinal);
            Assert.Contains("NotPermitted", activate.Message, StringComparison.Ordinal);
            Assert.Contains("PolicySecret", activate.Message, StringComparison.Ordinal);
        }

        AssertNoTransientObjectsOrSessions(tpm);
    }

    private void AssertActivationRoundTrip(EndorsementKeyKind kind)
    {
        // Arrange
        using (TpmKeyStore store = NewStore())
        {
            AttestationKey ak = store.Attestation.LoadOrCreateAttestationKey();
            EndorsementKey ek = store.Attestation.ReadEndorsementKey(kind);
            byte[] secret = RandomNumberGenerator.GetBytes(32);
            MadeCredential credential = MadeCredential.Make(_fixture.Tpm, ek.PublicArea, ak.Name, secret, _stateDirectory);

            // Act
            byte[] activated = store.Attestation.ActivateCredential(kind, ak, credential.CredentialBlob, credential.EncryptedSecret);

            // Assert
            Assert.Equal(secret, activated);
        }

        AssertNoTransientObjectsOrSessions(_fixture.Tpm);
    }

    private void WriteNvIndex(SwtpmInstance tpm, string index, byte[] contents)
    {
        string file = Path.Combine(_stateDirectory, $"nv-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(file, contents);
        tpm.Tool("tpm2_nvdefine", index, "-C", "o", "-s", contents.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), "-a", "ownerwrite|ownerread|authread|authwrite|no_da");
        tpm.Tool("tpm2_nvwrite", index, "-C", "o", "-i", file);
    }

    private static void AssertNoTransientObjectsOrSessions(SwtpmInstance tpm)
    {
        Assert.Equal(string.Empty, tpm.Tool("tpm2_getcap", "handles-transient").Trim());
        Assert.Equal(string.Empty, tpm.Tool("tpm2_getcap", "handles-loaded-session").Trim());
    }
}

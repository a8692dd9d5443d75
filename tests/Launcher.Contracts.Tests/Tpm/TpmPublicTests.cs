using System.Security.Cryptography;
using Launcher.Contracts.Tpm;
using Xunit;

namespace Launcher.Contracts.Tests.Tpm;

/// <summary>
/// The one TPMT_PUBLIC parser, on areas marshalled in software; its known-answer tests against a real TPM (swtpm) run
/// in Launcher.Platform.Tests (the daemon's EK, AK and certified key) and Launcher.Attestation.Tests (the verifier).
/// </summary>
public sealed class TpmPublicTests
{
    private static ECParameters NewP256() => ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportParameters(false);

    [Fact]
    public void Parse_AttestationKeyArea_ReadsEveryField()
    {
        // Arrange
        ECParameters key = NewP256();
        byte[] bytes = TpmtPublicFields.Ecc(key).Marshal();

        // Act
        TpmPublic area = TpmPublic.Parse(bytes);

        // Assert
        Assert.Equal(TpmAlg.Ecc, area.Type);
        Assert.Equal(TpmAlg.Sha256, area.NameAlg);
        Assert.Equal(0x00050472u, (uint)area.Attributes);
        Assert.True(area.Has(TpmObjectAttributes.Restricted | TpmObjectAttributes.Sign));
        Assert.False(area.Has(TpmObjectAttributes.Decrypt));
        Assert.Empty(area.AuthPolicy);
        Assert.Equal(TpmAlg.Null, area.SymmetricAlg);
        Assert.Equal(TpmAlg.EcDsa, area.Scheme);
        Assert.Equal(TpmAlg.Sha256, area.SchemeHash);
        Assert.Equal(TpmAlg.CurveNistP256, area.Curve);
        Assert.Equal(TpmAlg.Null, area.Kdf);
        Assert.Equal(key.Q.X, area.EccX);
        Assert.Equal(key.Q.Y, area.EccY);
        Assert.Equal([0x04, .. key.Q.X!, .. key.Q.Y!], area.EccPointSec1());
        Assert.Equal(bytes, area.Raw);
    }

    [Fact]
    public void Parse_RsaEndorsementKeyArea_ReadsEveryFieldAndExportsTheKey()
    {
        // Arrange
        using var rsa = RSA.Create(2048);
        RSAParameters key = rsa.ExportParameters(false);

        // Act
        TpmPublic area = TpmPublic.ParseSized(TpmtPublicFields.Rsa(key).MarshalSized());

        // Assert
        Assert.Equal(TpmAlg.Rsa, area.Type);
        Assert.Equal(new byte[32], area.AuthPolicy);
        Assert.Equal(TpmAlg.Aes, area.SymmetricAlg);
        Assert.Equal(128, area.SymmetricKeyBits);
        Assert.Equal(TpmAlg.Cfb, area.SymmetricMode);
        Assert.Equal(TpmAlg.Null, area.Scheme);
        Assert.Equal(2048, area.RsaKeyBits);
        Assert.Equal(0u, area.RsaExponent);
        Assert.Equal(key.Modulus, area.RsaModulus);
        Assert.Equal([0x01, 0x00, 0x01], area.RsaParameters().Exponent);
        Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), area.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void ComputeName_IsNameAlgThenTheDigestOfTheMarshalledArea()
    {
        byte[] bytes = TpmtPublicFields.Ecc(NewP256()).Marshal();
        byte[] sha384Bytes = (TpmtPublicFields.Ecc(NewP256()) with { NameAlg = TpmAlg.Sha384 }).Marshal();

        Assert.Equal([0x00, 0x0B, .. SHA256.HashData(bytes)], TpmPublic.Parse(bytes).ComputeName());
        Assert.Equal([0x00, 0x0C, .. SHA384.HashData(sha384Bytes)], TpmPublic.Parse(sha384Bytes).ComputeName());
    }

    [Fact]
    public void ParseSized_EveryTruncation_IsAFormatErrorNamingTheField()
    {
        byte[] full = TpmtPublicFields.Ecc(NewP256()).MarshalSized();

        for (int length = 0; length < full.Length; length++)
        {
            var error = Assert.Throws<TpmFormatException>(() => TpmPublic.ParseSized(full.AsSpan(0, length)));
            Assert.False(string.IsNullOrWhiteSpace(error.Message));
        }
    }

    [Fact]
    public void Parse_TruncatedOrPadded_IsAFormatException()
    {
        byte[] area = TpmtPublicFields.Ecc(NewP256()).Marshal();

        Assert.Throws<TpmFormatException>(() => TpmPublic.Parse(area[..^1]));
        Assert.Throws<TpmFormatException>(() => TpmPublic.Parse([.. area, 0x00]));
        Assert.Throws<TpmFormatException>(() => TpmPublic.Parse([]));
        Assert.Throws<TpmFormatException>(() => TpmPublic.ParseSized([.. TpmtPublicFields.Ecc(NewP256()).MarshalSized(), 0x00]));

        // The daemon catches FormatException around every parse.
        Assert.IsAssignableFrom<FormatException>(new TpmFormatException("x"));
    }

    public static TheoryData<string, TpmtPublicFields> Refused()
    {
        ECParameters p256 = NewP256();
        TpmtPublicFields ecc = TpmtPublicFields.Ecc(p256);
        using var rsa = RSA.Create(2048);
        TpmtPublicFields rsaEk = TpmtPublicFields.Rsa(rsa.ExportParameters(false));
        return new TheoryData<string, TpmtPublicFields>
        {
            { "type", ecc with { Type = TpmAlg.KeyedHash } },
            { "nameAlg", ecc with { NameAlg = TpmAlg.Sha1 } },
            { "nameAlg", ecc with { NameAlg = TpmAlg.Null } },
            { "authPolicy", ecc with { AuthPolicy = new byte[20] } },
            { "authPolicy", ecc with { AuthPolicy = new byte[65] } },
            { "symmetric.algorithm", ecc with { Symmetric = [0x0003, 128, TpmAlg.Cfb] } },
            { "symmetric.keyBits", ecc with { Symmetric = [TpmAlg.Aes, 129, TpmAlg.Cfb] } },
            { "symmetric.mode", ecc with { Symmetric = [TpmAlg.Aes, 128, TpmAlg.Sha256] } },
            { "scheme", ecc with { Scheme = [TpmAlg.RsaSsa, TpmAlg.Sha256] } },
            { "scheme", ecc with { Scheme = [0x7777, TpmAlg.Sha256] } },
            { "scheme", rsaEk with { Scheme = [TpmAlg.EcDsa, TpmAlg.Sha256] } },
            { "scheme.hashAlg", ecc with { Scheme = [TpmAlg.EcDsa, TpmAlg.Null] } },
            { "curve", ecc with { Curve = 0x0010 } },
            { "ecc.kdf", ecc with { Kdf = [TpmAlg.Sha256, TpmAlg.Sha256] } },
            { "ecc.kdf.hashAlg", ecc with { Kdf = [TpmAlg.Kdf2, 0x0027] } },
            { "ecc.unique", ecc with { X = [] } },
            { "ecc.unique", ecc with { Y = [0x00, .. p256.Q.Y!] } },
            { "ecc.unique.x", ecc with { X = new byte[67] } },
            { "not on the curve", ecc with { Y = p256.Q.X! } },
            { "rsa.keyBits", rsaEk with { RsaKeyBits = 2040, RsaModulus = rsaEk.RsaModulus[..255] } },
            { "rsa.unique", rsaEk with { RsaModulus = rsaEk.RsaModulus[..128] } },
            { "rsa.unique", rsaEk with { RsaKeyBits = 4096, RsaModulus = new byte[513] } },
            { "rsa.exponent", rsaEk with { RsaExponent = 65538 } },
            { "rsa.exponent", rsaEk with { RsaExponent = 1 } },
        };
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Parse_WhatNeitherSideMayAccept_IsRefusedNamingTheField(string field, TpmtPublicFields fields)
    {
        var error = Assert.Throws<TpmFormatException>(() => TpmPublic.Parse(fields.Marshal()));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SchemesWithoutAHashOrWithACount_ReadTheirDetailsExactly()
    {
        using var rsa = RSA.Create(2048);
        TpmPublic rsaes = TpmPublic.Parse((TpmtPublicFields.Rsa(rsa.ExportParameters(false)) with { Scheme = [TpmAlg.RsaEs] }).Marshal());
        TpmPublic ecdaa = TpmPublic.Parse((TpmtPublicFields.Ecc(NewP256()) with { Scheme = [TpmAlg.EcDaa, TpmAlg.Sha256, 7] }).Marshal());
        TpmPublic kdf = TpmPublic.Parse((TpmtPublicFields.Ecc(NewP256()) with { Kdf = [TpmAlg.Kdf1Sp80056A, TpmAlg.Sha384] }).Marshal());

        Assert.Equal((TpmAlg.RsaEs, TpmAlg.Null), (rsaes.Scheme, rsaes.SchemeHash));
        Assert.Equal((TpmAlg.EcDaa, TpmAlg.Sha256, (ushort)7), (ecdaa.Scheme, ecdaa.SchemeHash, ecdaa.SchemeCount));
        Assert.Equal((TpmAlg.Kdf1Sp80056A, TpmAlg.Sha384), (kdf.Kdf, kdf.KdfHash));
    }

    [Fact]
    public void Parse_P384AndP521Points_ExportTheirKeys()
    {
        foreach ((ECCurve curve, ushort id, ushort nameAlg) in new[] { (ECCurve.NamedCurves.nistP384, TpmAlg.CurveNistP384, TpmAlg.Sha384), (ECCurve.NamedCurves.nistP521, TpmAlg.CurveNistP521, TpmAlg.Sha512) })
        {
            using var key = ECDsa.Create(curve);
            TpmtPublicFields fields = TpmtPublicFields.Ecc(key.ExportParameters(false)) with { Curve = id, NameAlg = nameAlg };

            TpmPublic area = TpmPublic.Parse(fields.Marshal());

            Assert.Equal(key.ExportSubjectPublicKeyInfo(), area.ExportSubjectPublicKeyInfo());
            Assert.Equal(1 + (2 * area.CurveSize), area.EccPointSec1().Length);
        }
    }

    [Fact]
    public void EccPointSec1_ShortCoordinate_IsLeftPaddedToTheCurveSize()
    {
        // Arrange: a point whose x starts with a zero byte, marshalled without it (as some TPMs do).
        ECParameters key = NewP256();
        for (int i = 0; key.Q.X![0] != 0; i++)
        {
            Assert.True(i < 100_000, "no P-256 key with a leading zero byte in x");
            key = NewP256();
        }

        // Act
        TpmPublic area = TpmPublic.Parse((TpmtPublicFields.Ecc(key) with { X = key.Q.X[1..] }).Marshal());

        // Assert
        Assert.Equal(31, area.EccX.Length);
        Assert.Equal([0x04, .. key.Q.X, .. key.Q.Y!], area.EccPointSec1());
        Assert.Equal(key.Q.X, area.EcParameters().Q.X);
    }

    [Fact]
    public void KeyOfTheOtherType_IsAFormatException()
    {
        using var rsa = RSA.Create(2048);
        TpmPublic rsaArea = TpmPublic.Parse(TpmtPublicFields.Rsa(rsa.ExportParameters(false)).Marshal());
        TpmPublic eccArea = TpmPublic.Parse(TpmtPublicFields.Ecc(NewP256()).Marshal());

        Assert.Throws<TpmFormatException>(() => rsaArea.EccPointSec1());
        Assert.Throws<TpmFormatException>(() => rsaArea.EcParameters());
        Assert.Throws<TpmFormatException>(() => eccArea.RsaParameters());
    }

    [Fact]
    public void Parse_EveryMutationOfAValidArea_ParsesOrIsAFormatException()
    {
        // Every single-byte change of an ECC and an RSA area: anything but TpmFormatException escaping is a bug.
        using var rsa = RSA.Create(2048);
        byte[][] valid = [TpmtPublicFields.Ecc(NewP256()).Marshal(), TpmtPublicFields.Rsa(rsa.ExportParameters(false)).Marshal()];
        var random = new Random(1234);
        foreach (byte[] area in valid)
        {
            for (int offset = 0; offset < area.Length; offset++)
            {
                byte[] mutated = [.. area];
                mutated[offset] ^= (byte)random.Next(1, 256);
                try
                {
                    TpmPublic parsed = TpmPublic.Parse(mutated);
                    Assert.Equal(mutated, parsed.Raw);
                }
                catch (TpmFormatException)
                {
                }
            }
        }
    }

    [Fact]
    public void Parse_RandomBytes_NeverThrowsAnythingButFormatErrors()
    {
        var random = new Random(4321);
        for (int i = 0; i < 5000; i++)
        {
            byte[] bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            try
            {
                TpmPublic.Parse(bytes);
            }
            catch (TpmFormatException)
            {
            }
        }
    }
}

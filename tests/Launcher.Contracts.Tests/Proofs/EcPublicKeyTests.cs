using System.Security.Cryptography;
using Launcher.Contracts.Identity;
using Xunit;

namespace Launcher.Contracts.Tests.Proofs;

public sealed class EcPublicKeyTests
{
    [Fact]
    public void Spki_IsWhatOpenSslExports_AndRoundTrips()
    {
        for (int i = 0; i < 50; i++)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            byte[] expected = key.ExportSubjectPublicKeyInfo();
            ECParameters parameters = key.ExportParameters(false);

            EcPublicKey fromSec1 = EcPublicKey.FromSec1([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]);
            Assert.Equal(expected, fromSec1.Spki);
            EcPublicKey fromSpki = EcPublicKey.FromSpki(expected);
            Assert.Equal(parameters.Q.X, fromSpki.X);
            Assert.Equal(parameters.Q.Y, fromSpki.Y);
            Assert.Equal(fromSec1.Thumbprint, fromSpki.Thumbprint);

            using ECDsa imported = ECDsa.Create();
            imported.ImportSubjectPublicKeyInfo(fromSec1.Spki, out int read);
            Assert.Equal(fromSec1.Spki.Length, read);
        }
    }

    [Fact]
    public void PointsOffTheCurve_AreRefused()
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters parameters = key.ExportParameters(false);
        byte[] x = parameters.Q.X!;
        byte[] y = parameters.Q.Y!;

        byte[] flipped = (byte[])y.Clone();
        flipped[31] ^= 0x01;
        Assert.Throws<FormatException>(() => EcPublicKey.FromSec1([0x04, .. x, .. flipped]));
        byte[] zero = new byte[65];
        zero[0] = 0x04;
        Assert.Throws<FormatException>(() => EcPublicKey.FromSec1(zero));

        // A coordinate at or above p (here p itself and 2^256 - 1) is refused even where it would reduce onto the curve.
        byte[] p = Convert.FromHexString("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
        byte[] max = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        Assert.Throws<FormatException>(() => EcPublicKey.FromSec1([0x04, .. p, .. y]));
        Assert.Throws<FormatException>(() => EcPublicKey.FromSec1([0x04, .. x, .. max]));

        // The fast SubjectPublicKeyInfo path checks the point too.
        byte[] spki = key.ExportSubjectPublicKeyInfo();
        spki[^1] ^= 0x01;
        Assert.Throws<FormatException>(() => EcPublicKey.FromSpki(spki));
        Assert.Throws<FormatException>(() => EcPublicKey.FromSec1([0x02, .. x, .. y]));
    }

    [Fact]
    public void TheNegatedPoint_IsAccepted()
    {
        // (x, p - y) is on the curve too: the check is the curve equation, not a comparison with one known point.
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters parameters = key.ExportParameters(false);
        var p = new System.Numerics.BigInteger(Convert.FromHexString("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF"), isUnsigned: true, isBigEndian: true);
        var y = new System.Numerics.BigInteger(parameters.Q.Y!, isUnsigned: true, isBigEndian: true);
        byte[] negated = (p - y).ToByteArray(isUnsigned: true, isBigEndian: true);
        negated = [.. new byte[32 - negated.Length], .. negated];

        EcPublicKey key2 = EcPublicKey.FromSec1([0x04, .. parameters.Q.X!, .. negated]);
        using ECDsa imported = ECDsa.Create(key2.Parameters);
        Assert.Equal(256, imported.KeySize);
    }
}

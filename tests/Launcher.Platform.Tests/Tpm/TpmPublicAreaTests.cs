using System.Security.Cryptography;
using Launcher.Platform.Attestation;
using Xunit;

namespace Launcher.Platform.Tests.Tpm;

public sealed class TpmPublicAreaTests
{
    // The attestation key template with a made-up point: type ECC, nameAlg SHA-256, attributes 0x00050472, empty
    // policy, symmetric NULL, scheme ECDSA/SHA-256, curve P-256, KDF NULL, x and y of 32 bytes.
    private static byte[] AkArea(byte fill)
    {
        byte[] head = Convert.FromHexString("0023000B000504720000" + "0010" + "0018000B" + "0003" + "0010");
        return [.. head, 0x00, 0x20, .. Enumerable.Repeat(fill, 32), 0x00, 0x20, .. Enumerable.Repeat((byte)(fill + 1), 32)];
    }

    [Fact]
    public void Parse_AttestationKeyArea_ReadsEveryField()
    {
        // Act
        TpmPublicArea area = TpmPublicArea.Parse(AkArea(0x11));

        // Assert
        Assert.Equal(TpmPublicArea.AlgEcc, area.Type);
        Assert.Equal(TpmPublicArea.AlgSha256, area.NameAlg);
        Assert.Equal(0x00050472u, area.ObjectAttributes);
        Assert.True(area.Has(TpmPublicArea.AttributeRestricted | TpmPublicArea.AttributeSign));
        Assert.Equal(TpmPublicArea.CurveNistP256, area.Curve);
        Assert.Equal(0x0018, area.Scheme);
        byte[] point = area.EccPointSec1();
        Assert.Equal(65, point.Length);
        Assert.Equal(0x11, point[1]);
        Assert.Equal(0x12, point[64]);
    }

    [Fact]
    public void ComputeName_IsNameAlgThenTheHashOfTheArea()
    {
        byte[] area = AkArea(0x22);
        Assert.Equal([0x00, 0x0B, .. SHA256.HashData(area)], TpmPublicArea.ComputeName(area));
    }

    [Fact]
    public void Parse_TruncatedOrPadded_IsFormatException()
    {
        byte[] area = AkArea(0x33);
        Assert.Throws<FormatException>(() => TpmPublicArea.Parse(area[..^1]));
        Assert.Throws<FormatException>(() => TpmPublicArea.Parse([.. area, 0x00]));
        Assert.Throws<FormatException>(() => TpmPublicArea.Parse([]));
        Assert.Throws<FormatException>(() => TpmPublicArea.ComputeName(Convert.FromHexString("0023000400000000")));
    }
}

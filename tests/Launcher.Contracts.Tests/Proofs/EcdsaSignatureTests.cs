using Launcher.Contracts.Proofs;
using Xunit;

namespace Launcher.Contracts.Tests.Proofs;

public sealed class EcdsaSignatureTests
{
    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    private static byte[] Integer(byte[] content) => [0x02, (byte)content.Length, .. content];

    private static byte[] Sequence(params byte[][] parts)
    {
        byte[] body = parts.SelectMany(part => part).ToArray();
        return [0x30, (byte)body.Length, .. body];
    }

    [Fact]
    public void DerToP1363_FullLengthValues_ConcatenatesRAndS()
    {
        // Arrange
        byte[] r = Filled(32, 0x11);
        byte[] s = Filled(32, 0x22);
        byte[] der = Sequence(Integer(r), Integer(s));

        // Act
        byte[] p1363 = EcdsaSignature.DerToP1363(der);

        // Assert
        Assert.Equal([.. r, .. s], p1363);
    }

    [Fact]
    public void DerToP1363_ShortR_LeftPadsR()
    {
        // Arrange
        byte[] r = Filled(30, 0x33);
        byte[] s = Filled(32, 0x44);
        byte[] der = Sequence(Integer(r), Integer(s));

        // Act
        byte[] p1363 = EcdsaSignature.DerToP1363(der);

        // Assert
        Assert.Equal([0, 0, .. r, .. s], p1363);
    }

    [Fact]
    public void DerToP1363_ShortS_LeftPadsS()
    {
        // Arrange
        byte[] r = Filled(32, 0x55);
        byte[] s = [0x01];
        byte[] der = Sequence(Integer(r), Integer(s));

        // Act
        byte[] p1363 = EcdsaSignature.DerToP1363(der);

        // Assert
        Assert.Equal([.. r, .. Filled(31, 0), 0x01], p1363);
    }

    [Fact]
    public void DerToP1363_RWithLeadingZeroForHighBit_StripsTheZero()
    {
        // Arrange
        byte[] r = Filled(32, 0x80);
        byte[] s = Filled(32, 0xff);
        byte[] der = Sequence(Integer([0x00, .. r]), Integer([0x00, .. s]));

        // Act
        byte[] p1363 = EcdsaSignature.DerToP1363(der);

        // Assert
        Assert.Equal(72, der.Length);
        Assert.Equal([.. r, .. s], p1363);
    }

    [Fact]
    public void DerToP1363_ThirtyThreeByteRWithoutPaddingReason_Throws()
    {
        // Arrange: 33 bytes whose leading zero is redundant (the next byte's high bit is clear).
        byte[] der = Sequence(Integer([0x00, .. Filled(32, 0x7f)]), Integer(Filled(32, 0x01)));

        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(der));
    }

    [Fact]
    public void DerToP1363_ThirtyThreeSignificantBytes_Throws()
    {
        // Arrange: a value wider than the P-256 field.
        byte[] der = Sequence(Integer(Filled(33, 0x01)), Integer(Filled(32, 0x01)));

        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(der));
    }

    [Fact]
    public void DerToP1363_NegativeInteger_Throws()
    {
        // Arrange
        byte[] der = Sequence(Integer(Filled(32, 0x80)), Integer(Filled(32, 0x01)));

        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(der));
    }

    [Fact]
    public void DerToP1363_ZeroInteger_Throws()
    {
        // Arrange
        byte[] der = Sequence(Integer([0x00]), Integer(Filled(32, 0x01)));

        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(der));
    }

    [Fact]
    public void DerToP1363_TrailingBytesAfterSequence_Throws()
    {
        // Arrange
        byte[] der = [.. Sequence(Integer(Filled(32, 0x01)), Integer(Filled(32, 0x02))), 0x00];

        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(der));
    }

    [Fact]
    public void DerToP1363_TrailingBytesInsideSequence_Throws()
    {
        // Arrange
        byte[] der = Sequence(Integer(Filled(32, 0x01)), Integer(Filled(32, 0x02)), [0x05, 0x00]);

        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(der));
    }

    [Fact]
    public void DerToP1363_SequenceLengthTooLong_Throws()
    {
        // Arrange
        byte[] der = Sequence(Integer(Filled(32, 0x01)), Integer(Filled(32, 0x02)));
        der[1]++;

        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(der));
    }

    [Fact]
    public void DerToP1363_IntegerLengthPastSequence_Throws()
    {
        // Arrange
        byte[] der = Sequence(Integer(Filled(32, 0x01)), Integer(Filled(32, 0x02)));
        der[3] = 0x60;

        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(der));
    }

    [Fact]
    public void DerToP1363_NonMinimalLongFormLength_Throws()
    {
        // Arrange: 0x81 0x44 where the short form 0x44 was required.
        byte[] body = [.. Integer(Filled(32, 0x01)), .. Integer(Filled(32, 0x02))];
        byte[] der = [0x30, 0x81, (byte)body.Length, .. body];

        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(der));
    }

    [Fact]
    public void DerToP1363_LongFormLengthForLargeField_Parses()
    {
        // Arrange: P-521 signatures need the long form (body of 136 bytes).
        byte[] r = [0x01, .. Filled(65, 0x23)];
        byte[] s = [0x01, .. Filled(65, 0x45)];
        byte[] body = [.. Integer(r), .. Integer(s)];
        byte[] der = [0x30, 0x81, (byte)body.Length, .. body];

        // Act
        byte[] p1363 = EcdsaSignature.DerToP1363(der, fieldBytes: 66);

        // Assert
        Assert.Equal([.. r, .. s], p1363);
    }

    [Fact]
    public void DerToP1363_IndefiniteLength_Throws()
    {
        // Arrange
        byte[] der = [0x30, 0x80, .. Integer([0x01]), .. Integer([0x01]), 0x00, 0x00];

        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(der));
    }

    [Fact]
    public void DerToP1363_WrongOuterTag_Throws()
    {
        // Arrange
        byte[] der = Sequence(Integer([0x01]), Integer([0x01]));
        der[0] = 0x31;

        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(der));
    }

    [Fact]
    public void DerToP1363_OneIntegerOnly_Throws()
    {
        // Arrange
        byte[] der = Sequence(Integer(Filled(32, 0x01)));

        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(der));
    }

    [Fact]
    public void DerToP1363_EmptyInput_Throws()
    {
        // Act + Assert
        Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363([]));
    }

    [Fact]
    public void DerToP1363_EveryTruncation_ThrowsFormatException()
    {
        // Arrange
        byte[] der = Sequence(Integer([0x00, .. Filled(32, 0x90)]), Integer(Filled(31, 0x10)));

        // Act + Assert
        for (int length = 0; length < der.Length; length++)
        {
            byte[] truncated = der[..length];
            Assert.Throws<FormatException>(() => EcdsaSignature.DerToP1363(truncated));
        }
    }

    [Fact]
    public void DerToP1363_NonPositiveFieldSize_ThrowsArgumentOutOfRange()
    {
        // Arrange
        byte[] der = Sequence(Integer([0x01]), Integer([0x01]));

        // Act + Assert
        Assert.Throws<ArgumentOutOfRangeException>(() => EcdsaSignature.DerToP1363(der, fieldBytes: 0));
    }
}

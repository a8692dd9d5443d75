using Launcher.Platform.Facts;

namespace Launcher.Platform.Tests.Facts;

public sealed class IoregParserTests
{
    [Fact]
    public void AppleSilicon_ReadsSerialAndUuid()
    {
        (string? serial, string? uuid) = IoregParser.ParsePlatformExpert(Fixture.Read("ioreg-apple-silicon.txt"));

        Assert.Equal("L7Q9X2VYFX", serial);
        Assert.Equal("6E1D2B3A-9C4F-5A7B-8D0E-1F2A3B4C5D6E", uuid);
    }

    [Fact]
    public void VirtualMachinePlaceholders_AreNull()
    {
        (string? serial, string? uuid) = IoregParser.ParsePlatformExpert(Fixture.Read("ioreg-intel-vm.txt"));

        Assert.Null(serial);
        Assert.Null(uuid);
    }

    [Fact]
    public void MissingKeys_AreNull()
    {
        (string? serial, string? uuid) = IoregParser.ParsePlatformExpert("+-o Something\n    {\n      \"model\" = <\"Mac14,2\">\n    }\n");

        Assert.Null(serial);
        Assert.Null(uuid);
    }

    [Fact]
    public void DataValuedProperty_IsNotReadAsString()
    {
        (string? serial, _) = IoregParser.ParsePlatformExpert("      \"IOPlatformSerialNumber\" = <\"C02XX\">\n");

        Assert.Null(serial);
    }

    [Fact]
    public void CarriageReturns_AreTolerated()
    {
        (string? serial, _) = IoregParser.ParsePlatformExpert("      \"IOPlatformSerialNumber\" = \"C02ZZ123ABCD\"\r\n");

        Assert.Equal("C02ZZ123ABCD", serial);
    }
}

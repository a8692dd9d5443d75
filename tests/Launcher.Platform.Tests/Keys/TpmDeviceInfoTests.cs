using Launcher.Platform.Keys;

namespace Launcher.Platform.Tests.Keys;

public sealed class TpmDeviceInfoTests
{
    [Theory]
    [InlineData(0x49424D00u, "IBM", "IBM")]
    [InlineData(0x49465800u, "IFX", "Infineon")]
    [InlineData(0x494E5443u, "INTC", "Intel")]
    [InlineData(0x5A5A5A5Au, "ZZZZ", null)]
    [InlineData(0x00000000u, "0x00000000", null)]
    public void FromProperties_DecodesTheVendorId(uint manufacturer, string id, string? name)
    {
        TpmDeviceInfo info = TpmDeviceInfo.FromProperties(manufacturer, 0x0007_0055, 0x0001_0002);

        Assert.Equal(id, info.ManufacturerId);
        Assert.Equal(name, info.ManufacturerName);
        Assert.Equal("7.85.1.2", info.FirmwareVersion);
    }
}

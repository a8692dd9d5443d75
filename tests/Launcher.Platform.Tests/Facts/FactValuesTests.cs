using Launcher.Platform.Facts;

namespace Launcher.Platform.Tests.Facts;

public sealed class FactValuesTests
{
    [Theory]
    [InlineData("To Be Filled By O.E.M.")]
    [InlineData("Default string")]
    [InlineData("System Serial Number")]
    [InlineData("0123456789")]
    [InlineData("  ")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("0000000000")]
    [InlineData("None")]
    public void Placeholders_AreNull(string? raw)
    {
        Assert.Null(FactValues.CleanSerial(raw));
    }

    [Fact]
    public void RealSerial_IsTrimmed()
    {
        Assert.Equal("PF2ABCDE", FactValues.CleanSerial("PF2ABCDE\n"));
    }

    [Fact]
    public void Uuid_IsCanonicalUpperCase()
    {
        Assert.Equal("4C4C4544-0042-3510-8052-B4C04F4B4E32", FactValues.CleanUuid("4c4c4544-0042-3510-8052-b4c04f4b4e32\n"));
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")]
    [InlineData("03000200-0400-0500-0006-000700080009")]
    [InlineData("not-a-uuid")]
    public void PlaceholderOrMalformedUuid_IsNull(string raw)
    {
        Assert.Null(FactValues.CleanUuid(raw));
    }

    [Theory]
    [InlineData("Dell Inc.", "XPS 13 9310", "Dell Inc. XPS 13 9310")]
    [InlineData("LENOVO", "LENOVO ThinkCentre", "LENOVO ThinkCentre")]
    [InlineData(null, "Standard PC (Q35 + ICH9, 2009)", "Standard PC (Q35 + ICH9, 2009)")]
    [InlineData("System manufacturer", "System Product Name", null)]
    [InlineData("ASUS", null, null)]
    public void Model_CombinesVendorAndProduct(string? vendor, string? product, string? expected)
    {
        Assert.Equal(expected, FactValues.CombineModel(vendor, product));
    }

    [Theory]
    [InlineData("0f3c9a7e5b2d4c1e8a6f0b9d7c5e3a1f\n", "0f3c9a7e5b2d4c1e8a6f0b9d7c5e3a1f")]
    [InlineData("uninitialized\n", null)]
    [InlineData("00000000000000000000000000000000", null)]
    [InlineData("0F3C9A7E5B2D4C1E8A6F0B9D7C5E3A1F", null)]
    [InlineData("", null)]
    public void MachineId_IsValidatedNotInvented(string raw, string? expected)
    {
        Assert.Equal(expected, FactValues.CleanMachineId(raw));
    }
}

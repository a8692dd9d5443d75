using System.Diagnostics;
using System.Text;
using Launcher.Platform.Configuration;

namespace Launcher.Platform.Tests.Configuration;

public sealed class PlistReaderTests
{
    [Theory]
    [InlineData("types.xml.plist")]
    [InlineData("types.binary.plist")]
    public void Read_EveryValueType_InBothFormats(string fixture)
    {
        var root = Assert.IsType<Dictionary<string, object>>(PlistReader.Read(ConfigFixture.Bytes(fixture)));

        Assert.Equal("hello", root["text"]);
        Assert.Equal("Grüße ☃", root["unicode"]);
        Assert.Equal(7L, root["small"]);
        Assert.Equal(-42L, root["negative"]);
        Assert.Equal(5_000_000_000L, root["large"]);
        Assert.Equal(2.5, root["ratio"]);
        Assert.Equal(true, root["yes"]);
        Assert.Equal(false, root["no"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero), root["when"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, root["blob"]);
        Assert.Equal(new object[] { "a", 2L }, Assert.IsType<List<object>>(root["list"]));
        var nested = Assert.IsType<Dictionary<string, object>>(root["nested"]);
        Assert.Equal("value", Assert.IsType<Dictionary<string, object>>(nested["inner"])["deep"]);
    }

    [Fact]
    public void Read_BothFormatsOfTheManagedPreferences_Agree()
    {
        object xml = PlistReader.Read(ConfigFixture.Bytes("daemon-managed.xml.plist"));
        object binary = PlistReader.Read(ConfigFixture.Bytes("daemon-managed.binary.plist"));

        var flatXml = new Dictionary<string, string?>();
        var flatBinary = new Dictionary<string, string?>();
        PlistConfigurationProvider.Flatten(flatXml, "root", xml);
        PlistConfigurationProvider.Flatten(flatBinary, "root", binary);
        Assert.Equal(flatXml.OrderBy(p => p.Key), flatBinary.OrderBy(p => p.Key));
        Assert.Equal("https://fleet.example.com", flatXml["root:fleet:server"]);
        Assert.Equal("64", flatXml["root:limits:maxConnectionsPerUid"]);
        Assert.Equal("true", flatXml["root:allowUserKeyFallback"]);
    }

    [PlistUtilFact(Timeout = 30000)]
    public async Task Read_BinaryWrittenByPlistutilNow_MatchesTheXml()
    {
        using var temp = new TempConfig();
        string binary = Path.Combine(temp.Root, "types.bin");
        using (Process plistutil = Process.Start(new ProcessStartInfo(PlistUtilFactAttribute.Find()!, ["-i", ConfigFixture.Path("types.xml.plist"), "-f", "bin", "-o", binary]) { RedirectStandardError = true })!)
        {
            await plistutil.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }

        var fromXml = new Dictionary<string, string?>();
        var fromBinary = new Dictionary<string, string?>();
        PlistConfigurationProvider.Flatten(fromXml, "r", PlistReader.Read(ConfigFixture.Bytes("types.xml.plist")));
        PlistConfigurationProvider.Flatten(fromBinary, "r", PlistReader.Read(File.ReadAllBytes(binary)));
        Assert.StartsWith("bplist00", Encoding.ASCII.GetString(File.ReadAllBytes(binary), 0, 8));
        Assert.Equal(fromXml.OrderBy(p => p.Key), fromBinary.OrderBy(p => p.Key));
    }

    [Theory]
    [InlineData("<plist version=\"1.0\"><dict><key>a</key></dict></plist>", "has no value")]
    [InlineData("<plist version=\"1.0\"><dict><key>a</key><string>1</string><key>a</key><string>2</string></dict></plist>", "appears twice")]
    [InlineData("<plist version=\"1.0\"><dict><key>a</key><integer>x</integer></dict></plist>", "not a 64-bit integer")]
    [InlineData("<plist version=\"1.0\"><dict><key>a</key><blob/></dict></plist>", "unknown element")]
    [InlineData("<notplist/>", "root element")]
    [InlineData("<plist><dict>", "malformed XML")]
    public void Read_MalformedXml_IsRefusedWithTheReason(string xml, string reason)
    {
        var ex = Assert.Throws<PlistFormatException>(() => PlistReader.Read(Encoding.UTF8.GetBytes(xml)));

        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_XmlWithAnEntityDeclaration_ExpandsNothing()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE plist [<!ENTITY boom "BOOM">]>
            <plist version="1.0"><dict><key>a</key><string>&boom;</string></dict></plist>
            """;

        Assert.ThrowsAny<PlistFormatException>(() => PlistReader.Read(Encoding.UTF8.GetBytes(xml)));
    }

    [Fact]
    public void Read_TooDeep_IsRefused()
    {
        string xml = "<plist>" + string.Concat(Enumerable.Repeat("<array>", PlistLimits.MaxDepth + 1)) + string.Concat(Enumerable.Repeat("</array>", PlistLimits.MaxDepth + 1)) + "</plist>";

        var ex = Assert.Throws<PlistFormatException>(() => PlistReader.Read(Encoding.UTF8.GetBytes(xml)));

        Assert.Contains("deeper", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EveryTruncationOfABinaryPlist_FailsCleanly()
    {
        byte[] whole = ConfigFixture.Bytes("types.binary.plist");
        for (int length = 0; length < whole.Length; length++)
        {
            byte[] cut = whole[..length];
            Exception? ex = Record.Exception(() => PlistReader.Read(cut));
            Assert.True(ex is PlistFormatException, $"length {length}: {ex?.GetType().Name ?? "no exception"}");
        }
    }

    [Fact]
    public void Read_EveryByteFlippedInABinaryPlist_ReadsOrFailsCleanly()
    {
        byte[] whole = ConfigFixture.Bytes("daemon-managed.binary.plist");
        for (int i = 8; i < whole.Length; i++)
        {
            foreach (byte flip in new byte[] { 0xFF, 0x80, 0x01 })
            {
                byte[] bad = (byte[])whole.Clone();
                bad[i] ^= flip;
                Exception? ex = Record.Exception(() => PlistReader.Read(bad));
                Assert.True(ex is null or PlistFormatException, $"byte {i} ^ {flip:X2}: {ex}");
            }
        }
    }

    [Fact]
    public void Read_BinaryWithSharedReferences_IsBoundedNotExpanded()
    {
        // 30 nested arrays, each holding its child twice: 2^30 leaves if references were expanded without a bound.
        const int levels = 30;
        var objects = new List<byte[]> { new byte[] { 0x09 } };
        for (int i = 1; i <= levels; i++)
        {
            objects.Add([0xA2, (byte)(i - 1), (byte)(i - 1)]);
        }

        byte[] data = BinaryPlist(objects, top: levels);

        var ex = Assert.Throws<PlistFormatException>(() => PlistReader.Read(data));

        Assert.Contains("objects", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BinaryWithACycle_IsRefused()
    {
        byte[] data = BinaryPlist([[0xA1, 0x00]], top: 0);

        var ex = Assert.Throws<PlistFormatException>(() => PlistReader.Read(data));

        Assert.Contains("cycle", ex.Message, StringComparison.Ordinal);
    }

    // A bplist00 with one-byte offsets and references.
    private static byte[] BinaryPlist(List<byte[]> objects, int top)
    {
        var buffer = new List<byte>(Encoding.ASCII.GetBytes("bplist00"));
        var offsets = new List<int>();
        foreach (byte[] o in objects)
        {
            offsets.Add(buffer.Count);
            buffer.AddRange(o);
        }

        int table = buffer.Count;
        buffer.AddRange(offsets.Select(o => (byte)o));
        byte[] trailer = new byte[32];
        trailer[6] = 1;
        trailer[7] = 1;
        trailer[15] = (byte)objects.Count;
        trailer[23] = (byte)top;
        trailer[31] = (byte)table;
        buffer.AddRange(trailer);
        return [.. buffer];
    }
}

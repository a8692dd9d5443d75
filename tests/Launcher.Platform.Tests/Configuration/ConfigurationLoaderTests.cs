using Launcher.Platform.Configuration;
using Launcher.Platform.Ipc;

namespace Launcher.Platform.Tests.Configuration;

public sealed class ConfigurationLoaderTests
{
    private static readonly ConfigurationSchema s_schema = new(
        ["socket", "keyStore", "redeliverySeconds", "allowUserKeyFallback", "fleet:server", "fleet:enrolmentToken", "limits:maxConnectionsPerUid"],
        secrets: ["fleet:enrolmentToken"]);

    private static readonly uint s_me = ProcessIdentity.EffectiveUid;

    [Fact]
    public void Load_FileThenManagedPreferencesThenCommandLine_LaterLayersWin()
    {
        using var temp = new TempConfig();
        string json = temp.Write("launcherd.json", """{"socket":"/run/a.sock","keyStore":"tpm","redeliverySeconds":5}""");
        string plist = temp.Copy("daemon-managed.binary.plist");

        LayeredConfiguration config = ConfigurationLoader.Load(
            new ConfigurationRequest
            {
                DefaultFile = json,
                ManagedPreferences = plist,
                CommandLine = new Dictionary<string, string?> { ["redeliverySeconds"] = "7" },
                AllowedOwner = s_me,
            },
            s_schema);

        Assert.Equal("/run/a.sock", config.GetString("socket"));
        Assert.Equal(json, config.SourceOf("socket"));
        Assert.Equal("secure-enclave", config.GetString("keyStore"));
        Assert.Equal(plist, config.SourceOf("keyStore"));
        Assert.Equal(7, config.GetNumber("redeliverySeconds", 0, 100));
        Assert.Equal(ConfigurationLoader.CommandLineLabel, config.SourceOf("redeliverySeconds"));
        Assert.Equal("https://fleet.example.com", config.GetString("fleet:server"));
        Assert.Equal(true, config.GetBool("allowUserKeyFallback"));
        Assert.Equal(64, config.GetInteger("limits:maxConnectionsPerUid", 1, 100));
    }

    [Theory]
    [InlineData("daemon-managed.xml.plist")]
    [InlineData("daemon-managed.binary.plist")]
    public void Load_ManagedPreferences_PayloadKeysAreIgnored(string fixture)
    {
        using var temp = new TempConfig();

        LayeredConfiguration config = ConfigurationLoader.Load(new ConfigurationRequest { ManagedPreferences = temp.Copy(fixture), AllowedOwner = s_me }, s_schema);

        Assert.Null(config.Root["PayloadUUID"]);
        Assert.Equal("lfe_managed_token_1234", config.GetString("fleet:enrolmentToken"));
    }

    [Theory]
    [InlineData("unknown-key.xml.plist")]
    [InlineData("unknown-key.binary.plist")]
    public void Load_UnknownKeyInManagedPreferences_IsRefusedWithTheKeyAndFile(string fixture)
    {
        using var temp = new TempConfig();
        string plist = temp.Copy(fixture);

        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { ManagedPreferences = plist, AllowedOwner = s_me }, s_schema));

        Assert.Equal("fleet:serverUrl", ex.Key);
        Assert.Contains("unknown key 'fleet:serverUrl'", ex.Message, StringComparison.Ordinal);
        Assert.Contains(plist, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownKeyInJson_IsRefusedWithTheKeyAndFile()
    {
        using var temp = new TempConfig();
        string json = temp.Write("c.json", """{"limits":{"maxConections":3}}""");

        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { ExplicitFile = json, AllowedOwner = s_me }, s_schema));

        Assert.Equal("limits:maxConections", ex.Key);
        Assert.Contains(json, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeysDifferingOnlyInCase_AreTheSameKey()
    {
        using var temp = new TempConfig();
        string json = temp.Write("c.json", """{"KEYSTORE":"software"}""");

        LayeredConfiguration config = ConfigurationLoader.Load(new ConfigurationRequest { ExplicitFile = json, AllowedOwner = s_me }, s_schema);

        Assert.Equal("software", config.GetChoice("keyStore", ["auto", "software"]));
    }

    [Fact]
    public void Load_ASectionGivenAsAValue_IsRefused()
    {
        using var temp = new TempConfig();
        string json = temp.Write("c.json", """{"fleet":"https://fleet.example.com"}""");

        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { ExplicitFile = json, AllowedOwner = s_me }, s_schema));

        Assert.Contains("'fleet'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("must be an object", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EmptySection_IsAccepted()
    {
        using var temp = new TempConfig();
        string json = temp.Write("c.json", """{"fleet":{}}""");

        LayeredConfiguration config = ConfigurationLoader.Load(new ConfigurationRequest { ExplicitFile = json, AllowedOwner = s_me }, s_schema);

        Assert.Null(config.GetString("fleet:server"));
    }

    [Theory]
    [InlineData("""{"redeliverySeconds":"soon"}""", "redeliverySeconds = 'soon'", "must be a number")]
    [InlineData("""{"redeliverySeconds":1000}""", "redeliverySeconds = '1000'", "between")]
    [InlineData("""{"allowUserKeyFallback":"yes"}""", "allowUserKeyFallback = 'yes'", "true or false")]
    [InlineData("""{"limits":{"maxConnectionsPerUid":1.5}}""", "limits:maxConnectionsPerUid = '1.5'", "whole number")]
    public void Get_BadValue_NamesTheKeyTheValueAndTheFile(string text, string named, string reason)
    {
        using var temp = new TempConfig();
        string json = temp.Write("c.json", text);
        LayeredConfiguration config = ConfigurationLoader.Load(new ConfigurationRequest { ExplicitFile = json, AllowedOwner = s_me }, s_schema);

        var ex = Assert.Throws<ConfigurationException>(() =>
        {
            _ = config.GetNumber("redeliverySeconds", 0.1, 100);
            _ = config.GetBool("allowUserKeyFallback");
            _ = config.GetInteger("limits:maxConnectionsPerUid", 1, 100);
        });

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.Contains(json, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_SecretKey_NeverShowsItsValue()
    {
        using var temp = new TempConfig();
        string json = temp.Write("c.json", """{"fleet":{"enrolmentToken":"lfe_very_secret"}}""");
        LayeredConfiguration config = ConfigurationLoader.Load(new ConfigurationRequest { ExplicitFile = json, AllowedOwner = s_me }, s_schema);

        ConfigurationException ex = config.Invalid("fleet:enrolmentToken", "bad");

        Assert.DoesNotContain("lfe_very_secret", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(hidden)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SecretInAFileOthersCanRead_IsRefused()
    {
        using var temp = new TempConfig();
        string json = temp.Write("c.json", """{"fleet":{"enrolmentToken":"lfe_very_secret"}}""", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { ExplicitFile = json, AllowedOwner = s_me }, s_schema));

        Assert.Equal("fleet:enrolmentToken", ex.Key);
        Assert.Contains("chmod 600", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("lfe_very_secret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileWritableByOthers_IsRefused()
    {
        using var temp = new TempConfig();
        string json = temp.Write("c.json", "{}", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite);

        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { ExplicitFile = json, AllowedOwner = s_me }, s_schema));

        Assert.Contains("writable by group or others", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 20000)]
    public async Task Load_FileOwnedBySomeoneElse_IsRefused()
    {
        using var temp = new TempConfig();
        string json = temp.Write("c.json", "{}");
        uint allowed = s_me + 1;
        if (s_me == 0)
        {
            // As root: give the file to another uid and allow nobody but root.
            using var chown = System.Diagnostics.Process.Start("chown", ["54321", json]);
            await chown.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            allowed = 0;
        }

        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { ExplicitFile = json, AllowedOwner = allowed }, s_schema));

        Assert.Contains("owned by uid", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingExplicitFile_IsAnError_MissingDefaultFileIsNot()
    {
        using var temp = new TempConfig();
        string missing = Path.Combine(temp.Root, "missing.json");

        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { ExplicitFile = missing, AllowedOwner = s_me }, s_schema));
        LayeredConfiguration config = ConfigurationLoader.Load(new ConfigurationRequest { DefaultFile = missing, ManagedPreferences = Path.Combine(temp.Root, "missing.plist"), AllowedOwner = s_me }, s_schema);

        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.Null(config.GetString("socket"));
    }

    [Theory]
    [InlineData("{\"socket\":", "c.json")]
    [InlineData("{\"socket\":\"a\",\"socket\":\"b\"}", "c.json")]
    [InlineData("[1,2]", "c.json")]
    public void Load_MalformedJson_NamesTheFile(string text, string file)
    {
        using var temp = new TempConfig();
        string json = temp.Write(file, text);

        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { ExplicitFile = json, AllowedOwner = s_me }, s_schema));

        Assert.Contains(json, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MalformedManagedPreferences_NamesTheFile()
    {
        using var temp = new TempConfig();
        string plist = temp.Write("com.launcher.daemon.plist", "<plist><dict><key>socket</key></dict></plist>");

        var ex = Assert.Throws<ConfigurationException>(() => ConfigurationLoader.Load(new ConfigurationRequest { ManagedPreferences = plist, AllowedOwner = s_me }, s_schema));

        Assert.Contains(plist, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a valid property list", ex.Message, StringComparison.Ordinal);
    }
}

using Launcher.Daemon;
using Launcher.Daemon.Configuration;
using Launcher.Platform.Configuration;
using Launcher.Platform.Ipc;
using Launcher.Rpc;
using Microsoft.Extensions.Logging;

namespace Launcher.Daemon.Tests.Configuration;

public sealed class DaemonSettingsTests
{
    [Fact]
    public void Read_NothingConfigured_GivesThePlatformDefaults()
    {
        (DaemonOptions options, LogLevel level) = Read([]);

        Assert.Equal(DefaultPaths.DaemonSocket(dev: false), options.SocketPath);
        Assert.Equal(DefaultPaths.DaemonStateDirectory(dev: false), options.StateDirectory);
        Assert.Equal("auto", options.KeyStore);
        Assert.Equal("device:/dev/tpmrm0", options.TpmTcti);
        Assert.False(options.AllowUserKeyFallback);
        Assert.Equal(TimeSpan.FromSeconds(60), options.RedeliveryInterval);
        Assert.Same(RpcLimits.Default, options.Limits);
        Assert.False(options.FleetConfiguration.IsConfigured);
        Assert.Equal(LogLevel.Information, level);
    }

    [Fact]
    public void Read_EveryKey_IsTaken()
    {
        (DaemonOptions options, LogLevel level) = Read(new()
        {
            ["socket"] = "/tmp/l/launcherd.sock",
            ["stateDir"] = "/tmp/l/state",
            ["keyStore"] = "TPM",
            ["tpmTcti"] = "swtpm:host=127.0.0.1,port=2321",
            ["allowUserKeyFallback"] = "true",
            ["userKeyUids"] = "501, 502",
            ["clientRequirement"] = "anchor apple generic",
            ["redeliverySeconds"] = "2.5",
            ["notificationLifetimeSeconds"] = "3600",
            ["logLevel"] = "debug",
            ["fleet:server"] = "https://Fleet.Example.com:443/",
            ["fleet:enrolmentToken"] = "lfe_0123456789",
            ["limits:maxMessageBytes"] = "65536",
            ["limits:maxRequestsInFlight"] = "16",
            ["limits:maxConnections"] = "100",
            ["limits:maxConnectionsPerUid"] = "10",
            ["limits:idleTimeoutSeconds"] = "0",
            ["limits:callTimeoutSeconds"] = "5",
        });

        Assert.Equal("/tmp/l/launcherd.sock", options.SocketPath);
        Assert.Equal("/tmp/l/state", options.StateDirectory);
        Assert.Equal("tpm", options.KeyStore);
        Assert.Equal("swtpm:host=127.0.0.1,port=2321", options.TpmTcti);
        Assert.True(options.AllowUserKeyFallback);
        Assert.Equal([501u, 502u], options.UserKeyUids);
        Assert.Equal("anchor apple generic", options.ClientRequirement);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.RedeliveryInterval);
        Assert.Equal(TimeSpan.FromHours(1), options.DefaultNotificationLifetime);
        Assert.Equal(LogLevel.Debug, level);
        Assert.Equal(new Uri("https://fleet.example.com"), options.FleetConfiguration.Server);
        Assert.Equal("lfe_0123456789", options.FleetConfiguration.EnrolmentToken);
        Assert.Equal(65536, options.Limits.MaxMessageBytes);
        Assert.Equal(16, options.Limits.MaxRequestsInFlight);
        Assert.Equal(100, options.Limits.MaxConnections);
        Assert.Equal(10, options.Limits.MaxConnectionsPerUid);
        Assert.Null(options.Limits.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Limits.CallTimeout);

        // Every limit the configuration does not name keeps its default (the per-uid byte budgets, the admin
        // reserve, the log throttle...), including limits added to the engine after this reader was written.
        RpcLimits expected = RpcLimits.Default with
        {
            MaxMessageBytes = 65536, MaxRequestsInFlight = 16, MaxConnections = 100, MaxConnectionsPerUid = 10,
            IdleTimeout = null, CallTimeout = TimeSpan.FromSeconds(5),
        };
        Assert.Equal(expected, options.Limits);
    }

    [Theory]
    [InlineData("https://fleet.example.com", "https://fleet.example.com/")]
    [InlineData("https://FLEET.example.com:8443", "https://fleet.example.com:8443/")]
    [InlineData("https://10.0.0.5:443/", "https://10.0.0.5/")]
    [InlineData("https://[::1]:9000", "https://[::1]:9000/")]
    public void NormaliseServer_GivesHttpsHostPort(string input, string expected)
    {
        Assert.Equal(expected, DaemonSettings.NormaliseServer(input)?.ToString());
    }

    [Theory]
    [InlineData("http://fleet.example.com")]
    [InlineData("wss://fleet.example.com")]
    [InlineData("https://fleet.example.com/v1")]
    [InlineData("https://fleet.example.com/?a=b")]
    [InlineData("https://user:pw@fleet.example.com")]
    [InlineData("fleet.example.com")]
    public void Read_BadFleetServer_IsRefusedWithTheKey(string server)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(new() { ["fleet:server"] = server }));

        Assert.Equal("fleet:server", ex.Key);
        Assert.Contains("https://", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TokenWithoutServer_IsRefused()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(new() { ["fleet:enrolmentToken"] = "lfe_0123456789" }));

        Assert.Equal("fleet:enrolmentToken", ex.Key);
        Assert.Contains("fleet:server", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("lfe_0123456789", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has a space in it")]
    public void Read_MalformedToken_IsRefusedWithoutShowingIt(string token)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(new() { ["fleet:server"] = "https://f.example", ["fleet:enrolmentToken"] = token }));

        Assert.Equal("fleet:enrolmentToken", ex.Key);
        Assert.DoesNotContain(token, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keyStore", "hsm")]
    [InlineData("socket", "relative/launcherd.sock")]
    [InlineData("stateDir", "state")]
    [InlineData("tpmTcti", "nonsense")]
    [InlineData("logLevel", "loud")]
    [InlineData("redeliverySeconds", "0")]
    [InlineData("limits:maxMessageBytes", "10")]
    [InlineData("limits:maxConnections", "-1")]
    [InlineData("userKeyUids", "501,alice")]
    [InlineData("userKeyUids", "-1")]
    public void Read_BadValue_IsRefusedWithTheKey(string key, string value)
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(new() { [key] = value }));

        Assert.Equal(key, ex.Key);
        Assert.Contains($"{key} = '{value}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SocketPathTooLong_IsRefused()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(new() { ["socket"] = "/" + new string('s', 200) }));

        Assert.Equal("socket", ex.Key);
    }

    [Fact]
    public void Read_PerUidCapAboveTheTotal_IsRefused()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(new() { ["limits:maxConnections"] = "10", ["limits:maxConnectionsPerUid"] = "20" }));

        Assert.Equal("limits:maxConnectionsPerUid", ex.Key);
    }

    [Fact]
    public void Schema_RefusesAFlagNameUsedAsAKey()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(new() { ["key-store"] = "tpm" }));

        Assert.Equal("key-store", ex.Key);
    }

    [Fact]
    public void Read_FleetCaFile_IsReadAtStart_AndHandedToTheFleetLink()
    {
        using var directory = new TempDirectory();
        using var certificates = new Fleet.TestCertificates();
        string ca = directory.File("fleet-ca.pem");
        File.WriteAllText(ca, certificates.CaPem);
        File.SetUnixFileMode(ca, (UnixFileMode)0b110_100_100);

        (DaemonOptions options, _) = Read(new() { ["fleet:server"] = "https://f.example", ["fleet:enrolmentToken"] = "lfe_0123456789", ["fleet:caFile"] = ca });

        Assert.Equal(ca, options.FleetConfiguration.CaFile);
        Assert.Equal(certificates.CaPem, options.FleetConfiguration.CaCertificatePem);
        Assert.True(options.FleetConfiguration.CanEnrol);
        Assert.Contains(ca, options.FleetConfiguration.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("lfe_0123456789", options.FleetConfiguration.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("directory", "a directory")]
    [InlineData("group-writable", "writable by group or others")]
    [InlineData("not-pem", "holds no PEM certificate")]
    [InlineData("binary", "not text")]
    [InlineData("relative", "absolute path")]
    [InlineData("too-large", "at most")]
    public void Read_BadFleetCaFile_IsRefusedWithTheKey(string kind, string expected)
    {
        using var directory = new TempDirectory();
        using var certificates = new Fleet.TestCertificates();
        string path = directory.File("fleet-ca.pem");
        switch (kind)
        {
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "group-writable":
                File.WriteAllText(path, certificates.CaPem);
                File.SetUnixFileMode(path, (UnixFileMode)0b110_110_100);
                break;
            case "not-pem":
                File.WriteAllText(path, "just some text, no certificate\n");
                break;
            case "binary":
                File.WriteAllBytes(path, [0xff, 0xfe, 0x00, 0x80]);
                break;
            case "relative":
                path = "fleet-ca.pem";
                break;
            case "too-large":
                File.WriteAllText(path, certificates.CaPem + new string('#', Launcher.Contracts.FleetLink.FleetLinkLimits.MaxCaPemLength));
                break;
        }

        var ex = Assert.Throws<ConfigurationException>(() => Read(new() { ["fleet:server"] = "https://f.example", ["fleet:caFile"] = path }));

        Assert.Equal("fleet:caFile", ex.Key);
        Assert.Contains("fleet:caFile", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Read_FleetCaFileOwnedByAnotherUser_IsRefused()
    {
        using var directory = new TempDirectory();
        using var certificates = new Fleet.TestCertificates();
        string path = directory.File("fleet-ca.pem");
        File.WriteAllText(path, certificates.CaPem);
        using (var chown = System.Diagnostics.Process.Start("chown", ["65534", path]))
        {
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }

        var ex = Assert.Throws<ConfigurationException>(() => Read(new() { ["fleet:server"] = "https://f.example", ["fleet:caFile"] = path }));

        Assert.Equal("fleet:caFile", ex.Key);
        Assert.Contains("owned by uid 65534", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FleetKeysFromManagedPreferences_TheNestedFleetDictionaryGivesCaFile()
    {
        using var directory = new TempDirectory();
        using var certificates = new Fleet.TestCertificates();
        string ca = directory.File("fleet-ca.pem");
        File.WriteAllText(ca, certificates.CaPem);
        File.SetUnixFileMode(ca, (UnixFileMode)0b110_100_100);
        string plist = directory.File("com.launcher.daemon.plist");
        File.WriteAllText(plist, $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>
              <key>PayloadUUID</key><string>5B0A8E8F-3C33-4C4C-9E53-7F1B6E2B8C11</string>
              <key>fleet</key>
              <dict>
                <key>server</key><string>https://fleet.example.com</string>
                <key>enrolmentToken</key><string>lfe_managed_token_1234</string>
                <key>caFile</key><string>{ca}</string>
              </dict>
            </dict>
            </plist>
            """);
        File.SetUnixFileMode(plist, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        LayeredConfiguration config = ConfigurationLoader.Load(new ConfigurationRequest { ManagedPreferences = plist, AllowedOwner = ProcessIdentity.EffectiveUid }, DaemonConfigurationKeys.Schema);
        (DaemonOptions options, _) = DaemonSettings.Read(config, dev: false, euid: ProcessIdentity.EffectiveUid);

        Assert.True(options.FleetConfiguration.CanEnrol);
        Assert.Equal(ca, options.FleetConfiguration.CaFile);
        Assert.Equal(certificates.CaPem, options.FleetConfiguration.CaCertificatePem);
    }

    [Fact]
    public void Read_FleetCaFileWithoutServer_IsRefused()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Read(new() { ["fleet:caFile"] = "/etc/launcher/fleet-ca.pem" }));

        Assert.Equal("fleet:caFile", ex.Key);
        Assert.Contains("fleet:server", ex.Message, StringComparison.Ordinal);
    }

    private static (DaemonOptions, LogLevel) Read(Dictionary<string, string?> values)
    {
        LayeredConfiguration config = ConfigurationLoader.Load(new ConfigurationRequest { CommandLine = values, AllowedOwner = ProcessIdentity.EffectiveUid }, DaemonConfigurationKeys.Schema);
        return DaemonSettings.Read(config, dev: false, euid: 0);
    }
}

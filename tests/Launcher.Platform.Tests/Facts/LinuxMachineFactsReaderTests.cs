using Launcher.Platform.Facts;

namespace Launcher.Platform.Tests.Facts;

public sealed class LinuxMachineFactsReaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("launcher-facts-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void FullTree_ReadsEveryFact()
    {
        Write("sys/class/dmi/id/product_serial", "PF2ABCDE\n");
        Write("sys/class/dmi/id/product_uuid", "4c4c4544-0042-3510-8052-b4c04f4b4e32\n");
        Write("sys/class/dmi/id/sys_vendor", "LENOVO\n");
        Write("sys/class/dmi/id/product_name", "20XW0055US\n");
        Write("etc/os-release", Fixture.Read("os-release-debian.txt"));
        Write("etc/machine-id", "0f3c9a7e5b2d4c1e8a6f0b9d7c5e3a1f\n");

        MachineFacts facts = new LinuxMachineFactsReader(_root).Read();

        Assert.Equal(new MachineFacts("PF2ABCDE", "4C4C4544-0042-3510-8052-B4C04F4B4E32", "LENOVO 20XW0055US", "Debian GNU/Linux", "12", "0f3c9a7e5b2d4c1e8a6f0b9d7c5e3a1f"), facts);
    }

    [Fact]
    public void EmptyTree_GivesNullsNotGuesses()
    {
        MachineFacts facts = new LinuxMachineFactsReader(_root).Read();

        Assert.Equal(new MachineFacts(null, null, null, null, null, null), facts);
    }

    [Fact]
    public void MachineIdFile_IsNeverUsedAsHardwareUuid()
    {
        Write("etc/machine-id", "0f3c9a7e5b2d4c1e8a6f0b9d7c5e3a1f\n");

        MachineFacts facts = new LinuxMachineFactsReader(_root).Read();

        Assert.Null(facts.HardwareUuid);
        Assert.Equal("0f3c9a7e5b2d4c1e8a6f0b9d7c5e3a1f", facts.MachineIdFile);
    }

    [Fact]
    public void Fallbacks_UsrLibOsReleaseAndDbusMachineId()
    {
        Write("usr/lib/os-release", "NAME=\"Fedora Linux\"\nVERSION_ID=40\n");
        Write("var/lib/dbus/machine-id", "1a2b3c4d5e6f708192a3b4c5d6e7f801\n");

        MachineFacts facts = new LinuxMachineFactsReader(_root).Read();

        Assert.Equal("Fedora Linux", facts.OsName);
        Assert.Equal("40", facts.OsVersion);
        Assert.Equal("1a2b3c4d5e6f708192a3b4c5d6e7f801", facts.MachineIdFile);
    }

    [Fact]
    public void UnreadableSerial_IsNull()
    {
        // A directory where the file should be makes the read fail the way an unreadable sysfs file does,
        // and works even when the tests run as root (who could read a mode-0400 file).
        Directory.CreateDirectory(Path.Combine(_root, "sys/class/dmi/id/product_serial"));

        MachineFacts facts = new LinuxMachineFactsReader(_root).Read();

        Assert.Null(facts.SerialNumber);
    }

    private void Write(string relativePath, string text)
    {
        string path = Path.Combine(_root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}

namespace Launcher.Platform.Facts;

/// <summary>
/// Reads facts from sysfs DMI and os-release under a root directory ("/" in production, a fixture tree in tests).
/// product_serial is root-only on most kernels: unreadable files give null, never an error.
/// </summary>
internal sealed class LinuxMachineFactsReader
{
    private const int MaxFileBytes = 64 * 1024;
    private readonly string _root;

    public LinuxMachineFactsReader(string root = "/")
    {
        _root = root;
    }

    public MachineFacts Read()
    {
        string? osRelease = ReadSmallFile("etc/os-release") ?? ReadSmallFile("usr/lib/os-release");
        (string? osName, string? osVersion) = osRelease is null ? (null, null) : OsReleaseParser.NameAndVersion(osRelease);

        return new MachineFacts(
            SerialNumber: FactValues.CleanSerial(ReadSmallFile("sys/class/dmi/id/product_serial")),
            HardwareUuid: FactValues.CleanUuid(ReadSmallFile("sys/class/dmi/id/product_uuid")),
            Model: FactValues.CombineModel(ReadSmallFile("sys/class/dmi/id/sys_vendor"), ReadSmallFile("sys/class/dmi/id/product_name")),
            OsName: osName,
            OsVersion: osVersion,
            MachineIdFile: FactValues.CleanMachineId(ReadSmallFile("etc/machine-id") ?? ReadSmallFile("var/lib/dbus/machine-id")));
    }

    private string? ReadSmallFile(string relativePath)
    {
        string path = Path.Combine(_root, relativePath);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            using var reader = new StreamReader(stream);
            char[] buffer = new char[MaxFileBytes];
            int read = reader.ReadBlock(buffer, 0, buffer.Length);
            return new string(buffer, 0, read);
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        catch (IOException)
        {
            // Missing file, no DMI on this board (ARM, some VMs), or a sysfs read error: all mean "not told".
            return null;
        }
    }
}

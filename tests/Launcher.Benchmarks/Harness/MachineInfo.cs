using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Launcher.Benchmarks.Harness;

/// <summary>What the figures were measured on; printed and written with every result file.</summary>
internal static class MachineInfo
{
    public static JsonObject Collect()
    {
        return new JsonObject
        {
            ["cores"] = Environment.ProcessorCount,
            ["cpu"] = CpuModel(),
            ["ramMb"] = MemTotalMb(),
            ["os"] = OsName(),
            ["kernel"] = "Linux " + (TryRead("/proc/sys/kernel/osrelease")?.Trim() ?? RuntimeInformation.OSDescription),
            ["dotnet"] = RuntimeInformation.FrameworkDescription,
            ["loadAverage"] = LoadAverage(),
            ["openFilesLimit"] = OpenFilesLimit(),
        };
    }

    public static string Describe(JsonObject info)
    {
        return $"{info["cores"]} cores ({info["cpu"]}), {info["ramMb"]} MB RAM, {info["os"]} ({info["kernel"]}), {info["dotnet"]}, load {info["loadAverage"]}, open files {info["openFilesLimit"]}";
    }

    /// <summary>The 1-minute load average: other work on the machine while we measured.</summary>
    public static string LoadAverage()
    {
        string text = TryRead("/proc/loadavg") ?? "";
        string[] parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 3 ? $"{parts[0]} {parts[1]} {parts[2]}" : "unknown";
    }

    public static long OpenFilesLimit()
    {
        foreach (string line in (TryRead("/proc/self/limits") ?? "").Split('\n'))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                string[] parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long soft) ? soft : -1;
            }
        }

        return -1;
    }

    private static string CpuModel()
    {
        foreach (string line in (TryRead("/proc/cpuinfo") ?? "").Split('\n'))
        {
            if (line.StartsWith("model name", StringComparison.Ordinal))
            {
                return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static long MemTotalMb()
    {
        foreach (string line in (TryRead("/proc/meminfo") ?? "").Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], CultureInfo.InvariantCulture) / 1024;
            }
        }

        return -1;
    }

    private static string OsName()
    {
        foreach (string line in (TryRead("/etc/os-release") ?? "").Split('\n'))
        {
            if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            {
                return line["PRETTY_NAME=".Length..].Trim('"');
            }
        }

        return RuntimeInformation.OSDescription;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

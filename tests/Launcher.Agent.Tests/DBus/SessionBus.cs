using System.Diagnostics;

namespace Launcher.Agent.Tests.DBus;

/// <summary>
/// A private D-Bus session bus for one test: <c>dbus-daemon</c> on a socket in a temporary directory, with a
/// configuration of our own (no service directories, so nothing on this machine is ever activated on it). Killed
/// on dispose; <see cref="KillAsync"/> ends it mid-test to see what the agent does when the bus dies.
/// </summary>
internal sealed class SessionBus : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private SessionBus(Process process, string directory, string address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public string Address { get; }

    public static string? DaemonPath => Array.Find(["/usr/bin/dbus-daemon", "/bin/dbus-daemon", "/usr/local/bin/dbus-daemon"], File.Exists);

    public static async Task<SessionBus> StartAsync()
    {
        string daemon = DaemonPath ?? throw new InvalidOperationException("dbus-daemon is not installed: run scripts/setup.sh (package dbus)");
        string directory = Directory.CreateTempSubdirectory("launcher-bus-").FullName;
        string socket = Path.Combine(directory, "bus");
        string config = Path.Combine(directory, "session.conf");
        await File.WriteAllTextAsync(config, $"""
            <!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
             "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
            <busconfig>
              <type>session</type>
              <listen>unix:path={socket}</listen>
              <auth>EXTERNAL</auth>
              <policy context="default">
                <allow send_destination="*" eavesdrop="true"/>
                <allow eavesdrop="true"/>
                <allow own="*"/>
                <allow user="*"/>
              </policy>
            </busconfig>
            """);
        var start = new ProcessStartInfo(daemon)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "--config-file=" + config, "--nofork", "--print-address" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dbus-daemon did not start");
        string? address = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (string.IsNullOrWhiteSpace(address))
        {
            string error = await process.StandardError.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(5));
            throw new InvalidOperationException("dbus-daemon printed no address: " + error);
        }

        return new SessionBus(process, directory, address.Trim());
    }

    /// <summary>Ends the bus now (as a crashed session would).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

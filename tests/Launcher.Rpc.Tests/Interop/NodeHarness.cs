using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Launcher.Rpc.Tests.Interop;

/// <summary>
/// Runs tests/interop/harness.js (vscode-jsonrpc) as a real process and collects its JSON lines.
/// </summary>
internal sealed class NodeHarness : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<JsonElement> _lines = new();
    private readonly SemaphoreSlim _lineAdded = new(0);
    private readonly System.Text.StringBuilder _stderr = new();

    private NodeHarness(Process process)
    {
        _process = process;
    }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? InteropDirectory { get; } = FindInteropDirectory();

    public static string? NodePath { get; } = FindOnPath("node");

    /// <summary>Why the harness cannot run here; null when it can.</summary>
    public static string? WhatIsMissing()
    {
        if (NodePath is null)
        {
            return "node is not on PATH";
        }

        if (InteropDirectory is null)
        {
            return "tests/interop/harness.js was not found above " + AppContext.BaseDirectory;
        }

        return Directory.Exists(Path.Combine(InteropDirectory, "node_modules", "vscode-jsonrpc"))
            ? null
            : "tests/interop/node_modules is missing (run tests/interop/install.sh)";
    }

    public IReadOnlyCollection<JsonElement> Lines => _lines;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static NodeHarness Start(string mode, string socketPath)
    {
        string? missing = WhatIsMissing();
        if (missing is not null)
        {
            // Only reached when CI=true (NodeFact skips otherwise): fail loudly.
            throw new InvalidOperationException("The interop harness cannot run: " + missing + ". Run scripts/setup.sh.");
        }

        var start = new ProcessStartInfo(NodePath!)
        {
            WorkingDirectory = InteropDirectory!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(InteropDirectory!, "harness.js"));
        start.ArgumentList.Add(mode);
        start.ArgumentList.Add(socketPath);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var harness = new NodeHarness(process);
        process.OutputDataReceived += (_, e) => harness.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (harness._stderr)
                {
                    harness._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return harness;
    }

    /// <summary>Waits for a line matching <paramref name="match"/>.</summary>
    public async Task<JsonElement> WaitForLineAsync(Func<JsonElement, bool> match, string what)
    {
        DateTime giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            foreach (JsonElement line in _lines)
            {
                if (match(line))
                {
                    return line;
                }
            }

            TimeSpan left = giveUp - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || (_process.HasExited && _lineAdded.CurrentCount == 0 && !_lines.Any(match)))
            {
                throw new TimeoutException($"The harness never printed {what}. Lines: {string.Join(" | ", _lines.Select(l => l.GetRawText()))}. Stderr: {Stderr}");
            }

            await _lineAdded.WaitAsync(TimeSpan.FromMilliseconds(Math.Min(200, left.TotalMilliseconds)));
        }
    }

    public Task WaitForEventAsync(string name) =>
        WaitForLineAsync(l => l.TryGetProperty("event", out JsonElement e) && e.GetString() == name, "event " + name);

    /// <summary>The line the client mode printed for <paramref name="step"/>.</summary>
    public Task<JsonElement> StepAsync(string step) =>
        WaitForLineAsync(l => l.TryGetProperty("step", out JsonElement s) && s.GetString() == step, "step " + step);

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            _lines.Enqueue(document.RootElement.Clone());
        }
        catch (JsonException)
        {
            lock (_stderr)
            {
                _stderr.AppendLine("(stdout, not JSON) " + line);
            }
        }

        _lineAdded.Release();
    }

    private static string? FindInteropDirectory()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "tests", "interop");
            if (File.Exists(Path.Combine(candidate, "harness.js")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? FindOnPath(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Launcher.Platform.Ipc;
using Launcher.Client;

namespace Launcher.Ctl;

/// <summary>What every command shares: the global options, the console, and one way to reach the daemon and fail.</summary>
internal sealed class CtlEnvironment
{
    public const double DefaultTimeoutSeconds = 10;

    private readonly CtlConnector _connect;

    public CtlEnvironment(TextWriter output, TextWriter error, TextStyle style, CtlConnector? connect = null, Doctor.IDoctorHost? doctorHost = null)
    {
        DoctorHost = doctorHost ?? new Doctor.SystemDoctorHost();
        Out = output;
        Error = error;
        Style = style;
        _connect = connect ?? ConnectSocketAsync;
        Socket = new Option<string?>("--socket") { Description = "launcherd's socket (default: /run/launcher/launcherd.sock; macOS /var/run/launcher/launcherd.sock).", Recursive = true };
        Timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the connection and for each answer.", DefaultValueFactory = _ => DefaultTimeoutSeconds, Recursive = true };
        Timeout.Validators.Add(result =>
        {
            if (CtlParsing.TryGet(() => result.GetValueOrDefault<double>(), out double seconds) && (seconds is <= 0 or > 3600 || double.IsNaN(seconds)))
            {
                result.AddError("--timeout must be more than 0 and at most 3600 seconds.");
            }
        });
    }

    public TextWriter Out { get; }

    /// <summary>The machine as doctor sees it (tests give a fixed one).</summary>
    public Doctor.IDoctorHost DoctorHost { get; }

    public TextWriter Error { get; }

    public TextStyle Style { get; }

    public Option<string?> Socket { get; }

    public Option<double> Timeout { get; }

    /// <summary>Connects, runs <paramref name="body"/>, and maps every expected failure to its exit code and message.</summary>
    public async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<LauncherClient, CancellationToken, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string socketPath = Path.GetFullPath(parse.GetValue(Socket) ?? DefaultPaths.DaemonSocket(dev: false));
        TimeSpan timeout = TimeSpan.FromSeconds(parse.GetValue(Timeout));
        try
        {
            LauncherClient client = await _connect(socketPath, timeout, cancellationToken).ConfigureAwait(false);
            await using (client.ConfigureAwait(false))
            {
                return await body(client, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (CtlErrors.Map(ex, socketPath) is CtlFailure failure)
        {
            await Error.WriteLineAsync(failure.Message).ConfigureAwait(false);
            return failure.ExitCode;
        }
    }

    /// <summary>The socket path the global options name (or the default).</summary>
    public string SocketPath(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return Path.GetFullPath(parse.GetValue(Socket) ?? DefaultPaths.DaemonSocket(dev: false));
    }

    /// <summary>Connects without mapping failures (doctor turns them into a check).</summary>
    public Task<LauncherClient> ConnectAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return _connect(SocketPath(parse), TimeSpan.FromSeconds(parse.GetValue(Timeout)), cancellationToken);
    }

    /// <summary>Reads a raw result as its contract type (a malformed answer is a daemon error, exit 1).</summary>
    public static T Read<T>(JsonElement raw, JsonTypeInfo<T> type) =>
        raw.Deserialize(type) ?? throw new JsonException("The daemon's answer is null.");

    public Task UsageErrorAsync(string message) => Error.WriteLineAsync("launcherctl: " + message);

    private static Task<LauncherClient> ConnectSocketAsync(string socketPath, TimeSpan timeout, CancellationToken cancellationToken) =>
        LauncherClient.ConnectAsync(new LauncherClientOptions { SocketPath = socketPath, ConnectTimeout = timeout, CallTimeout = timeout }, cancellationToken);
}

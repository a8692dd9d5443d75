using System.Text.Json;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;

namespace Launcher.Agent.Presenters;

/// <summary>
/// Prints each notification as one JSON object on one line of standard output, flushed at once:
/// <c>{"id":…,"title":…,"body":…,"url":…,"shownAt":…}</c>. For headless machines, scripts and tests; the agent's
/// logs go to standard error so this stream stays machine-readable.
/// </summary>
internal sealed class StdoutPresenter : INotificationPresenter
{
    // Readers are programs, not HTML: keep non-ASCII text as is. Control characters are still escaped, so a
    // notification cannot move the terminal's cursor or break a line.
    private static readonly AgentJsonContext s_json = new(new System.Text.Json.JsonSerializerOptions(AgentJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    private readonly TextWriter _output;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public StdoutPresenter(TextWriter output, TimeProvider time)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _time = time ?? throw new ArgumentNullException(nameof(time));
    }

    public string Name => "stdout";

    /// <summary>A line written and flushed is delivered to the reader; nobody can click a line.</summary>
    public PresenterCapabilities Capabilities { get; } = new() { TruthfulDelivery = true };

    public bool IsSupported(out string reason)
    {
        reason = "writes JSON lines to standard output";
        return true;
    }

    public Task<PresentationResult> PresentAsync(ShowNotificationParams notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var line = new StdoutNotificationLine(notification.Id, notification.Title, notification.Body, notification.Url, _time.GetUtcNow());
        string json = JsonSerializer.Serialize(line, s_json.StdoutNotificationLine);
        try
        {
            // One writer at a time, so two notifications never interleave within a line.
            lock (_lock)
            {
                _output.Write(json);
                _output.Write('\n');
                _output.Flush();
            }
        }
        catch (IOException ex)
        {
            // A closed pipe (the reader went away) means nobody saw it.
            return Task.FromResult(PresentationResult.Failed("standard output is not writable: " + ex.Message));
        }

        return Task.FromResult(PresentationResult.Shown("written to standard output"));
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void SetInteractionHandler(Action<NotificationInteraction> handler)
    {
        // Standard output has no clicks or dismissals to report.
    }
}

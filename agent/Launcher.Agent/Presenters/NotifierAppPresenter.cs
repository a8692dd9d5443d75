using System.Diagnostics;
using System.Text.Json;
using Launcher.Contracts.Agents;
using Launcher.Contracts.Notifications;
using Microsoft.Extensions.Logging;

namespace Launcher.Agent.Presenters;

/// <summary>
/// Shows notifications on macOS through the notifier app (<c>Launcher Agent.app</c>, a signed LSUIElement bundle
/// whose Swift executable uses UNUserNotificationCenter; native/macos/Notifier). The agent starts the app's
/// executable as a child, writes one JSON request per line to its standard input and reads one JSON event per line
/// from its standard output: the authorisation state, whether each notification was posted and is listed in
/// Notification Center (<c>shown</c>) or only accepted (<c>submitted</c>), and later clicks, actions and explicit
/// dismissals. A child that exits fails what was in flight and is started again for the next notification.
/// </summary>
internal sealed class NotifierAppPresenter : INotificationPresenter, IAsyncDisposable
{
    public const int MaxLineChars = 64 * 1024;
    public const int MaxUrlsKept = 1_000;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_postTimeout = TimeSpan.FromSeconds(10);

    private readonly string _executable;
    private readonly IUrlOpener _opener;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskCompletionSource<PresentationResult>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string?> _urls = new(StringComparer.Ordinal);
    private readonly Queue<string> _urlOrder = new();
    private readonly CancellationTokenSource _disposed = new();
    private Process? _process;
    private TaskCompletionSource<string> _authorized = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _authorization;
    private Action<NotificationInteraction>? _handler;

    public NotifierAppPresenter(string executable, IUrlOpener opener, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(executable);
        if (!Path.IsPathFullyQualified(executable))
        {
            throw new ArgumentException("The notifier app is started by absolute path only.", nameof(executable));
        }

        _executable = executable;
        _opener = opener ?? throw new ArgumentNullException(nameof(opener));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public string Name => PresenterFactory.System;

    /// <summary>
    /// Everything, unless the user turned notifications off for the app (authorisation denied): then nothing. While
    /// the first authorisation prompt is unanswered the app is taken to be allowed.
    /// </summary>
    public PresenterCapabilities Capabilities => Volatile.Read(ref _authorization) == "denied"
        ? PresenterCapabilities.None
        : new PresenterCapabilities { Clicks = true, Actions = true, TruthfulDelivery = true };

    /// <summary>The last authorisation state the app reported, or null before it reported one.</summary>
    public string? Authorization => Volatile.Read(ref _authorization);

    public bool IsSupported(out string reason)
    {
        if (!File.Exists(_executable))
        {
            reason = $"the notifier app is not installed ({_executable})";
            return false;
        }

        reason = "UNUserNotificationCenter through the notifier app";
        return true;
    }

    public void SetInteractionHandler(Action<NotificationInteraction> handler) => _handler = handler;

    /// <summary>Starts the app and waits for its authorisation state, so the first registration is accurate.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PresenterUnavailableException ex)
        {
            Log.NotifierNotReady(_logger, ex.Message);
        }
    }

    public async Task<PresentationResult> PresentAsync(ShowNotificationParams notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Process process;
        string authorization;
        try
        {
            (process, authorization) = await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PresenterUnavailableException ex)
        {
            return PresentationResult.Failed(ex.Message);
        }

        if (authorization == "denied")
        {
            return PresentationResult.Failed("notifications are turned off for Launcher Agent (System Settings > Notifications), or a configuration profile forbids them");
        }

        var answer = new TaskCompletionSource<PresentationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _pending[notification.Id] = answer;
            RememberUrl(notification.Id, notification.Url);
        }

        var request = new NotifierRequest("post", notification.Id, notification.Title, notification.Body, notification.Url, notification.Actions ?? []);
        string line = JsonSerializer.Serialize(request, AgentJsonContext.Default.NotifierRequest);
        try
        {
            await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await process.StandardInput.WriteLineAsync(line.AsMemory(), cancellationToken).ConfigureAwait(false);
                await process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }

            return await answer.Task.WaitAsync(s_postTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return PresentationResult.Failed("the notifier app is not reading its requests: " + ex.Message);
        }
        catch (TimeoutException)
        {
            return PresentationResult.Failed($"the notifier app did not answer within {s_postTimeout.TotalSeconds:0} s");
        }
        finally
        {
            lock (_lock)
            {
                _pending.Remove(notification.Id);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync().ConfigureAwait(false);
        Process? process;
        lock (_lock)
        {
            process = _process;
            _process = null;
        }

        if (process is not null)
        {
            Stop(process);
            process.Dispose();
        }

        _startLock.Dispose();
        _writeLock.Dispose();
        _disposed.Dispose();
    }

    private async Task<(Process Process, string Authorization)> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        await _startLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Process? process = Volatile.Read(ref _process);
            if (process is null)
            {
                if (!File.Exists(_executable))
                {
                    throw new PresenterUnavailableException($"the notifier app is not installed ({_executable})");
                }

                process = Start();
            }

            try
            {
                string authorization = await Volatile.Read(ref _authorized).Task.WaitAsync(s_startTimeout, cancellationToken).ConfigureAwait(false);
                return (process, authorization);
            }
            catch (TimeoutException ex)
            {
                throw new PresenterUnavailableException($"the notifier app did not report its authorisation within {s_startTimeout.TotalSeconds:0} s", ex);
            }
        }
        finally
        {
            _startLock.Release();
        }
    }

    private Process Start()
    {
        var start = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            StandardErrorEncoding = System.Text.Encoding.UTF8,
        };
        var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            process.Dispose();
            throw new PresenterUnavailableException($"the notifier app did not start: {ex.Message}", ex);
        }

        process.StandardInput.AutoFlush = false;
        lock (_lock)
        {
            _process = process;
            _authorized = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        Log.NotifierStarted(_logger, _executable, process.Id);
        _ = ReadEventsAsync(process);
        _ = DrainErrorsAsync(process);
        return process;
    }

    private async Task ReadEventsAsync(Process process)
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync(_disposed.Token).ConfigureAwait(false) is string line)
            {
                // Our own signed app writes these; a line beyond the bound is still dropped rather than parsed.
                if (line.Length > MaxLineChars)
                {
                    Log.NotifierBadLine(_logger, "too long");
                    continue;
                }

                NotifierEvent? message;
                try
                {
                    message = JsonSerializer.Deserialize(line, AgentJsonContext.Default.NotifierEvent);
                }
                catch (JsonException ex)
                {
                    Log.NotifierBadLine(_logger, ex.Message);
                    continue;
                }

                if (message?.Event is not null)
                {
                    Handle(message);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The pipe closed under us: the same as an exit.
        }

        Exited(process);
    }

    private async Task DrainErrorsAsync(Process process)
    {
        try
        {
            while (await process.StandardError.ReadLineAsync(_disposed.Token).ConfigureAwait(false) is string line)
            {
                Log.NotifierOutput(_logger, line.Length > 300 ? line[..300] : line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // Nothing more to read.
        }
    }

    private void Handle(NotifierEvent message)
    {
        switch (message.Event)
        {
            case "authorization":
                string state = message.Authorization ?? "unknown";
                Volatile.Write(ref _authorization, state);
                Log.NotifierAuthorization(_logger, state);
                Volatile.Read(ref _authorized).TrySetResult(state);
                break;
            case "posted" when message.Id is not null:
                Complete(message.Id, message.Delivered == true
                    ? PresentationResult.Shown("Notification Center lists it")
                    : PresentationResult.Submitted("macOS accepted it but does not list it in Notification Center (alerts turned off, Focus, or not kept there)"));
                break;
            case "failed" when message.Id is not null:
                Complete(message.Id, PresentationResult.Failed("UNUserNotificationCenter refused it: " + (message.Reason ?? "no reason given")));
                break;
            case "clicked" when message.Id is not null:
                Report(new NotificationInteraction(message.Id, NotificationOutcomes.Clicked, message.ActionId, message.ActionId is null ? "the user clicked it" : "the user chose an action"));
                if (message.ActionId is null)
                {
                    OpenUrl(message.Id);
                }

                break;
            case "dismissed" when message.Id is not null:
                Report(new NotificationInteraction(message.Id, NotificationOutcomes.Dismissed, null, "the user dismissed it"));
                break;
            default:
                Log.NotifierBadLine(_logger, "unknown event " + (message.Event.Length > 32 ? message.Event[..32] : message.Event));
                break;
        }
    }

    private void Complete(string id, PresentationResult result)
    {
        TaskCompletionSource<PresentationResult>? answer;
        lock (_lock)
        {
            _pending.TryGetValue(id, out answer);
        }

        answer?.TrySetResult(result);
    }

    private void Exited(Process process)
    {
        TaskCompletionSource<PresentationResult>[] pending;
        lock (_lock)
        {
            if (!ReferenceEquals(_process, process))
            {
                return;
            }

            _process = null;
            pending = [.. _pending.Values];
        }

        // Its output closes as it exits; the exit status is collected a moment later.
        bool exited = WaitForExit(process);
        string code = exited ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown";
        Volatile.Read(ref _authorized).TrySetException(new PresenterUnavailableException($"the notifier app exited (code {code}) before reporting its authorisation"));
        foreach (TaskCompletionSource<PresentationResult> answer in pending)
        {
            answer.TrySetResult(PresentationResult.Failed($"the notifier app exited (code {code})"));
        }

        if (!_disposed.IsCancellationRequested)
        {
            Log.NotifierExited(_logger, code);
        }

        process.Dispose();
    }

    private void RememberUrl(string id, string? url)
    {
        if (_urls.ContainsKey(id))
        {
            return;
        }

        _urls[id] = url;
        _urlOrder.Enqueue(id);
        while (_urlOrder.Count > MaxUrlsKept)
        {
            _urls.Remove(_urlOrder.Dequeue());
        }
    }

    private void OpenUrl(string id)
    {
        string? text;
        lock (_lock)
        {
            _urls.TryGetValue(id, out text);
        }

        if (text is null)
        {
            return;
        }

        if (!UrlPolicy.TryParse(text, out Uri? url))
        {
            Log.UrlRefused(_logger, id);
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                string? failure = await _opener.OpenAsync(url!, _disposed.Token).ConfigureAwait(false);
                if (failure is null)
                {
                    Log.UrlOpened(_logger, id);
                }
                else
                {
                    Log.UrlOpenFailed(_logger, id, failure);
                }
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
            {
                Log.UrlOpenFailed(_logger, id, ex.Message);
            }
        });
    }

    private void Report(NotificationInteraction interaction)
    {
        if (_handler is Action<NotificationInteraction> handler)
        {
            handler(interaction);
        }
    }

    private static bool WaitForExit(Process process)
    {
        try
        {
            return process.WaitForExit(2000);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            // Closing standard input asks the app to quit; a kill follows if it does not.
            process.StandardInput.Close();
            if (!process.WaitForExit(2000))
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }
}

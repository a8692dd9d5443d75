using System.Collections.Concurrent;
using Launcher.Agent.Presenters;

namespace Launcher.Agent.Tests.DBus;

/// <summary>The URL-opener seam: records what would have been opened with xdg-open.</summary>
internal sealed class RecordingUrlOpener : IUrlOpener
{
    private readonly TaskCompletionSource<Uri> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<Uri> Opened { get; } = new();

    public Task<Uri> FirstAsync => _first.Task.WaitAsync(TimeSpan.FromSeconds(15));

    public Task<string?> OpenAsync(Uri url, CancellationToken cancellationToken)
    {
        Opened.Enqueue(url);
        _first.TrySetResult(url);
        return Task.FromResult<string?>(null);
    }
}

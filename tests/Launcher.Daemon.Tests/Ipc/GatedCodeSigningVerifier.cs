using Launcher.Platform.Ipc;

namespace Launcher.Daemon.Tests.Ipc;

/// <summary>
/// A code-signing verifier that stands in for Security.framework on Linux: the first <see cref="SlowCalls"/> checks
/// block until <see cref="Release"/> (as a check stuck reading the peer's code would), the rest answer at once.
/// </summary>
internal sealed class GatedCodeSigningVerifier : ICodeSigningVerifier, IDisposable
{
    private readonly ManualResetEventSlim _gate = new();
    private readonly TaskCompletionSource _firstEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public int SlowCalls { get; init; } = 1;

    public bool Verdict { get; init; } = true;

    public bool IsEnforced => true;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Completes when the first (slow) check has started.</summary>
    public Task FirstEntered => _firstEntered.Task;

    public bool Satisfies(PeerCredentials peer, out string reason)
    {
        int call = Interlocked.Increment(ref _calls);
        if (call <= SlowCalls)
        {
            _firstEntered.TrySetResult();
            _gate.Wait(TimeSpan.FromSeconds(60));
        }

        reason = Verdict ? "fake: satisfied" : "fake: not signed by the expected team";
        return Verdict;
    }

    public void Release() => _gate.Set();

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
    }
}

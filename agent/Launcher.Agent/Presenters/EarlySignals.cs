namespace Launcher.Agent.Presenters;

/// <summary>Signals for a server id that is not tracked yet, kept since <see cref="Since"/> (a timestamp).</summary>
internal sealed record EarlySignals(long Since)
{
    public List<Action> Replays { get; } = [];
}

namespace Launcher.Contracts.Agents;

/// <summary>
/// What an agent's presenter can do, advertised at <c>agent/register</c>. An agent that sends none (older agents)
/// is taken to have none of them.
/// </summary>
public sealed record PresenterCapabilities
{
    /// <summary>None: what the daemon assumes for an agent that advertises nothing.</summary>
    public static PresenterCapabilities None { get; } = new();

    /// <summary>A click on the notification is reported (outcome <c>clicked</c>) and opens its URL.</summary>
    public bool Clicks { get; init; }

    /// <summary>The notification's actions are shown as buttons and a click on one is reported with its id.</summary>
    public bool Actions { get; init; }

    /// <summary>
    /// The presenter learns whether the notification reached the screen, so <c>shown</c> means shown; without it
    /// the agent reports <c>submitted</c> (handed to the operating system, delivery unknown).
    /// </summary>
    public bool TruthfulDelivery { get; init; }
}

using Launcher.Rpc;

namespace Launcher.Contracts.Fleet;

/// <summary>The params of <c>notification/outcome</c>: what became of a server notification for one user.</summary>
public sealed record OutcomeParams : IRpcValidatable
{
    /// <summary>The server's notification id.</summary>
    public required string Id { get; init; }

    /// <summary>The user the outcome is for.</summary>
    public required uint Uid { get; init; }

    /// <summary>One of <see cref="FleetOutcomes"/> (except pending).</summary>
    public required string Outcome { get; init; }

    /// <summary>The clicked action's id, if any.</summary>
    public string? Action { get; init; }

    /// <summary>When it happened (Unix milliseconds).</summary>
    public required long At { get; init; }

    /// <inheritdoc />
    public string? Validate()
    {
        if (Id.Length is 0 or > FleetLimits.MaxIdLength)
        {
            return $"id must be 1 to {FleetLimits.MaxIdLength} characters.";
        }

        if (!FleetOutcomes.IsReportable(Outcome))
        {
            return "outcome must be shown, clicked, dismissed, failed, expired or submitted.";
        }

        return Action is { Length: > 64 } ? "action must be at most 64 characters." : null;
    }
}

namespace Launcher.Contracts.Notifications;

/// <summary>The result of <c>notification/send</c>, returned once the notification is durably stored.</summary>
public sealed record SendNotificationResult
{
    /// <summary>The notification's id.</summary>
    public required string Id { get; init; }

    /// <summary>When it expires if not acknowledged.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Agent connections it was sent to right away (others get it when they connect).</summary>
    public required int DeliveredNow { get; init; }

    /// <summary>
    /// What the target users' connected agents cannot honour, one sentence each (for example a URL that no agent of
    /// a uid can open on click, or actions that it cannot show). Empty when every connected agent can do what was
    /// asked; agents that connect later are not known yet and are not covered.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

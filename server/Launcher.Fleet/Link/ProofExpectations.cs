namespace Launcher.Fleet.Link;

/// <summary>What a proof must carry to be accepted in one place (the link's handshake, or /api/v1/verify).</summary>
internal sealed class ProofExpectations
{
    /// <summary>The audience, compared after normalising both sides to <c>https://host[:port]</c> when <see cref="NormaliseAudience"/>.</summary>
    public required string Audience { get; init; }

    /// <summary>Whether the audience is a URL normalised on both sides (the link) or compared exactly (a relying service's).</summary>
    public bool NormaliseAudience { get; init; }

    /// <summary>The expected <c>cb</c>; null: not checked (a relying service cannot know the server's certificate).</summary>
    public string? ChannelBinding { get; init; }

    /// <summary>Whether <c>machine_id</c> must be present (authentication) or absent (enrolment); null: either.</summary>
    public bool? RequireMachineId { get; init; }
}

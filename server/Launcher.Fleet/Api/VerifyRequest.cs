namespace Launcher.Fleet.Api;

/// <summary>The body of <c>POST /api/v1/verify</c>.</summary>
internal sealed class VerifyRequest
{
    public string? Proof { get; init; }

    public string? Audience { get; init; }

    public string? Nonce { get; init; }
}

namespace Launcher.Fleet.Api;

/// <summary>The body of <c>POST /api/v1/machines/{id}/apple-attestation</c>: the MDA certificate chain as PEM,
/// leaf first (the intermediates after it; Apple's root need not be included).</summary>
internal sealed class AppleAttestationRequest
{
    public string? Chain { get; init; }
}

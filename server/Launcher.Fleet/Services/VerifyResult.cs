namespace Launcher.Fleet.Services;

/// <summary>What a relying service learns from a verified proof.</summary>
internal sealed record VerifyResult(
    string MachineId,
    string SpiffeId,
    string KeyClass,
    string AttestationLevel,
    string? Group,
    EvidenceView Evidence,
    IReadOnlyList<GrantView> Grants,
    DateTimeOffset ProofExpiresAt);

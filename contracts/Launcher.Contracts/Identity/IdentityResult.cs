namespace Launcher.Contracts.Identity;

/// <summary>The result of <c>identity/get</c> and <c>identity/reset</c>: the public identity of the machine.</summary>
public sealed record IdentityResult
{
    /// <summary>See <see cref="KeyClasses"/>.</summary>
    public required string KeyClass { get; init; }

    /// <summary>See <see cref="IdentityStates"/>.</summary>
    public required string State { get; init; }

    /// <summary>Why the state is not <c>ready</c>, or a warning (e.g. software fallback).</summary>
    public string? StateReason { get; init; }

    /// <summary>The public key as a JWK; null unless ready.</summary>
    public PublicKeyJwk? PublicKeyJwk { get; init; }

    /// <summary>The public key as base64 DER SubjectPublicKeyInfo; null unless ready.</summary>
    public string? PublicKeySpki { get; init; }

    /// <summary>The RFC 7638 JWK thumbprint (SHA-256, base64url); null unless ready.</summary>
    public string? Thumbprint { get; init; }

    /// <summary>The machine id given by the fleet server at enrolment; null until then.</summary>
    public string? MachineId { get; init; }

    /// <summary>Facts about the machine.</summary>
    public required MachineFactsInfo Facts { get; init; }
}

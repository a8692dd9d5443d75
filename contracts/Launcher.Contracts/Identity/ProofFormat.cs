namespace Launcher.Contracts.Identity;

/// <summary>The fixed parts of a Launcher proof (docs/protocol.md, "Proofs").</summary>
public static class ProofFormat
{
    /// <summary>The JWS <c>typ</c> of a proof signed by the machine key.</summary>
    public const string MachineProofType = "launcher-machine-proof+jwt";

    /// <summary>The JWS <c>typ</c> of a proof signed by an agent's user-scoped fallback key.</summary>
    public const string UserProofType = "launcher-user-proof+jwt";

    /// <summary>The JWS algorithm: ECDSA P-256 with SHA-256.</summary>
    public const string Algorithm = "ES256";

    /// <summary>How long a proof is valid by default.</summary>
    public const int DefaultLifetimeSeconds = 120;

    /// <summary>The longest lifetime any proof may have.</summary>
    public const int MaxLifetimeSeconds = 300;
}

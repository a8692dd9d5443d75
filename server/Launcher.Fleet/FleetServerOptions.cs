namespace Launcher.Fleet;

/// <summary>How one <c>launcher-fleet</c> instance runs (the command line of <c>run</c>, or a test).</summary>
internal sealed class FleetServerOptions
{
    /// <summary>The https URL to listen on (an IP address or localhost; port 0 picks a free port).</summary>
    public required Uri Listen { get; init; }

    /// <summary>Where the PKI (and the SQLite database by default) live.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>null or "sqlite": SQLite in the data dir; "sqlite:PATH"; "postgres://…" or an Npgsql connection string.</summary>
    public string? Database { get; init; }

    /// <summary>The SPIFFE trust domain of machine certificates.</summary>
    public string TrustDomain { get; init; } = "fleet.local";

    /// <summary>The URL machines know the server by (the proofs' aud); default: the listen URL as bound.</summary>
    public Uri? PublicUrl { get; init; }

    /// <summary>A JSON policy file; null: the default policy.</summary>
    public string? PolicyFile { get; init; }

    /// <summary>The TPM makers' roots and the EK allow-list (<c>--tpm-roots</c>, <c>--ek-allowlist</c>); default:
    /// nothing trusted, so TPM evidence that verifies is at most <c>tpm-unverified</c>.</summary>
    public Launcher.Attestation.Verification.TpmTrust TpmTrust { get; init; } = Launcher.Attestation.Verification.TpmTrust.None;

    /// <summary>Test seam: the root Apple MDA chains are verified against; null (always in production): Apple's
    /// embedded Enterprise Attestation Root CA.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? AppleAttestationRootForTests { get; init; }

    /// <summary>Bounds and intervals.</summary>
    public FleetServerLimits Limits { get; init; } = new();
}

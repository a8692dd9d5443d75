using Launcher.Contracts.Identity;

namespace Launcher.Fleet.Link;

/// <summary>A proof whose signature and claims passed every stateless check.</summary>
internal sealed record VerifiedProof(EcPublicKey Key, ProofHeader Header, ProofClaims Claims);

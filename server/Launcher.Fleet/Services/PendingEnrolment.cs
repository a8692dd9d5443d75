using Launcher.Attestation.Verification;
using Launcher.Contracts.Fleet;
using Launcher.Fleet.Link;

namespace Launcher.Fleet.Services;

/// <summary>
/// An enrolment whose TPM evidence verified and whose credential-activation challenge is out: held by the
/// connection (never in the database) until <c>fleet/activate</c> answers it once; no machine exists meanwhile.
/// </summary>
internal sealed record PendingEnrolment(
    EnrollParams Request,
    VerifiedProof Proof,
    string TokenId,
    string Level,
    string? TpmMaker,
    string Detail,
    CredentialChallenge Challenge,
    long ExpiresAtMs);

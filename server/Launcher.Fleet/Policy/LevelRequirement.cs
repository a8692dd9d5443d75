namespace Launcher.Fleet.Policy;

/// <summary>
/// One minimum attestation level that applies to an enrolment, and where it comes from: <c>token</c> (the enrolment
/// token's <c>--min-level</c>), <c>group</c> (the policy's <c>groupMinimumAttestationLevel</c> for the token's group)
/// or <c>global</c> (the policy's <c>minimumAttestationLevel</c>).
/// </summary>
internal sealed record LevelRequirement(string Source, string Level, string Description);

namespace Launcher.Fleet.Services;

/// <summary>A machine that answered the server's fresh challenge with a proof by its enrolled key.</summary>
internal sealed record LivenessResult(string MachineId, bool ProofVerified, string KeyClass, DateTimeOffset CheckedAt, ReportedFacts Facts);

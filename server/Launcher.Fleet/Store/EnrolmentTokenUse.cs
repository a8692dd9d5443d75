namespace Launcher.Fleet.Store;

/// <summary>What an enrolment needs of a usable token: its id, the group it enrols into, and the weakest attestation level it accepts (null: any).</summary>
internal sealed record EnrolmentTokenUse(string Id, string? Group, string? MinLevel);

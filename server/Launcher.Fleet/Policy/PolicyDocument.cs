namespace Launcher.Fleet.Policy;

/// <summary>The policy file (JSON): who may enrol, and what each machine is granted and why.</summary>
internal sealed class PolicyDocument
{
    /// <summary>Rules for enrolment; null allows every key class.</summary>
    public EnrolmentRule? Enrolment { get; init; }

    /// <summary>Grant rules; a machine gets every grant whose conditions all hold. Revoked machines get none.</summary>
    public IReadOnlyList<GrantRule> Grants { get; init; } = [];
}

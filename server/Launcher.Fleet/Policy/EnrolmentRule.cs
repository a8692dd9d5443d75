namespace Launcher.Fleet.Policy;

/// <summary>Which machines may enrol.</summary>
internal sealed class EnrolmentRule
{
    /// <summary>Key classes allowed to enrol; null or empty: any.</summary>
    public IReadOnlyList<string>? KeyClasses { get; init; }

    /// <summary>The weakest attestation level any machine may enrol with; null: any.</summary>
    public string? MinimumAttestationLevel { get; init; }

    /// <summary>The weakest attestation level per group (the enrolment token's group). It adds to
    /// <see cref="MinimumAttestationLevel"/> and to the token's own minimum: the strictest of the three applies.</summary>
    public IReadOnlyDictionary<string, string>? GroupMinimumAttestationLevel { get; init; }
}

namespace Launcher.Fleet.Policy;

/// <summary>Which machines may enrol.</summary>
internal sealed class EnrolmentRule
{
    /// <summary>Key classes allowed to enrol; null or empty: any.</summary>
    public IReadOnlyList<string>? KeyClasses { get; init; }
}

namespace Launcher.Benchmarks.Harness;

/// <summary>One headline figure with its target. A null value means skipped (with the reason in <see cref="Note"/>).</summary>
internal sealed record Figure(string Key, string Label, double? Value, string Unit, double Target, bool HigherIsBetter, string? Note = null)
{
    /// <summary>Figures without a target are reported, not judged.</summary>
    public bool HasTarget => !double.IsNaN(Target);

    public string Status => Value is not double value ? "SKIP"
        : !HasTarget ? "info"
        : double.IsNaN(value) ? "MISS"
        : (HigherIsBetter ? value >= Target : value <= Target) ? "PASS" : "MISS";

    public string TargetText => HasTarget ? (HigherIsBetter ? "≥ " : "≤ ") + Format(Target) + " " + Unit : "(report)";

    public string ValueText => Value is double value ? Format(value) + " " + Unit : "skipped";

    public static string Format(double value) => Math.Abs(value) switch
    {
        >= 10_000 => value.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture),
        >= 100 => value.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
    };
}

namespace Launcher.Fleet.Policy;

/// <summary>One grant and the conditions under which a machine has it. An absent condition holds for every machine.</summary>
internal sealed class GrantRule
{
    /// <summary>The grant's name (what relying services check).</summary>
    public string Grant { get; init; } = string.Empty;

    /// <summary>The key classes that qualify.</summary>
    public IReadOnlyList<string>? KeyClasses { get; init; }

    /// <summary>The attestation levels that qualify (reserved until hardware attestation: today's levels are reported ones).</summary>
    public IReadOnlyList<string>? AttestationLevels { get; init; }

    /// <summary>The groups that qualify.</summary>
    public IReadOnlyList<string>? Groups { get; init; }
}

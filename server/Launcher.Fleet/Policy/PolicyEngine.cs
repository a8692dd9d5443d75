using System.Text.Json;
using Launcher.Contracts;
using Launcher.Contracts.Fleet;

namespace Launcher.Fleet.Policy;

/// <summary>
/// Decides grants from what the server knows of a machine (key class and attestation level as recorded, group,
/// revocation), never from what the machine says about itself at the moment of asking.
/// </summary>
internal sealed class PolicyEngine
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public PolicyEngine(PolicyDocument document, string source)
    {
        Document = document;
        Source = source;
    }

    public PolicyDocument Document { get; }

    /// <summary>Where the policy came from (a path, or "default").</summary>
    public string Source { get; }

    /// <summary>The policy when no file is given: every enrolled machine is a member; hardware keys get "hardware-key".</summary>
    public static PolicyEngine Default { get; } = new(
        new PolicyDocument
        {
            Grants =
            [
                new GrantRule { Grant = "fleet:member" },
                new GrantRule { Grant = "hardware-key", KeyClasses = [KeyClasses.Tpm, KeyClasses.SecureEnclave] },
            ],
        },
        "default");

    public static PolicyEngine Load(string? path)
    {
        if (path is null)
        {
            return Default;
        }

        PolicyDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<PolicyDocument>(File.ReadAllText(path), s_options);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new FleetConfigurationException($"--policy {path}: {ex.Message}");
        }

        if (document is null || document.Grants.Any(g => string.IsNullOrWhiteSpace(g.Grant)))
        {
            throw new FleetConfigurationException($"--policy {path}: every grant rule needs a \"grant\" name.");
        }

        IEnumerable<string> levels = (document.Enrolment?.GroupMinimumAttestationLevel?.Values ?? [])
            .Concat(document.Enrolment?.MinimumAttestationLevel is string minimum ? [minimum] : [])
            .Concat(document.Grants.SelectMany(g => g.AttestationLevels ?? []));
        if (levels.FirstOrDefault(l => !AttestationRank.All.Contains(l, StringComparer.Ordinal)) is string unknown)
        {
            throw new FleetConfigurationException($"--policy {path}: '{unknown}' is not an attestation level ({string.Join(", ", AttestationRank.All)}).");
        }

        return new PolicyEngine(document, Path.GetFullPath(path));
    }

    /// <summary>Null when the key class may enrol; otherwise the refusal's reason.</summary>
    public string? RefuseEnrolment(string keyClass)
    {
        IReadOnlyList<string>? allowed = Document.Enrolment?.KeyClasses;
        if (allowed is null || allowed.Count == 0 || allowed.Contains(keyClass, StringComparer.Ordinal))
        {
            return null;
        }

        return $"The policy allows enrolment only for key classes {string.Join(", ", allowed)}; this key is {keyClass}.";
    }

    /// <summary>
    /// The minimum attestation levels that apply to an enrolment with a token of <paramref name="tokenMinLevel"/>
    /// into <paramref name="group"/>: the token's, the group's and the global one, those that are set.
    /// </summary>
    public IReadOnlyList<LevelRequirement> LevelRequirements(string? tokenId, string? tokenMinLevel, string? group)
    {
        EnrolmentRule? rule = Document.Enrolment;
        var requirements = new List<LevelRequirement>(3);
        if (tokenMinLevel is not null)
        {
            requirements.Add(new LevelRequirement("token", tokenMinLevel, tokenId is null ? $"the enrolment token requires attestation level {tokenMinLevel} or stronger" : $"the enrolment token {tokenId} requires attestation level {tokenMinLevel} or stronger"));
        }

        if (group is not null && rule?.GroupMinimumAttestationLevel?.TryGetValue(group, out string? forGroup) == true)
        {
            requirements.Add(new LevelRequirement("group", forGroup, $"the policy requires attestation level {forGroup} or stronger for group {group}"));
        }

        if (rule?.MinimumAttestationLevel is string global)
        {
            requirements.Add(new LevelRequirement("global", global, $"the policy requires attestation level {global} or stronger for every machine"));
        }

        return requirements;
    }

    /// <summary>
    /// Null when a machine of <paramref name="level"/> may enrol with this token into this group: the strictest of the
    /// token's, the group's and the global minimum applies (a group's level never loosens the global one). Otherwise
    /// the refusal, naming every requirement that refuses.
    /// </summary>
    public LevelRefusal? RefuseAttestationLevel(string level, string? group, string? tokenId = null, string? tokenMinLevel = null)
    {
        List<LevelRequirement> refusing = LevelRequirements(tokenId, tokenMinLevel, group)
            .Where(r => !AttestationRank.Satisfies(level, r.Level))
            .OrderBy(r => AttestationRank.IndexOf(r.Level))
            .ToList();
        if (refusing.Count == 0)
        {
            return null;
        }

        string reasons = string.Join("; ", refusing.Select(r => r.Description));
        string by = string.Join(", ", refusing.Select(r => r.Source));
        return new LevelRefusal(refusing, $"Attestation level too weak: {reasons}; this machine is {level} (refused by: {by}).");
    }

    public IReadOnlyList<GrantDecision> Evaluate(string keyClass, string attestationLevel, string? group, bool revoked)
    {
        if (revoked)
        {
            return [];
        }

        var grants = new List<GrantDecision>();
        foreach (GrantRule rule in Document.Grants)
        {
            var reasons = new List<string>();
            if (!Holds(rule.KeyClasses, keyClass, "key class", reasons)
                || !Holds(rule.AttestationLevels, attestationLevel, "attestation level", reasons)
                || !Holds(rule.Groups, group, "group", reasons))
            {
                continue;
            }

            string why = reasons.Count == 0 ? "every enrolled machine that is not revoked" : string.Join("; ", reasons);
            if (grants.All(g => g.Grant != rule.Grant))
            {
                grants.Add(new GrantDecision(rule.Grant, why + $" (policy {Source})"));
            }
        }

        return grants;
    }

    /// <summary>The attestation level the server records for a key class it could not verify.</summary>
    public static string ReportedLevel(string keyClass) => keyClass switch
    {
        KeyClasses.Tpm => AttestationLevels.TpmUnverified,
        KeyClasses.SecureEnclave => AttestationLevels.SecureEnclaveReported,
        KeyClasses.Software => AttestationLevels.Software,
        _ => AttestationLevels.None,
    };

    private static bool Holds(IReadOnlyList<string>? allowed, string? value, string what, List<string> reasons)
    {
        if (allowed is null || allowed.Count == 0)
        {
            return true;
        }

        if (value is null || !allowed.Contains(value, StringComparer.Ordinal))
        {
            return false;
        }

        reasons.Add($"{what} {value} is one of [{string.Join(", ", allowed)}]");
        return true;
    }
}

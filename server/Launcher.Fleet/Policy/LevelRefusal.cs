namespace Launcher.Fleet.Policy;

/// <summary>
/// Why an enrolment's attestation level is refused: every requirement the level fails, strictest first, and the
/// message naming them. <see cref="Source"/> is the strictest refusing requirement's source (token, group, global).
/// </summary>
internal sealed record LevelRefusal(IReadOnlyList<LevelRequirement> Refusing, string Message)
{
    public string Source => Refusing[0].Source;
}

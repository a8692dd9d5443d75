namespace Launcher.Fleet.Policy;

/// <summary>A grant a machine has, with the reason.</summary>
internal sealed record GrantDecision(string Grant, string Why);

namespace Launcher.Contracts;

/// <summary>The params of a method that takes none (an empty object).</summary>
public sealed record EmptyParams
{
    /// <summary>The one instance.</summary>
    public static EmptyParams Instance { get; } = new();
}

using Launcher.Rpc;

namespace Launcher.Contracts.Identity;

/// <summary>The params of <c>identity/reset</c>: replacing the machine key is a new identity.</summary>
public sealed record ResetIdentityParams : IRpcValidatable
{
    /// <summary>Must be true: the caller confirms that the old identity is gone for good.</summary>
    public required bool Confirm { get; init; }

    /// <inheritdoc />
    public string? Validate() => Confirm ? null : "confirm must be true: a reset creates a new identity.";
}

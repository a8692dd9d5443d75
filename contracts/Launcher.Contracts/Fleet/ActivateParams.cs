using Launcher.Rpc;

namespace Launcher.Contracts.Fleet;

/// <summary>The params of <c>fleet/activate</c> (reserved for TPM credential activation; not served yet).</summary>
public sealed record ActivateParams : IRpcValidatable
{
    /// <summary>The secret recovered with TPM2_ActivateCredential, base64url.</summary>
    public required string Secret { get; init; }

    /// <inheritdoc />
    public string? Validate() => Secret.Length is 0 or > 1024 ? "secret must be 1 to 1024 characters." : null;
}

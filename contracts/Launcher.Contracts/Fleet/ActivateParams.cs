using Launcher.Rpc;

namespace Launcher.Contracts.Fleet;

/// <summary>The params of <c>fleet/activate</c>: the answer to the enrolment's activation challenge.</summary>
public sealed record ActivateParams : IRpcValidatable
{
    /// <summary>The credential recovered with TPM2_ActivateCredential, standard base64.</summary>
    public required string Credential { get; init; }

    /// <inheritdoc />
    public string? Validate() => Credential.Length is 0 or > 1024 ? "credential must be 1 to 1024 characters." : null;
}

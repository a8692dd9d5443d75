using Launcher.Rpc;

namespace Launcher.Contracts.Agents;

/// <summary>The public half of an agent's user-scoped fallback key.</summary>
public sealed record UserKeyInfo : IRpcValidatable
{
    /// <summary><see cref="KeyClasses.UserSecureEnclave"/> or <see cref="KeyClasses.UserSoftware"/>.</summary>
    public required string KeyClass { get; init; }

    /// <summary>The public key as base64 DER SubjectPublicKeyInfo (P-256).</summary>
    public required string PublicKeySpki { get; init; }

    /// <inheritdoc />
    public string? Validate()
    {
        if (KeyClass is not (KeyClasses.UserSecureEnclave or KeyClasses.UserSoftware))
        {
            return "userKey.keyClass must be user-secure-enclave or user-software.";
        }

        // Parsed here, at agent/register (-32602), so a bad key never surfaces later as an internal error at proof time.
        const string Problem = "userKey.publicKeySpki must be a base64 DER P-256 SubjectPublicKeyInfo.";
        if (PublicKeySpki.Length is 0 or > 512)
        {
            return Problem;
        }

        try
        {
            _ = Identity.EcPublicKey.FromSpki(Convert.FromBase64String(PublicKeySpki));
            return null;
        }
        catch (FormatException)
        {
            return Problem;
        }
    }
}

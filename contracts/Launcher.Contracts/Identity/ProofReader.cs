using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Launcher.Contracts.Identity;

/// <summary>Reads and verifies a Launcher proof against an expected key (the daemon checks user-key proofs with it).</summary>
public static class ProofReader
{
    /// <summary>
    /// True when <paramref name="jws"/> is a compact ES256 JWS whose header names <paramref name="expectedKey"/>
    /// (jwk and kid) and whose signature verifies with it.
    /// </summary>
    public static bool TryVerify(string jws, EcPublicKey expectedKey, out ProofHeader? header, out ProofClaims? claims)
    {
        ArgumentNullException.ThrowIfNull(expectedKey);
        header = null;
        claims = null;
        string[] parts = (jws ?? string.Empty).Split('.');
        if (parts.Length != 3 || jws!.Length > 16 * 1024)
        {
            return false;
        }

        try
        {
            header = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[0]), ProofJsonContext.Default.ProofHeader);
            claims = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), ProofJsonContext.Default.ProofClaims);
            byte[] signature = Base64Url.DecodeFromChars(parts[2]);
            if (header is null || claims is null || signature.Length != 64 || header.Algorithm != ProofFormat.Algorithm
                || header.KeyId != expectedKey.Thumbprint || EcPublicKey.ComputeThumbprint(header.Jwk) != expectedKey.Thumbprint)
            {
                return false;
            }

            using ECDsa verifier = ECDsa.Create(expectedKey.Parameters);
            byte[] input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            return verifier.VerifyData(input, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or CryptographicException)
        {
            return false;
        }
    }
}

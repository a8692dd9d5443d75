using Launcher.Contracts.Proofs;
using Launcher.Platform.Native;

namespace Launcher.Platform.Keys;

/// <summary>A loaded Secure Enclave key: the blob stays in memory and is handed to the Enclave for every signature.</summary>
internal sealed class SecureEnclaveSigningKey : ISigningKey
{
    private const int Sha256Bytes = 32;
    private readonly NativeKeyContext _context;
    private readonly byte[] _blob;

    public SecureEnclaveSigningKey(NativeKeyContext context, byte[] blob, byte[] publicKeySec1, string keyClass)
    {
        _context = context;
        _blob = blob;
        PublicKeySec1 = publicKeySec1;
        KeyClass = keyClass;
    }

    public string KeyClass { get; }

    public ReadOnlyMemory<byte> PublicKeySec1 { get; }

    public byte[] SignDigest(ReadOnlySpan<byte> sha256Digest)
    {
        if (sha256Digest.Length != Sha256Bytes)
        {
            throw new ArgumentException($"A SHA-256 digest is {Sha256Bytes} bytes, not {sha256Digest.Length}.", nameof(sha256Digest));
        }

        byte[] der;
        try
        {
            der = _context.SignDigest(_blob, sha256Digest);
        }
        catch (NativeKeyException ex) when (ex.Status == NativeStatus.KeyInvalid)
        {
            throw new KeyUnusableException($"The Secure Enclave no longer accepts this key: {ex.Detail}", ex);
        }

        return EcdsaSignature.DerToP1363(der);
    }
}

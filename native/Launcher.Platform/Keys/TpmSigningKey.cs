using Launcher.Contracts;
using Launcher.Contracts.Proofs;

namespace Launcher.Platform.Keys;

/// <summary>A TPM machine key loaded from its blob. It signs through its store, so a store that re-opened its TPM
/// connection (after a swtpm restart or a device error) keeps serving the same key.</summary>
internal sealed class TpmSigningKey : ISigningKey
{
    private const int P256FieldBytes = 32;
    private readonly TpmKeyStore _store;
    private readonly byte[] _blob;

    public TpmSigningKey(TpmKeyStore store, byte[] blob, byte[] publicKeySec1)
    {
        _store = store;
        _blob = blob;
        PublicKeySec1 = publicKeySec1;
    }

    public string KeyClass => KeyClasses.Tpm;

    /// <summary>The shim's blob, for TPM2_Certify by the attestation key.</summary>
    internal byte[] Blob => _blob;

    public ReadOnlyMemory<byte> PublicKeySec1 { get; }

    public byte[] SignDigest(ReadOnlySpan<byte> sha256Digest)
    {
        byte[] der = _store.SignDigest(_blob, sha256Digest);
        return EcdsaSignature.DerToP1363(der, P256FieldBytes);
    }
}

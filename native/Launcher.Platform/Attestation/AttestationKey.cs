using Launcher.Contracts.Tpm;

namespace Launcher.Platform.Attestation;

/// <summary>
/// The TPM attestation key (AK): a restricted ECDSA P-256 / SHA-256 signing key under the storage root key, kept
/// as blobs beside the machine key. It signs only structures the TPM makes itself (TPM2_Certify), and a server
/// learns that it lives in the same TPM as the EK through credential activation.
/// </summary>
internal sealed class AttestationKey
{
    internal AttestationKey(byte[] blob, byte[] publicArea)
    {
        Blob = blob;
        PublicArea = publicArea;
        TpmPublic parsed = TpmPublic.Parse(publicArea);
        Name = parsed.ComputeName();
        PublicKeySec1 = parsed.EccPointSec1();
    }

    /// <summary>The AK's TPMT_PUBLIC as the TPM marshals it: what the server hashes into the AK name.</summary>
    public byte[] PublicArea { get; }

    /// <summary>0x000B || SHA-256(PublicArea): the name a credential must be made for.</summary>
    public byte[] Name { get; }

    /// <summary>The AK's public key (0x04 || X || Y, 65 bytes) that verifies certify signatures.</summary>
    public byte[] PublicKeySec1 { get; }

    /// <summary>The shim's blob (TPM2B_PUBLIC || TPM2B_PRIVATE); never leaves the machine.</summary>
    internal byte[] Blob { get; }
}

namespace Launcher.Platform.Attestation;

/// <summary>The endorsement keys the TPM shim reads (LNK_EK_* of launcher_native.h; TCG EK Credential Profile).</summary>
internal enum EndorsementKeyKind : uint
{
    /// <summary>RSA 2048, low-range template L-1: certificate at NV 0x01c00002, persistent handle 0x81010001.</summary>
    Rsa2048 = 1,

    /// <summary>ECC NIST P-256, low-range template L-2: certificate at NV 0x01c0000a, persistent handle 0x81010002.</summary>
    EccP256 = 2,

    /// <summary>ECC NIST P-384, high-range template H-3: certificate at NV 0x01c00016, persistent handle 0x81010016
    /// (where swtpm_setup puts it).</summary>
    EccP384 = 3,
}

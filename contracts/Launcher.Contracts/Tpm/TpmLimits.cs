namespace Launcher.Contracts.Tpm;

/// <summary>The size bounds of the TPM structures the daemon and the fleet server parse; checked before copying.</summary>
public static class TpmLimits
{
    /// <summary>Largest digest (SHA-512): the bound of an authPolicy.</summary>
    public const int MaxDigestBytes = 64;

    /// <summary>Largest RSA modulus (4096 bits).</summary>
    public const int MaxRsaModulusBytes = 512;

    /// <summary>Largest ECC coordinate (NIST P-521).</summary>
    public const int MaxEccCoordinateBytes = 66;

    /// <summary>Largest TPM2B_PUBLIC body.</summary>
    public const int MaxPublicBytes = 4096;
}

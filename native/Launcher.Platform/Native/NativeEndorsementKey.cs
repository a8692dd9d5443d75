namespace Launcher.Platform.Native;

/// <summary>What lnk_ek_public writes: the EK's marshalled TPMT_PUBLIC, its key (an RSA modulus or an uncompressed
/// ECC point), the RSA exponent (0 for ECC) and LNK_EK_SOURCE_*.</summary>
internal sealed record NativeEndorsementKey(byte[] PublicArea, byte[] PublicKey, uint RsaExponent, uint Source);

namespace Launcher.Platform.Native;

/// <summary>What lnk_certify writes: the TPMS_ATTEST bytes, the AK's DER signature over them, and the certified
/// key's marshalled TPMT_PUBLIC.</summary>
internal sealed record NativeCertification(byte[] Attest, byte[] SignatureDer, byte[] KeyPublicArea);

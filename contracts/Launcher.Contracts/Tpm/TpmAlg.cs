namespace Launcher.Contracts.Tpm;

/// <summary>
/// The TPM_ALG_ID and TPM_ECC_CURVE values the daemon and the fleet server understand (TCG TPM 2.0 Part 2, tables 9
/// and 11). A value not named here is refused wherever a structure carries it.
/// </summary>
public static class TpmAlg
{
    /// <summary>TPM_ALG_RSA.</summary>
    public const ushort Rsa = 0x0001;

    /// <summary>TPM_ALG_SHA1.</summary>
    public const ushort Sha1 = 0x0004;

    /// <summary>TPM_ALG_HMAC.</summary>
    public const ushort Hmac = 0x0005;

    /// <summary>TPM_ALG_AES.</summary>
    public const ushort Aes = 0x0006;

    /// <summary>TPM_ALG_MGF1 (a KDF).</summary>
    public const ushort Mgf1 = 0x0007;

    /// <summary>TPM_ALG_KEYEDHASH.</summary>
    public const ushort KeyedHash = 0x0008;

    /// <summary>TPM_ALG_SHA256.</summary>
    public const ushort Sha256 = 0x000B;

    /// <summary>TPM_ALG_SHA384.</summary>
    public const ushort Sha384 = 0x000C;

    /// <summary>TPM_ALG_SHA512.</summary>
    public const ushort Sha512 = 0x000D;

    /// <summary>TPM_ALG_NULL.</summary>
    public const ushort Null = 0x0010;

    /// <summary>TPM_ALG_SM4 (a block cipher).</summary>
    public const ushort Sm4 = 0x0013;

    /// <summary>TPM_ALG_RSASSA.</summary>
    public const ushort RsaSsa = 0x0014;

    /// <summary>TPM_ALG_RSAES (its scheme carries no hash).</summary>
    public const ushort RsaEs = 0x0015;

    /// <summary>TPM_ALG_RSAPSS.</summary>
    public const ushort RsaPss = 0x0016;

    /// <summary>TPM_ALG_OAEP.</summary>
    public const ushort Oaep = 0x0017;

    /// <summary>TPM_ALG_ECDSA.</summary>
    public const ushort EcDsa = 0x0018;

    /// <summary>TPM_ALG_ECDH.</summary>
    public const ushort EcDh = 0x0019;

    /// <summary>TPM_ALG_ECDAA (its scheme carries a count as well as a hash).</summary>
    public const ushort EcDaa = 0x001A;

    /// <summary>TPM_ALG_SM2.</summary>
    public const ushort Sm2 = 0x001B;

    /// <summary>TPM_ALG_ECSCHNORR.</summary>
    public const ushort EcSchnorr = 0x001C;

    /// <summary>TPM_ALG_ECMQV.</summary>
    public const ushort EcMqv = 0x001D;

    /// <summary>TPM_ALG_KDF1_SP800_56A.</summary>
    public const ushort Kdf1Sp80056A = 0x0020;

    /// <summary>TPM_ALG_KDF2.</summary>
    public const ushort Kdf2 = 0x0021;

    /// <summary>TPM_ALG_KDF1_SP800_108.</summary>
    public const ushort Kdf1Sp800108 = 0x0022;

    /// <summary>TPM_ALG_ECC.</summary>
    public const ushort Ecc = 0x0023;

    /// <summary>TPM_ALG_SYMCIPHER.</summary>
    public const ushort SymCipher = 0x0025;

    /// <summary>TPM_ALG_CAMELLIA (a block cipher).</summary>
    public const ushort Camellia = 0x0026;

    /// <summary>TPM_ALG_CTR.</summary>
    public const ushort Ctr = 0x0040;

    /// <summary>TPM_ALG_OFB.</summary>
    public const ushort Ofb = 0x0041;

    /// <summary>TPM_ALG_CBC.</summary>
    public const ushort Cbc = 0x0042;

    /// <summary>TPM_ALG_CFB.</summary>
    public const ushort Cfb = 0x0043;

    /// <summary>TPM_ALG_ECB.</summary>
    public const ushort Ecb = 0x0044;

    /// <summary>TPM_ECC_NIST_P256.</summary>
    public const ushort CurveNistP256 = 0x0003;

    /// <summary>TPM_ECC_NIST_P384.</summary>
    public const ushort CurveNistP384 = 0x0004;

    /// <summary>TPM_ECC_NIST_P521.</summary>
    public const ushort CurveNistP521 = 0x0005;
}

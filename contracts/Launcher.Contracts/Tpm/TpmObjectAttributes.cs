namespace Launcher.Contracts.Tpm;

/// <summary>TPMA_OBJECT bits (TCG TPM 2.0 Part 2, table 31).</summary>
[Flags]
public enum TpmObjectAttributes : uint
{
    /// <summary>No bits.</summary>
    None = 0,

    /// <summary>The object cannot be duplicated to another TPM.</summary>
    FixedTpm = 1u << 1,

    /// <summary>The object's TPM was not cleared since the object was created (restricts loading after a clear).</summary>
    StClear = 1u << 2,

    /// <summary>The object's parent cannot change.</summary>
    FixedParent = 1u << 4,

    /// <summary>The TPM generated the sensitive part (nobody outside the TPM ever saw the private key).</summary>
    SensitiveDataOrigin = 1u << 5,

    /// <summary>Authorisation by the object's auth value is allowed.</summary>
    UserWithAuth = 1u << 6,

    /// <summary>Admin roles need a policy session.</summary>
    AdminWithPolicy = 1u << 7,

    /// <summary>Not subject to dictionary-attack protection.</summary>
    NoDa = 1u << 10,

    /// <summary>Duplication needs an encrypted inner wrapper.</summary>
    EncryptedDuplication = 1u << 11,

    /// <summary>The key only signs or decrypts TPM-made structures.</summary>
    Restricted = 1u << 16,

    /// <summary>The key can decrypt.</summary>
    Decrypt = 1u << 17,

    /// <summary>The key can sign.</summary>
    Sign = 1u << 18,
}

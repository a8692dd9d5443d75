namespace Launcher.Platform.Attestation;

/// <summary>Where the shim found an endorsement key (LNK_EK_SOURCE_*).</summary>
internal enum EndorsementKeySource : uint
{
    /// <summary>The persistent handle of its kind.</summary>
    Persistent = 1,

    /// <summary>Created as a transient primary from the profile's default template (and flushed again).</summary>
    DefaultTemplate = 2,

    /// <summary>Created from the template (and nonce) the TPM maker stored in NV (and flushed again).</summary>
    NvTemplate = 3,
}

namespace Launcher.Platform.Keys;

/// <summary>A usable P-256 key. Internal to the daemon and agent: nothing on a socket reaches it with raw bytes.</summary>
internal interface ISigningKey
{
    /// <summary>One of <c>Launcher.Contracts.KeyClasses</c>.</summary>
    string KeyClass { get; }

    /// <summary>The public key as an uncompressed SEC1 point (0x04 || X || Y, 65 bytes).</summary>
    ReadOnlyMemory<byte> PublicKeySec1 { get; }

    /// <summary>Signs a 32-byte SHA-256 digest; returns the 64-byte IEEE P1363 form (r || s), as JWS wants.</summary>
    byte[] SignDigest(ReadOnlySpan<byte> sha256Digest);
}

namespace Launcher.Attestation.Apple;

/// <summary>
/// What an Apple Managed Device Attestation certificate says about a device, once its chain verified to Apple's
/// root. It attests the device's own key (the ACME key of the MDM profile), not the daemon's Secure Enclave key:
/// it lets a fleet match the serial the daemon reports, nothing more.
/// </summary>
/// <param name="Serial">The serial number (absent for User Enrollment).</param>
/// <param name="Udid">The provisioning UDID (absent for User Enrollment).</param>
/// <param name="OsVersion">The OS version.</param>
/// <param name="Freshness">The freshness code (SHA-256 of the ACME token), when present.</param>
/// <param name="NotAfter">When the leaf certificate expires.</param>
/// <param name="LeafSha256">SHA-256 of the leaf certificate, lower-case hex.</param>
public sealed record AppleDeviceAttestation(string? Serial, string? Udid, string? OsVersion, byte[]? Freshness, DateTimeOffset NotAfter, string LeafSha256);

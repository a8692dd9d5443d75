namespace Launcher.Platform.Facts;

/// <summary>
/// What the machine says about itself, for enrolment. Every value is read from the platform as is; null means the
/// platform did not tell us (missing, unreadable, or a vendor placeholder such as "To Be Filled By O.E.M."), never a
/// guess. These are self-reported facts for inventory, not identity: the key is the identity.
/// </summary>
/// <param name="SerialNumber">The hardware serial number (SMBIOS or IOPlatformSerialNumber).</param>
/// <param name="HardwareUuid">The firmware's hardware UUID (SMBIOS product_uuid or IOPlatformUUID).</param>
/// <param name="Model">The model: "vendor product" from DMI on Linux, hw.model (e.g. "Mac14,2") on macOS.</param>
/// <param name="OsName">The operating system's name (os-release NAME, sw_vers ProductName).</param>
/// <param name="OsVersion">The operating system's version (os-release VERSION_ID, sw_vers ProductVersion).</param>
/// <param name="MachineIdFile">Linux only: /etc/machine-id, an installation id made at first boot (it changes
/// with a reinstall and is copied with a cloned image), kept apart so nobody mistakes it for a hardware id.</param>
internal sealed record MachineFacts(
    string? SerialNumber,
    string? HardwareUuid,
    string? Model,
    string? OsName,
    string? OsVersion,
    string? MachineIdFile);

namespace Launcher.Contracts.Status;

/// <summary>The TPM as <c>daemon/diagnose</c> reports it.</summary>
public sealed record TpmDiagnosis
{
    /// <summary>The TCTI the daemon uses.</summary>
    public required string Tcti { get; init; }

    /// <summary>Whether the TPM answered TPM2_GetCapability just now.</summary>
    public required bool Reachable { get; init; }

    /// <summary>TPM2_PT_MANUFACTURER as its four-character TCG vendor id (e.g. <c>IFX</c>, <c>INTC</c>, <c>IBM</c>).</summary>
    public string? ManufacturerId { get; init; }

    /// <summary>The vendor's name from the TCG registry, when known.</summary>
    public string? Manufacturer { get; init; }

    /// <summary>TPM2_PT_FIRMWARE_VERSION_1 and _2 as four dotted 16-bit numbers.</summary>
    public string? FirmwareVersion { get; init; }

    /// <summary>Why the TPM could not be asked, when <see cref="Reachable"/> is false.</summary>
    public string? Error { get; init; }
}

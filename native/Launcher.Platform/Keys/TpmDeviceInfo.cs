using System.Globalization;
using System.Text;

namespace Launcher.Platform.Keys;

/// <summary>
/// Who made the TPM and its firmware version, from TPM2_PT_MANUFACTURER and TPM2_PT_FIRMWARE_VERSION_1/_2. The
/// manufacturer is the four-character TCG vendor id ("IFX", "INTC"; swtpm, the software TPM, reports "IBM") with its name
/// from the TCG vendor id registry when known.
/// </summary>
internal sealed record TpmDeviceInfo(string ManufacturerId, string? ManufacturerName, string FirmwareVersion)
{
    private static readonly Dictionary<string, string> s_vendors = new(StringComparer.Ordinal)
    {
        ["AMD"] = "AMD",
        ["ATML"] = "Atmel",
        ["BRCM"] = "Broadcom",
        ["CSCO"] = "Cisco",
        ["FLYS"] = "Flyslice Technologies",
        ["GOOG"] = "Google",
        ["HISI"] = "Huawei",
        ["HPE"] = "HPE",
        ["IBM"] = "IBM",
        ["IFX"] = "Infineon",
        ["INTC"] = "Intel",
        ["LEN"] = "Lenovo",
        ["MSFT"] = "Microsoft",
        ["NSM"] = "National Semiconductor",
        ["NTC"] = "Nuvoton",
        ["NTZ"] = "Nationz",
        ["QCOM"] = "Qualcomm",
        ["ROCC"] = "Fuzhou Rockchip",
        ["SMSC"] = "SMSC",
        ["SMSN"] = "Samsung",
        ["SNS"] = "Sinosun",
        ["STM"] = "STMicroelectronics",
        ["TXN"] = "Texas Instruments",
        ["WEC"] = "Winbond",
    };

    /// <summary>Decodes the raw property words.</summary>
    public static TpmDeviceInfo FromProperties(uint manufacturer, uint firmware1, uint firmware2)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, manufacturer);
        var id = new StringBuilder(4);
        foreach (byte b in bytes)
        {
            if (b is >= 0x21 and <= 0x7E)
            {
                id.Append((char)b);
            }
        }

        string text = id.Length > 0 ? id.ToString() : "0x" + manufacturer.ToString("X8", CultureInfo.InvariantCulture);
        string firmware = string.Create(CultureInfo.InvariantCulture, $"{firmware1 >> 16}.{firmware1 & 0xFFFF}.{firmware2 >> 16}.{firmware2 & 0xFFFF}");
        return new TpmDeviceInfo(text, s_vendors.GetValueOrDefault(text), firmware);
    }
}

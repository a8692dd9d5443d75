namespace Launcher.Platform.Facts;

/// <summary>
/// Normalises raw firmware strings. Boards ship with placeholders ("To Be Filled By O.E.M.", "Default string",
/// "0123456789", all-zero UUIDs); reporting those as facts would make thousands of machines share a "serial", so
/// they become null, like a value that is missing.
/// </summary>
internal static class FactValues
{
    private static readonly HashSet<string> s_placeholders = new(StringComparer.OrdinalIgnoreCase)
    {
        "To Be Filled By O.E.M.", "To Be Filled By OEM", "Default string", "Default", "System Serial Number",
        "System Product Name", "System manufacturer", "Chassis Serial Number", "Base Board Serial Number",
        "Not Specified", "Not Applicable", "Not Available", "None", "N/A", "NA", "Unknown", "Invalid", "OEM",
        "O.E.M.", "Serial", "SerialNumber", "0123456789", "123456789", "1234567890", "Type1ProductConfigId",
    };

    // The AMI sample UUID that many boards ship unchanged.
    private const string KnownPlaceholderUuid = "03000200-0400-0500-0006-000700080009";

    /// <summary>Trimmed text, or null when empty, a known placeholder, or one character repeated.</summary>
    public static string? CleanText(string? raw)
    {
        string? value = raw?.Trim().TrimEnd('\0').Trim();
        if (string.IsNullOrEmpty(value) || s_placeholders.Contains(value))
        {
            return null;
        }

        string significant = value.Replace("-", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        return significant.Length == 0 || significant.AsSpan().TrimStart(significant[0]).IsEmpty ? null : value;
    }

    /// <summary>A serial number, or null.</summary>
    public static string? CleanSerial(string? raw) => CleanText(raw);

    /// <summary>A UUID in upper-case canonical form, or null when malformed, all zeros, all ones or a known placeholder.</summary>
    public static string? CleanUuid(string? raw)
    {
        string? value = CleanText(raw);
        if (value is null || !Guid.TryParseExact(value, "D", out Guid parsed))
        {
            return null;
        }

        string canonical = parsed.ToString("D").ToUpperInvariant();
        return canonical.Equals(KnownPlaceholderUuid, StringComparison.OrdinalIgnoreCase) ? null : canonical;
    }

    /// <summary>"vendor product", or the product alone when it already names the vendor; null without a product.</summary>
    public static string? CombineModel(string? vendorRaw, string? productRaw)
    {
        string? vendor = CleanText(vendorRaw);
        string? product = CleanText(productRaw);
        if (product is null)
        {
            return null;
        }

        return vendor is null || product.StartsWith(vendor, StringComparison.OrdinalIgnoreCase) ? product : $"{vendor} {product}";
    }

    /// <summary>A machine-id (32 lower-case hex digits, not all zeros), or null ("uninitialized" at early boot, empty).</summary>
    public static string? CleanMachineId(string? raw)
    {
        string? value = raw?.Trim();
        if (value is null || value.Length != 32)
        {
            return null;
        }

        foreach (char c in value)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return null;
            }
        }

        return value.AsSpan().TrimStart('0').IsEmpty ? null : value;
    }
}

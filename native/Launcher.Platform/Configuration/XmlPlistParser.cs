using System.Globalization;
using System.Xml;

namespace Launcher.Platform.Configuration;

/// <summary>The XML form of a property list (Apple's PropertyList-1.0 DTD), read with no DTD processing.</summary>
internal static class XmlPlistParser
{
    public static object Parse(ReadOnlySpan<byte> data)
    {
        var settings = new XmlReaderSettings
        {
            // The DOCTYPE line every plist carries is skipped, never fetched or expanded.
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            MaxCharactersInDocument = PlistLimits.MaxFileBytes,
        };
        try
        {
            using var stream = new MemoryStream(data.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            reader.MoveToContent();
            if (reader.NodeType != XmlNodeType.Element || reader.Name != "plist")
            {
                throw new PlistFormatException("not a property list: the root element is not <plist>");
            }

            if (reader.IsEmptyElement)
            {
                throw new PlistFormatException("the <plist> element is empty");
            }

            reader.Read();
            int elements = 0;
            object value = ReadValue(reader, 1, ref elements);
            if (reader.NodeType != XmlNodeType.EndElement || reader.Name != "plist")
            {
                throw new PlistFormatException("<plist> must hold exactly one value");
            }

            return value;
        }
        catch (XmlException ex)
        {
            throw new PlistFormatException($"malformed XML at line {ex.LineNumber}: {ex.Message}", ex);
        }
    }

    // On entry the reader is on the value's start element; on return it is on the node after the value.
    private static object ReadValue(XmlReader reader, int depth, ref int elements)
    {
        if (reader.NodeType != XmlNodeType.Element)
        {
            throw new PlistFormatException($"expected a value element at line {LineOf(reader)}, found {reader.NodeType}");
        }

        if (++elements > PlistLimits.MaxObjects)
        {
            throw new PlistFormatException($"more than {PlistLimits.MaxObjects} elements");
        }

        if (depth > PlistLimits.MaxDepth)
        {
            throw new PlistFormatException($"nested deeper than {PlistLimits.MaxDepth} levels");
        }

        string name = reader.Name;
        int line = LineOf(reader);
        switch (name)
        {
            case "dict":
                return ReadDict(reader, depth, ref elements);
            case "array":
                return ReadArray(reader, depth, ref elements);
            case "true":
            case "false":
                bool flag = name == "true";
                Skip(reader);
                return flag;
            case "string":
                return Text(reader);
            case "integer":
                string integer = Text(reader).Trim();
                return long.TryParse(integer, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)
                    ? number
                    : throw new PlistFormatException($"<integer> at line {line} is not a 64-bit integer: '{integer}'");
            case "real":
                string real = Text(reader).Trim();
                return double.TryParse(real, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
                    ? d
                    : throw new PlistFormatException($"<real> at line {line} is not a number: '{real}'");
            case "date":
                string date = Text(reader).Trim();
                return DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset when)
                    ? when
                    : throw new PlistFormatException($"<date> at line {line} is not an ISO 8601 date: '{date}'");
            case "data":
                string base64 = string.Concat(Text(reader).Where(c => !char.IsWhiteSpace(c)));
                try
                {
                    return Convert.FromBase64String(base64);
                }
                catch (FormatException)
                {
                    throw new PlistFormatException($"<data> at line {line} is not base64");
                }

            default:
                throw new PlistFormatException($"unknown element <{name}> at line {line}");
        }
    }

    private static Dictionary<string, object> ReadDict(XmlReader reader, int depth, ref int elements)
    {
        var dict = new Dictionary<string, object>(StringComparer.Ordinal);
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return dict;
        }

        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            if (reader.NodeType != XmlNodeType.Element || reader.Name != "key")
            {
                throw new PlistFormatException($"expected <key> in <dict> at line {LineOf(reader)}");
            }

            int line = LineOf(reader);
            string key = Text(reader);
            if (reader.NodeType == XmlNodeType.EndElement)
            {
                throw new PlistFormatException($"<key>{key}</key> at line {line} has no value");
            }

            object value = ReadValue(reader, depth + 1, ref elements);
            if (!dict.TryAdd(key, value))
            {
                throw new PlistFormatException($"the key '{key}' appears twice in one <dict> (line {line})");
            }
        }

        reader.Read();
        return dict;
    }

    private static List<object> ReadArray(XmlReader reader, int depth, ref int elements)
    {
        var list = new List<object>();
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return list;
        }

        reader.Read();
        while (reader.NodeType != XmlNodeType.EndElement)
        {
            list.Add(ReadValue(reader, depth + 1, ref elements));
        }

        reader.Read();
        return list;
    }

    // Reads a text-only element and moves past it.
    private static string Text(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return string.Empty;
        }

        string name = reader.Name;
        reader.Read();
        string text = string.Empty;
        if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA)
        {
            text = reader.Value;
            reader.Read();
        }

        if (reader.NodeType != XmlNodeType.EndElement || reader.Name != name)
        {
            throw new PlistFormatException($"<{name}> at line {LineOf(reader)} must hold text only");
        }

        reader.Read();
        return text;
    }

    private static void Skip(XmlReader reader)
    {
        string name = reader.Name;
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return;
        }

        reader.Read();
        if (reader.NodeType != XmlNodeType.EndElement || reader.Name != name)
        {
            throw new PlistFormatException($"<{name}/> must be empty (line {LineOf(reader)})");
        }

        reader.Read();
    }

    private static int LineOf(XmlReader reader) => reader is IXmlLineInfo info ? info.LineNumber : 0;
}

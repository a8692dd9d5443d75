using System.Text.Json;

namespace Launcher.Rpc;

/// <summary>A request id: an int64 or a string, as JSON-RPC 2.0 allows (fractional numbers are refused).</summary>
public readonly struct RpcId : IEquatable<RpcId>
{
    private readonly long _number;
    private readonly string? _text;

    /// <summary>A numeric id.</summary>
    public RpcId(long number)
    {
        _number = number;
        _text = null;
    }

    /// <summary>A string id.</summary>
    public RpcId(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _number = 0;
        _text = text;
    }

    /// <summary>True for a string id.</summary>
    public bool IsString => _text is not null;

    /// <summary>The numeric value (0 for string ids).</summary>
    public long Number => _number;

    /// <summary>The string value (null for numeric ids).</summary>
    public string? Text => _text;

    /// <summary>Reads an id; false when the element is neither an int64 nor a string.</summary>
    public static bool TryParse(JsonElement element, out RpcId id)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                id = new RpcId(element.GetString()!);
                return true;
            case JsonValueKind.Number when element.TryGetInt64(out long number):
                id = new RpcId(number);
                return true;
            default:
                id = default;
                return false;
        }
    }

    /// <summary>Writes the id as a JSON value.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        if (_text is not null)
        {
            writer.WriteStringValue(_text);
        }
        else
        {
            writer.WriteNumberValue(_number);
        }
    }

    /// <inheritdoc />
    public bool Equals(RpcId other) => _number == other._number && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RpcId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _text is null ? _number.GetHashCode() : StringComparer.Ordinal.GetHashCode(_text);

    /// <inheritdoc />
    public override string ToString() => _text is null ? _number.ToString(System.Globalization.CultureInfo.InvariantCulture) : _text;
}

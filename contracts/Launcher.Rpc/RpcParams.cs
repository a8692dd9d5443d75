using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Launcher.Rpc;

/// <summary>Binds a params element to a typed object; absent params read as an empty object.</summary>
internal static class RpcParams
{
    private static readonly JsonElement s_emptyObject = JsonDocument.Parse("{}").RootElement;

    public static bool TryBind<TParams>(JsonElement? parameters, JsonTypeInfo<TParams> typeInfo, out object? bound, out string? error)
    {
        JsonElement element = parameters ?? s_emptyObject;
        try
        {
            bound = element.Deserialize(typeInfo);
        }
        catch (JsonException ex)
        {
            bound = null;
            error = DescribeBindError(ex);
            return false;
        }

        if (bound is null)
        {
            error = "The params must be an object.";
            return false;
        }

        if (bound is IRpcValidatable validatable && validatable.Validate() is string invalid)
        {
            error = invalid;
            return false;
        }

        error = null;
        return true;
    }

    private static string DescribeBindError(JsonException exception)
    {
        const string missingMarker = "missing required properties including: ";
        int missing = exception.Message.IndexOf(missingMarker, StringComparison.Ordinal);
        if (missing >= 0)
        {
            string names = exception.Message[(missing + missingMarker.Length)..].TrimEnd('.');
            return $"Missing required params: {names}.";
        }

        return string.IsNullOrEmpty(exception.Path) || exception.Path == "$"
            ? "The params do not have the expected shape."
            : $"Invalid value at {exception.Path}.";
    }
}

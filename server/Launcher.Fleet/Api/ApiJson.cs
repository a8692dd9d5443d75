using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Launcher.Fleet.Api;

/// <summary>The API's JSON: camelCase, nulls omitted, strict reading of request bodies.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads a JSON body; null with a problem result when it is missing, not JSON, or of the wrong shape.</summary>
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        if (request.ContentType is null || !request.ContentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Result(StatusCodes.Status415UnsupportedMediaType, "JSON required", "Send the body as application/json."));
        }

        try
        {
            T? value = await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return value is null
                ? (null, Problems.Result(StatusCodes.Status400BadRequest, "Invalid body", "The body must be a JSON object."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            string where = ex.Path is { Length: > 1 } path ? $" at {path}" : string.Empty;
            return (null, Problems.Result(StatusCodes.Status400BadRequest, "Invalid body", $"The body is not valid JSON of the expected shape{where}."));
        }
        catch (BadHttpRequestException ex)
        {
            return (null, Problems.Result(ex.StatusCode, "Invalid body", ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The body is too large." : "The body could not be read."));
        }
    }
}

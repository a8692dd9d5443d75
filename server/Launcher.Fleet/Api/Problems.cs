using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Launcher.Fleet.Api;

/// <summary>RFC 9457 problem details, the only error shape of the HTTP API (never a stack trace).</summary>
internal static class Problems
{
    public static IResult Result(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);

    public static async Task Write(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(http.Response.Body, new ProblemBody("about:blank", title, status, detail), ApiJson.Options).ConfigureAwait(false);
    }

    private sealed record ProblemBody(string Type, string Title, int Status, string Detail);
}

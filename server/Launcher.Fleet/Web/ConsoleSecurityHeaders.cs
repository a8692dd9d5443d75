using Microsoft.AspNetCore.Http;

namespace Launcher.Fleet.Web;

/// <summary>
/// Headers on every console response: a strict Content-Security-Policy (no script at all, styles only from the app,
/// forms only to the app, no framing), X-Frame-Options DENY, nosniff, no referrer, and no caching of pages.
/// </summary>
internal static class ConsoleSecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static async Task ApplyAsync(HttpContext http, Func<Task> next)
    {
        if (http.Request.Path.StartsWithSegments(ConsoleEndpoints.Root, StringComparison.Ordinal))
        {
            IHeaderDictionary headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers.StrictTransportSecurity = "max-age=31536000";
            if (!http.Request.Path.Equals(ConsoleEndpoints.StylesheetPath, StringComparison.Ordinal))
            {
                headers.CacheControl = "no-store";
            }
        }

        await next().ConfigureAwait(false);
    }
}

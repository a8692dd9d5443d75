namespace Launcher.Agent.Presenters;

/// <summary>Which URLs a click may open: absolute http and https only (never file:, javascript:, custom schemes).</summary>
internal static class UrlPolicy
{
    public static bool TryParse(string? text, out Uri? url)
    {
        url = null;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text, UriKind.Absolute, out Uri? parsed) || !IsOpenable(parsed))
        {
            return false;
        }

        url = parsed;
        return true;
    }

    public static bool IsOpenable(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) && !string.IsNullOrEmpty(url.Host);
    }
}

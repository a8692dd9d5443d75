namespace Launcher.Fleet.Link;

/// <summary>The link's audience form: <c>https://host[:port]</c>, lower-case host, no path, default port omitted.</summary>
internal static class FleetAudience
{
    public static string? Normalise(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttps
            || (uri.AbsolutePath != "/" && uri.AbsolutePath.Length != 0) || uri.Query.Length != 0 || uri.Fragment.Length != 0 || uri.UserInfo.Length != 0)
        {
            return null;
        }

        string host = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost.Trim('[', ']') + "]" : uri.IdnHost.ToLowerInvariant();
        return uri.IsDefaultPort ? $"https://{host}" : $"https://{host}:{uri.Port}";
    }
}

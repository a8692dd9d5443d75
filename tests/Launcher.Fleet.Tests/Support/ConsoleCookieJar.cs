namespace Launcher.Fleet.Tests.Support;

/// <summary>
/// The console cookies a browser would hold for one host: sent with every request and replaced by every
/// Set-Cookie, whichever instance behind the load balancer (here: port) answers. Cookies do not isolate by port.
/// </summary>
internal sealed class ConsoleCookieJar
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public string? this[string name]
    {
        get => _cookies.GetValueOrDefault(name);
        set
        {
            if (value is null)
            {
                _cookies.Remove(name);
            }
            else
            {
                _cookies[name] = value;
            }
        }
    }

    public async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => c.Key + "=" + c.Value)));
        }

        HttpResponseMessage response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? set))
        {
            foreach (string cookie in set)
            {
                string pair = cookie.Split(';')[0];
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                string name = pair[..equals];
                string value = pair[(equals + 1)..];
                this[name] = value.Length == 0 ? null : value;
            }
        }

        return response;
    }
}

using System.Security.Claims;
using Launcher.Fleet.Services;
using Launcher.Fleet.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Web;

/// <summary>
/// One check for every console page but the sign-in page and the stylesheet: the session cookie must name a live
/// server-side session. Without one, nothing is done and the browser is sent to the sign-in page.
/// </summary>
internal sealed class ConsoleAuthFilter : IEndpointFilter
{
    private readonly FleetContext _context;
    private readonly Api.AdminTokenUsage _usage;
    private readonly ILogger _logger;

    public ConsoleAuthFilter(FleetContext context, Api.AdminTokenUsage usage, ILogger<ConsoleAuthFilter> logger)
    {
        _context = context;
        _usage = usage;
        _logger = logger;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        ConsoleSession? session = await FindAsync(http, _context).ConfigureAwait(false);
        if (session is null)
        {
            Log.ConsoleNoSession(_logger, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString() ?? "?");
            return Results.Redirect(ConsoleEndpoints.LoginPath);
        }

        await _usage.RecordAsync(session.AdminTokenId, http.RequestAborted).ConfigureAwait(false);
        Attach(http, session);
        return await next(context).ConfigureAwait(false);
    }

    /// <summary>The live session the request's cookie names, or null.</summary>
    public static async Task<ConsoleSession?> FindAsync(HttpContext http, FleetContext context)
    {
        if (!http.Request.Cookies.TryGetValue(ConsoleCookies.Session, out string? secret) || string.IsNullOrEmpty(secret))
        {
            return null;
        }

        string? adminId = await context.ConsoleSessions.FindAsync(secret, context.NowMs, http.RequestAborted).ConfigureAwait(false);
        return adminId is null ? null : new ConsoleSession(adminId, secret);
    }

    /// <summary>
    /// Makes the session the request's user, so that antiforgery tokens are bound to this session: a token from
    /// another session (or from before sign-in) is refused.
    /// </summary>
    public static void Attach(HttpContext http, ConsoleSession session)
    {
        http.Items[ConsoleSession.Item] = session;
        string sessionKey = TokenStore.Hash(session.Secret)[..32];
        http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, sessionKey)], "launcher-console"));
    }
}

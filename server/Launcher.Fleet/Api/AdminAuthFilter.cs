using Launcher.Fleet.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Api;

/// <summary>
/// One check for every admin endpoint: <c>Authorization: Bearer lfa_…</c> naming a stored (hashed) admin token.
/// Missing, wrong and revoked tokens get the same 401; the denial is logged with its reason, never with the token.
/// Nothing is cached: a token revoked by <c>admin-token revoke</c> is refused from the next request on.
/// </summary>
internal sealed class AdminAuthFilter : IEndpointFilter
{
    public const string ActorItem = "launcher.actor";
    private readonly FleetContext _context;
    private readonly AdminTokenUsage _usage;
    private readonly ILogger _logger;

    public AdminAuthFilter(FleetContext context, AdminTokenUsage usage, ILogger<AdminAuthFilter> logger)
    {
        _context = context;
        _usage = usage;
        _logger = logger;
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        string? header = http.Request.Headers.Authorization;
        string? reason = null;
        string? adminId = null;
        if (string.IsNullOrEmpty(header))
        {
            reason = "no Authorization header";
        }
        else if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            reason = "not a Bearer token";
        }
        else
        {
            adminId = await _context.Tokens.FindAdminTokenAsync(header["Bearer ".Length..].Trim(), http.RequestAborted).ConfigureAwait(false);
            reason = adminId is null ? "unknown or revoked admin token" : null;
        }

        if (adminId is null)
        {
            Log.AdminDenied(_logger, http.Request.Method, http.Request.Path, http.Connection.RemoteIpAddress?.ToString() ?? "?", reason!);
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"launcher-fleet\"";
            return Problems.Result(StatusCodes.Status401Unauthorized, "Unauthorized", "An admin token is required: Authorization: Bearer lfa_… (launcher-fleet admin-token create).");
        }

        await _usage.RecordAsync(adminId, http.RequestAborted).ConfigureAwait(false);
        http.Items[ActorItem] = "admin:" + adminId;
        return await next(context).ConfigureAwait(false);
    }
}

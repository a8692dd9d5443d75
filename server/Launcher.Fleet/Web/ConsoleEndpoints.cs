using Launcher.Fleet.Services;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Web;

/// <summary>
/// The web console for admins (docs/fleet-api.md, "Web console"): server-rendered pages under <c>/console</c> over the
/// same services as the admin API. Sign-in takes an admin token and opens a server-side session; every page but the
/// sign-in page and the stylesheet sits behind <see cref="ConsoleAuthFilter"/>, every POST behind
/// <see cref="ConsoleAntiforgeryFilter"/>.
/// </summary>
internal static class ConsoleEndpoints
{
    public const string Root = "/console";
    public const string LoginPath = Root + "/login";
    public const string StylesheetPath = Root + "/console.css";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => Results.Redirect(Root + "/machines"));
        app.MapGet(Root, () => Results.Redirect(Root + "/machines"));

        RouteGroupBuilder open = app.MapGroup(Root).AddEndpointFilter<ConsoleAntiforgeryFilter>();
        open.MapGet("/console.css", () => Results.Text(ConsoleStyles.Css, "text/css; charset=utf-8"));
        open.MapGet("/login", LoginPageAsync);
        open.MapPost("/login", LoginAsync);

        RouteGroupBuilder pages = app.MapGroup(Root).AddEndpointFilter<ConsoleAuthFilter>().AddEndpointFilter<ConsoleAntiforgeryFilter>();
        pages.MapPost("/logout", LogoutAsync);
        MachinePages.Map(pages);
        BroadcastPages.Map(pages);
        TokenPages.Map(pages);
        AuditPage.Map(pages);
    }

    private static async Task<IResult> LoginPageAsync(HttpContext http, FleetContext context, IAntiforgery antiforgery)
    {
        if (await ConsoleAuthFilter.FindAsync(http, context).ConfigureAwait(false) is not null)
        {
            return Results.Redirect(Root + "/machines");
        }

        return LoginForm(new ConsoleView(http, antiforgery), http.Request.Query.ContainsKey("out") ? "You are signed out." : null, null, StatusCodes.Status200OK);
    }

    private static async Task<IResult> LoginAsync(HttpContext http, FleetContext context, IAntiforgery antiforgery, SignInThrottle throttle, ILogger<ConsoleView> logger)
    {
        string remote = http.Connection.RemoteIpAddress?.ToString() ?? "?";
        (bool allowed, int retryAfter, TimeSpan delayIfFailed, bool locksOut) = throttle.Begin(http.Connection.RemoteIpAddress, context.NowMs);
        if (!allowed)
        {
            Log.ConsoleSignInThrottled(logger, remote, retryAfter);
            http.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new ConsoleView(http, antiforgery).Message(StatusCodes.Status429TooManyRequests, "Too many sign-in attempts",
                $"Too many failed sign-ins came from your address ({remote}). Sign-in from it is refused for {Minutes(retryAfter)}; try again after that. Other addresses are not affected.",
                LoginPath, "Back to sign-in");
        }

        IFormCollection form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        string token = form["token"].ToString().Trim();
        string? adminId = token.Length == 0 ? null : await context.Tokens.FindAdminTokenAsync(token, http.RequestAborted).ConfigureAwait(false);
        if (adminId is null)
        {
            Log.ConsoleSignInRefused(logger, remote, token.Length == 0 ? "no token given" : "unknown or revoked admin token");
            if (locksOut)
            {
                // Once per lockout, so the audit log grows by one entry per ten failures at most.
                await context.Audit.AppendAsync(context.NowMs, "console", "console.sign-in-locked", null,
                    $"{SignInThrottle.Key(http.Connection.RemoteIpAddress)} refused for {Minutes((int)context.Limits.SignInLockout.TotalSeconds)} after {context.Limits.SignInFailuresBeforeLockout} failed sign-ins", http.RequestAborted).ConfigureAwait(false);
            }

            if (delayIfFailed > TimeSpan.Zero)
            {
                // Slowed: an attempt beyond the first few in the window is answered late (a guesser gets fewer tries a second).
                await Task.Delay(delayIfFailed, context.Time, http.RequestAborted).ConfigureAwait(false);
            }

            return LoginForm(new ConsoleView(http, antiforgery), null, "That admin token is not valid (unknown or revoked). Create one with: launcher-fleet admin-token create", StatusCodes.Status401Unauthorized);
        }

        throttle.Succeeded(http.Connection.RemoteIpAddress);

        long now = context.NowMs;
        TimeSpan lifetime = context.Limits.ConsoleSessionLifetime;
        string secret = await context.ConsoleSessions.CreateAsync(adminId, now, now + (long)lifetime.TotalMilliseconds, http.RequestAborted).ConfigureAwait(false);
        await context.Audit.AppendAsync(now, "admin:" + adminId, "console.signed-in", null, "from " + remote, http.RequestAborted).ConfigureAwait(false);
        http.Response.Cookies.Append(ConsoleCookies.Session, secret, new CookieOptions
        {
            Secure = true,
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
            MaxAge = lifetime,
        });
        Log.ConsoleSignedIn(logger, adminId, remote);
        return Results.Redirect(Root + "/machines");
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, FleetContext context, ILogger<ConsoleView> logger)
    {
        var session = (ConsoleSession)http.Items[ConsoleSession.Item]!;
        await context.ConsoleSessions.DeleteAsync(session.Secret, http.RequestAborted).ConfigureAwait(false);
        await context.Audit.AppendAsync(context.NowMs, session.Actor, "console.signed-out", null, null, http.RequestAborted).ConfigureAwait(false);
        http.Response.Cookies.Delete(ConsoleCookies.Session, new CookieOptions { Secure = true, HttpOnly = true, SameSite = SameSiteMode.Strict, Path = "/" });
        Log.ConsoleSignedOut(logger, session.AdminTokenId);
        return Results.Redirect(LoginPath + "?out=1");
    }

    private static string Minutes(int seconds) => seconds < 120 ? $"{seconds} seconds" : $"{(seconds + 59) / 60} minutes";

    private static IResult LoginForm(ConsoleView view, string? info, string? error, int status)
    {
        Html notice = error is not null ? Html.Of($"""<div class="notice error" id="error">{error}</div>""")
            : info is not null ? Html.Of($"""<div class="notice ok" id="info">{info}</div>""")
            : Html.Empty;
        Html fields = Html.Of($"""
            <label>Admin token<input type="password" name="token" id="token" autocomplete="off" required maxlength="256" placeholder="lfa_…"></label>
            <button type="submit" id="sign-in">Sign in</button>
            """);
        Html body = Html.Of($"""
            <div class="login card">
            <h1>Sign in</h1>
            {notice}
            <p class="muted">Use an admin token (<code>launcher-fleet admin-token create</code>). The token is checked once; the browser keeps only a session cookie.</p>
            {view.Form(LoginPath, fields)}
            </div>
            """);
        return view.Page("Sign in", string.Empty, body, status);
    }
}

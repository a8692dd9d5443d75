using System.Globalization;
using Launcher.Fleet.Cli;
using Launcher.Fleet.Policy;
using Launcher.Fleet.Services;
using Launcher.Fleet.Store;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Web;

/// <summary>Console pages of enrolment tokens: the list (never a secret) and creation (the secret shown once).</summary>
internal static class TokenPages
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/tokens", ListAsync);
        pages.MapPost("/tokens", CreateAsync);
        pages.MapPost("/tokens/{id}/revoke", RevokeAsync);
    }

    private static async Task<IResult> ListAsync(HttpContext http, FleetContext context, FleetQueries queries, IAntiforgery antiforgery) =>
        await RenderAsync(new ConsoleView(http, antiforgery) { Now = context.Time.GetUtcNow() }, queries, Html.Empty, StatusCodes.Status200OK, http.RequestAborted).ConfigureAwait(false);

    private static async Task<IResult> CreateAsync(HttpContext http, FleetContext context, FleetQueries queries, IAntiforgery antiforgery, ILogger<ConsoleView> logger)
    {
        var session = (ConsoleSession)http.Items[ConsoleSession.Item]!;
        var view = new ConsoleView(http, antiforgery) { Now = context.Time.GetUtcNow() };
        IFormCollection form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        string group = form["group"].ToString().Trim();
        string minLevel = form["minLevel"].ToString().Trim();
        string? error = null;
        if (!int.TryParse(form["uses"], NumberStyles.None, CultureInfo.InvariantCulture, out int uses) || uses is < 1 or > 100_000)
        {
            error = "Uses must be a number from 1 to 100000.";
        }
        else if (!DurationParser.TryParse(form["expires"].ToString().Trim(), out _))
        {
            error = "Expires in must be a duration such as 30m, 24h or 7d (at most 366d).";
        }
        else if (group.Length > 64 || group.Any(char.IsControl))
        {
            error = "The group must be at most 64 printable characters.";
        }
        else if (minLevel.Length > 0 && !AttestationRank.IsRequirable(minLevel))
        {
            error = $"The minimum attestation level must be one of {string.Join(", ", AttestationRank.Requirable)}.";
        }

        if (error is not null)
        {
            return await RenderAsync(view, queries, Html.Of($"""<div class="notice error" id="error">{error}</div>"""), StatusCodes.Status400BadRequest, http.RequestAborted).ConfigureAwait(false);
        }

        DurationParser.TryParse(form["expires"].ToString().Trim(), out TimeSpan lifetime);
        DateTimeOffset now = context.Time.GetUtcNow();
        CreatedToken token = await context.Tokens.CreateEnrolmentTokenAsync(uses, now + lifetime, group.Length == 0 ? null : group, minLevel.Length == 0 ? null : minLevel, now.ToUnixTimeMilliseconds(), http.RequestAborted).ConfigureAwait(false);
        await context.Audit.AppendAsync(now.ToUnixTimeMilliseconds(), session.Actor, "token.created", null, FleetCommandLine.TokenCreatedDetail(token), http.RequestAborted).ConfigureAwait(false);
        Log.ConsoleTokenCreated(logger, token.Id, session.Actor);
        Html created = Html.Of($"""
            <div class="notice ok">Enrolment token <span class="mono">{token.Id}</span> created. Copy it now: it is stored hashed and is not shown again.</div>
            <div class="card"><div class="secret mono" id="new-token">{token.Token}</div>
            <p class="muted">On a machine: <code>sudo launcherctl fleet enroll --server URL --token TOKEN --ca-file fleet-ca.pem</code></p></div>
            """);
        return await RenderAsync(view, queries, created, StatusCodes.Status200OK, http.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext http, FleetContext context, FleetQueries queries, IAntiforgery antiforgery, ILogger<ConsoleView> logger)
    {
        var session = (ConsoleSession)http.Items[ConsoleSession.Item]!;
        var view = new ConsoleView(http, antiforgery) { Now = context.Time.GetUtcNow() };
        if (!await context.Tokens.RevokeEnrolmentTokenAsync(id, http.RequestAborted).ConfigureAwait(false))
        {
            return await RenderAsync(view, queries, Html.Of($"""<div class="notice error" id="error">No enrolment token with this id.</div>"""), StatusCodes.Status404NotFound, http.RequestAborted).ConfigureAwait(false);
        }

        await context.Audit.AppendAsync(context.NowMs, session.Actor, "token.revoked", null, id, http.RequestAborted).ConfigureAwait(false);
        Log.ConsoleTokenRevoked(logger, id, session.Actor);
        return Results.Redirect(ConsoleEndpoints.Root + "/tokens");
    }

    private static async Task<IResult> RenderAsync(ConsoleView view, FleetQueries queries, Html notice, int status, CancellationToken cancellationToken)
    {
        IReadOnlyList<EnrolmentTokenRow> tokens = await queries.ListEnrolmentTokensAsync(cancellationToken).ConfigureAwait(false);
        long now = view.Now.ToUnixTimeMilliseconds();
        Html rows = Html.Join(tokens.Select(t =>
        {
            Html state = t.Revoked != 0 ? ConsoleView.Badge("revoked", "revoked")
                : t.ExpiresAt <= now ? ConsoleView.Badge("expired", "expired")
                : t.UsesLeft <= 0 ? ConsoleView.Badge("used up", "used-up")
                : ConsoleView.Badge("active", "active");
            Html revoke = t.Revoked != 0 || t.ExpiresAt <= now || t.UsesLeft <= 0 ? Html.Empty
                : view.Form($"{ConsoleEndpoints.Root}/tokens/{Uri.EscapeDataString(t.Id)}/revoke", Html.Of($"""<button type="submit" class="danger revoke-token">Revoke</button>"""), "inline");
            return Html.Of($"""<tr data-token="{t.Id}"><td class="mono">{t.Id}</td><td>{state}</td><td>{t.UsesLeft}</td><td>{ConsoleView.Time(DateTimeOffset.FromUnixTimeMilliseconds(t.ExpiresAt))}</td><td>{t.Grp ?? "—"}</td><td class="min-level">{t.MinLevel ?? "any"}</td><td>{ConsoleView.Time(DateTimeOffset.FromUnixTimeMilliseconds(t.CreatedAt))}</td><td>{revoke}</td></tr>""");
        }));
        Html empty = Html.When(tokens.Count == 0, Html.Of($"""<tr><td colspan="8" class="muted">No enrolment tokens.</td></tr>"""));
        Html levels = Html.Join(AttestationRank.Requirable.Select(l => Html.Of($"""<option value="{l}">{l}</option>""")));
        Html form = view.Form(ConsoleEndpoints.Root + "/tokens", Html.Of($"""
            <label>Uses<input type="number" name="uses" id="uses" min="1" max="100000" value="1" required></label>
            <label>Expires in<input type="text" name="expires" id="expires" value="24h" required maxlength="16" pattern="[0-9]+[smhdSMHD]"></label>
            <label>Group (optional)<input type="text" name="group" id="group" maxlength="64"></label>
            <label>Minimum attestation level<select name="minLevel" id="min-level"><option value="">any (the policy decides)</option>{levels}</select></label>
            <button type="submit" id="create-token">Create token</button>
            """), "inline");
        Html body = Html.Of($"""
            <h1>Enrolment tokens</h1>
            {notice}
            <div class="card"><h2>New token</h2>{form}</div>
            <table id="tokens"><thead><tr><th>Token id</th><th>State</th><th>Uses left</th><th>Expires</th><th>Group</th><th>Min. level</th><th>Created</th><th></th></tr></thead><tbody>{rows}{empty}</tbody></table>
            <p class="muted">Secrets are stored hashed and never listed. A token's minimum attestation level adds to the policy's: the strictest of the token's, the group's and the global minimum applies.</p>
            """);
        return view.Page("Tokens", "Tokens", body, status);
    }
}

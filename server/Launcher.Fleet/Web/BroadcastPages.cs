using System.Globalization;
using Launcher.Fleet.Push;
using Launcher.Fleet.Services;
using Launcher.Fleet.Store;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Web;

/// <summary>
/// Console pages of broadcasts: the form to notify all machines or a group (with the recent broadcasts), and one
/// broadcast's aggregate outcome (machines per state, users per outcome, a page of machines).
/// </summary>
internal static class BroadcastPages
{
    public const string Path = ConsoleEndpoints.Root + "/notifications";

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/notifications", FormAsync);
        pages.MapPost("/notifications", BroadcastAsync);
    }

    private static async Task<IResult> FormAsync(HttpContext http, FleetContext context, FleetQueries queries, IAntiforgery antiforgery)
    {
        var view = new ConsoleView(http, antiforgery) { Now = context.Time.GetUtcNow() };
        IReadOnlyList<BroadcastRow> recent = await queries.RecentBroadcastsAsync(20, http.RequestAborted).ConfigureAwait(false);
        Html rows = recent.Count == 0
            ? Html.Of($"""<tr><td colspan="5" class="muted">None yet.</td></tr>""")
            : Html.Join(recent.Select(b => Html.Of($"""
                <tr>
                <td><a href="{Path}/{Uri.EscapeDataString(b.Id)}" class="mono">{b.Id}</a></td>
                <td>{b.Title}</td>
                <td>{Target(b.AllMachines != 0, b.Grp)}, {(b.AllUsers != 0 ? "all users" : "uid " + b.Uid)}</td>
                <td>{b.Machines}</td>
                <td>{ConsoleView.Time(DateTimeOffset.FromUnixTimeMilliseconds(b.CreatedAt))}</td>
                </tr>
                """)));
        Html form = view.Form(Path, Html.Of($"""
            <label>Machines<select name="machines" id="machines-target"><option value="all">All machines</option><option value="group">One group</option></select></label>
            <label>Group (when one group)<input type="text" name="group" id="group" maxlength="{FleetServerLimits.MaxGroupLength}"></label>
            <label>To<select name="target" id="target"><option value="all">All users</option><option value="uid">One user (uid)</option></select></label>
            <label>User id (uid)<input type="number" name="uid" id="uid" min="0" max="4294967295" value="501"></label>
            <label>Title<input type="text" name="title" id="title" required maxlength="256"></label>
            <label>Body<textarea name="body" id="body" required maxlength="4096"></textarea></label>
            <label>URL (https, optional)<input type="url" name="url" id="url" maxlength="2048"></label>
            <button type="submit" id="broadcast">Send to every machine of the target</button>
            """));
        Html body = Html.Of($"""
            <h1>Notify all machines or a group</h1>
            <p class="muted">One notification for every machine of the target that is not revoked (at most {context.Limits.MaxBroadcastMachines} machines): connected machines get it now, the others when they next connect.</p>
            <div class="card">{form}</div>
            <h2>Recent broadcasts</h2>
            <table id="broadcasts"><thead><tr><th>Broadcast</th><th>Title</th><th>To</th><th>Machines</th><th>Created</th></tr></thead><tbody>{rows}</tbody></table>
            """);
        return view.Page("Notify all machines", "Notify", body);
    }

    private static async Task<IResult> BroadcastAsync(HttpContext http, PushService push, IAntiforgery antiforgery, ILogger<ConsoleView> logger)
    {
        var session = (ConsoleSession)http.Items[ConsoleSession.Item]!;
        var view = new ConsoleView(http, antiforgery);
        IFormCollection form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        bool allMachines = form["machines"] != "group";
        bool allUsers = form["target"] != "uid";
        uint? uid = null;
        if (!allUsers)
        {
            if (!uint.TryParse(form["uid"], NumberStyles.None, CultureInfo.InvariantCulture, out uint parsed))
            {
                return view.Message(StatusCodes.Status400BadRequest, "Not sent", "The user id must be a number from 0 to 4294967295.", Path);
            }

            uid = parsed;
        }

        string url = form["url"].ToString();
        var request = new BroadcastRequest
        {
            AllMachines = allMachines,
            Group = allMachines ? null : form["group"].ToString().Trim(),
            Uid = uid,
            AllUsers = allUsers,
            Title = form["title"].ToString(),
            Body = form["body"].ToString(),
            Url = string.IsNullOrWhiteSpace(url) ? null : url.Trim(),
        };
        (string? created, _, string? problem, int status) = await push.BroadcastAsync(request, session.Actor, http.RequestAborted).ConfigureAwait(false);
        if (created is null)
        {
            return view.Message(status, "Not sent", problem!, Path);
        }

        Log.ConsoleBroadcastCreated(logger, created, allMachines ? "all machines" : "group " + request.Group, session.Actor);
        return Results.Redirect(Path + "/" + Uri.EscapeDataString(created));
    }

    /// <summary>One broadcast: counts per state and per user outcome, then 50 machines (by id; <c>?state=</c>, <c>?after=</c>).</summary>
    public static async Task<IResult> PageAsync(string id, HttpContext http, FleetContext context, FleetQueries queries, IAntiforgery antiforgery)
    {
        var view = new ConsoleView(http, antiforgery) { Now = context.Time.GetUtcNow() };
        string? state = http.Request.Query["state"].ToString() is { Length: > 0 } s && BroadcastStore.States.Contains(s) ? s : null;
        string? after = http.Request.Query["after"].ToString() is { Length: > 0 } a ? a : null;
        BroadcastView? b = await queries.GetBroadcastAsync(id, state, after, context.Limits.ConsolePageSize, http.RequestAborted).ConfigureAwait(false);
        if (b is null)
        {
            return view.Message(StatusCodes.Status404NotFound, "No such notification", "No notification with this id.", Path, "Broadcasts");
        }

        string self = Path + "/" + Uri.EscapeDataString(b.Id);
        Html states = Html.Join(b.States.Select(kv => Html.Of($"""
            <tr data-state="{kv.Key}"><td><a href="{self}?state={kv.Key}">{ConsoleView.Badge(kv.Key, kv.Key)}</a></td><td class="count">{kv.Value}</td></tr>
            """)));
        Html users = Html.Join(b.Recipients.Select(kv => Html.Of($"""<tr data-outcome="{kv.Key}"><td>{ConsoleView.Badge(kv.Key, kv.Key)}</td><td class="count">{kv.Value}</td></tr>""")));
        Html items = b.Items.Count == 0
            ? Html.Of($"""<tr><td colspan="4" class="muted">No machine{(state is null ? string.Empty : " in state " + state)}.</td></tr>""")
            : Html.Join(b.Items.Select(m => Html.Of($"""
                <tr data-machine="{m.MachineId}">
                <td><a href="{ConsoleView.MachineHref(m.MachineId)}" class="mono">{m.MachineId}</a></td>
                <td class="state">{ConsoleView.Badge(m.State, m.State)}</td>
                <td>{ConsoleView.Time(m.DeliveredAt)}</td>
                <td>{(m.Recipients.Count == 0 ? Html.Text("—") : Html.Join(m.Recipients.Select(r => Html.Of($"""<div>{r.Uid}: {ConsoleView.Badge(r.Outcome, r.Outcome)}</div>"""))))}</td>
                </tr>
                """)));
        string filter = state is null ? string.Empty : "state=" + state + "&";
        Html pager = Html.Of($"""
            <div class="pager">
            {Html.When(state is not null || after is not null, Html.Of($"""<a href="{self}">All machines from the first</a>"""))}
            {Html.When(b.Next is not null, Html.Of($"""<a href="{self}?{filter}after={Uri.EscapeDataString(b.Next ?? string.Empty)}" id="next">Next →</a>"""))}
            </div>
            """);

        // Refresh while machines wait for delivery or an outcome, for at most an hour after the broadcast.
        long open = b.States["pending"] + b.States["delivered"] + b.States["submitted"] + b.States["shown"];
        bool watch = open > 0 && view.Now - b.CreatedAt < TimeSpan.FromHours(1);
        Html body = Html.Of($"""
            <h1>Broadcast <span class="mono">{b.Id}</span></h1>
            <div class="card">
            <dl>
            <dt>Machines</dt><dd id="b-target">{Target(b.Target.AllMachines == true, b.Target.Group)}: <span id="b-machines">{b.Machines}</span> (not revoked when it was sent)</dd>
            <dt>To</dt><dd>{(b.AllUsers ? "all users" : "uid " + b.Uid)}</dd>
            <dt>Title</dt><dd id="n-title">{b.Title}</dd>
            <dt>Body</dt><dd>{b.Body}</dd>
            <dt>URL</dt><dd class="mono">{b.Url ?? "—"}</dd>
            <dt>Created</dt><dd>{ConsoleView.Time(b.CreatedAt)} by {b.CreatedBy}</dd>
            </dl>
            </div>
            <h2>Machines per state</h2>
            <p class="muted">pending: not yet accepted by the machine (offline machines get it when they connect); delivered: accepted, no user outcome yet; otherwise the most advanced outcome of its users.</p>
            <table id="states"><thead><tr><th>State</th><th>Machines</th></tr></thead><tbody>{states}</tbody></table>
            <h2>Users per outcome</h2>
            <table id="user-outcomes"><thead><tr><th>Outcome</th><th>Users</th></tr></thead><tbody>{users}</tbody></table>
            <h2>Machines{(state is null ? string.Empty : " in state " + state)}</h2>
            <table id="broadcast-machines"><thead><tr><th>Machine</th><th>State</th><th>Delivered</th><th>Outcome per user</th></tr></thead><tbody>{items}</tbody></table>
            {pager}
            <p class="muted" id="watching">{(watch ? "This page refreshes itself while machines may still change state." : "Final, or older than an hour.")}</p>
            """);
        return view.Page("Broadcast " + b.Id, "Notify", body, refresh: watch ? context.Limits.ConsoleRefreshInterval : null);
    }

    private static string Target(bool allMachines, string? group) => allMachines ? "all machines" : "group " + group;
}

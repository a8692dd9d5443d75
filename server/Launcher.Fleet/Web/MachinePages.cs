using System.Globalization;
using Launcher.Fleet.Policy;
using Launcher.Fleet.Push;
using Launcher.Fleet.Services;
using Launcher.Fleet.Store;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Launcher.Fleet.Web;

/// <summary>Console pages of machines: the list, one machine, revocation, sending a notification and watching its outcome.</summary>
internal static class MachinePages
{
    private static readonly string[] s_openOutcomes = ["pending", "submitted", "shown"];

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/machines", ListAsync);
        pages.MapGet("/machines/{id}", DetailsAsync);
        pages.MapGet("/machines/{id}/revoke", ConfirmRevokeAsync);
        pages.MapPost("/machines/{id}/revoke", RevokeAsync);
        pages.MapPost("/machines/{id}/notifications", NotifyAsync);
        pages.MapPost("/machines/{id}/check", CheckAsync);
        pages.MapGet("/notifications/{id}", NotificationAsync);
    }

    /// <summary>The attestation level the machine object has; the key class's implied level when it has none.</summary>
    public static string AttestationOf(MachineView machine) =>
        !string.IsNullOrEmpty(machine.AttestationLevel) ? machine.AttestationLevel
        : !string.IsNullOrEmpty(machine.KeyClass) ? PolicyEngine.ReportedLevel(machine.KeyClass)
        : "—";

    public static Html State(MachineView machine) =>
        machine.Revoked ? ConsoleView.Badge("revoked", "revoked")
        : machine.Online ? ConsoleView.Badge("online", "online")
        : ConsoleView.Badge("offline", "offline");

    private static async Task<IResult> ListAsync(HttpContext http, FleetContext context, FleetQueries queries, IAntiforgery antiforgery, int? offset)
    {
        var view = new ConsoleView(http, antiforgery) { Now = context.Time.GetUtcNow() };
        int size = context.Limits.ConsolePageSize;
        int from = Math.Max(offset ?? 0, 0);
        IReadOnlyList<MachineView> machines = await queries.ListMachinesAsync(size, from, http.RequestAborted).ConfigureAwait(false);
        long total = await context.Machines.CountAsync(http.RequestAborted).ConfigureAwait(false);
        Html rows = Html.Join(machines.Select(m => Html.Of($"""
            <tr data-machine="{m.Id}">
            <td><a href="{ConsoleView.MachineHref(m.Id)}" class="mono">{m.Id}</a></td>
            <td>{m.Facts.Hostname ?? "—"}<br><span class="muted">{m.Facts.Model ?? "—"}</span> <span class="reported">reported</span></td>
            <td class="state">{State(m)}</td>
            <td title="{ConsoleView.Time(m.LastSeen)}">{view.Ago(m.LastSeen)}</td>
            <td><code>{m.KeyClass}</code></td>
            <td><code>{AttestationOf(m)}</code></td>
            <td>{m.Group ?? "—"}</td>
            <td>{Grants(m.Grants, withWhy: false)}</td>
            </tr>
            """)));
        Html empty = Html.When(machines.Count == 0, Html.Of($"""<tr><td colspan="8" class="muted">No machines. Create an enrolment token and run <code>launcherctl fleet enroll</code> on a machine.</td></tr>"""));
        Html pager = Html.Of($"""
            <div class="pager">
            {Html.When(from > 0, Html.Of($"""<a href="{ConsoleEndpoints.Root}/machines?offset={Math.Max(0, from - size)}">← Previous</a>"""))}
            <span class="muted">{(total == 0 ? 0 : from + 1)}–{from + machines.Count} of {total}</span>
            {Html.When(from + machines.Count < total, Html.Of($"""<a href="{ConsoleEndpoints.Root}/machines?offset={from + size}" id="next">Next →</a>"""))}
            </div>
            """);
        Html body = Html.Of($"""
            <h1>Machines</h1>
            <p class="muted">Facts (host name, model) are as each machine reported them and are not verified. The attestation level says what the server verified about the key.</p>
            <table id="machines">
            <thead><tr><th>Machine</th><th>Host / model</th><th>State</th><th>Last seen</th><th>Key class</th><th>Attestation</th><th>Group</th><th>Grants</th></tr></thead>
            <tbody>{rows}{empty}</tbody>
            </table>
            {pager}
            """);
        return view.Page("Machines", "Machines", body);
    }

    private static async Task<IResult> DetailsAsync(string id, HttpContext http, FleetContext context, FleetQueries queries, IAntiforgery antiforgery)
    {
        var view = new ConsoleView(http, antiforgery) { Now = context.Time.GetUtcNow() };
        MachineView? m = await queries.GetMachineAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (m is null)
        {
            return view.Message(StatusCodes.Status404NotFound, "No such machine", "No machine with this id.", ConsoleEndpoints.Root + "/machines", "All machines");
        }

        IReadOnlyList<NotificationView> notifications = await queries.ListNotificationsAsync(m.Id, 20, http.RequestAborted).ConfigureAwait(false);
        IReadOnlyList<AuditView> audit = await queries.ListAuditAsync(50, null, m.Id, http.RequestAborted).ConfigureAwait(false);
        string href = ConsoleView.MachineHref(m.Id);

        Html facts = Html.Of($"""
            <dl id="facts">
            <dt>Host name</dt><dd>{m.Facts.Hostname ?? "—"}</dd>
            <dt>Model</dt><dd id="fact-model">{m.Facts.Model ?? "—"}</dd>
            <dt>Serial</dt><dd>{m.Facts.Serial ?? "—"}</dd>
            <dt>Hardware UUID</dt><dd>{m.Facts.HardwareUuid ?? "—"}</dd>
            <dt>OS</dt><dd>{m.Facts.OsName ?? "—"} {m.Facts.OsVersion}</dd>
            </dl>
            """);
        Html certificate = m.Certificate is CertificateView cert
            ? Html.Of($"""
                <dl>
                <dt>SPIFFE id</dt><dd class="mono" id="spiffe">{m.SpiffeId}</dd>
                <dt>Serial</dt><dd class="mono">{cert.Serial}</dd>
                <dt>Expires</dt><dd id="cert-expiry">{ConsoleView.Time(cert.NotAfter)}</dd>
                <dt>Renewal due</dt><dd>{ConsoleView.Time(cert.RenewAfter)}</dd>
                </dl>
                {Html.When(cert.Pem is not null, Html.Of($"""<details><summary>PEM</summary><pre>{cert.Pem}</pre></details>"""))}
                """)
            : Html.Of($"""<p class="muted">No certificate on record. SPIFFE id: <span class="mono" id="spiffe">{m.SpiffeId}</span></p>""");
        Html sendForm = m.Revoked
            ? Html.Of($"""<p class="muted">The machine is revoked; nothing is delivered to it.</p>""")
            : view.Form(href + "/notifications", Html.Of($"""
                <label>To<select name="target" id="target"><option value="uid">One user (uid)</option><option value="all">All users</option></select></label>
                <label>User id (uid)<input type="number" name="uid" id="uid" min="0" max="4294967295" value="501"></label>
                <label>Title<input type="text" name="title" id="title" required maxlength="256"></label>
                <label>Body<textarea name="body" id="body" required maxlength="4096"></textarea></label>
                <label>URL (https, optional)<input type="url" name="url" id="url" maxlength="2048"></label>
                <button type="submit" id="send">Send notification</button>
                """));
        Html check = m.Revoked
            ? Html.Empty
            : Html.Of($"""
                <h2>Liveness</h2>
                <div class="card"><p class="muted">Ask the machine, over its connection, for its facts and a fresh proof for a nonce the server chooses, and check it against the enrolled key.</p>
                {view.Form(href + "/check", Html.Of($"""<button type="submit" id="check">Check now</button>"""), "inline")}</div>
                """);
        Html revoke = m.Revoked
            ? Html.Of($"""<p>Revoked {ConsoleView.Time(m.RevokedAt)}.</p>""")
            : Html.Of($"""<p><a href="{href}/revoke" id="revoke-link">Revoke this machine…</a></p>""");

        Html body = Html.Of($"""
            <h1>Machine <span class="mono">{m.Id}</span> {State(m)}</h1>
            <div class="card">
            <dl>
            <dt>State</dt><dd id="state">{State(m)}</dd>
            <dt>Last seen</dt><dd>{ConsoleView.Time(m.LastSeen)} ({view.Ago(m.LastSeen)})</dd>
            <dt>Enrolled</dt><dd>{ConsoleView.Time(m.EnrolledAt)}</dd>
            <dt>Group</dt><dd>{m.Group ?? "—"}</dd>
            <dt>Key thumbprint</dt><dd class="mono" id="thumbprint">{m.Thumbprint}</dd>
            <dt>Key class</dt><dd><code>{m.KeyClass}</code> <span class="muted">({m.Evidence.KeyClassSource})</span></dd>
            <dt>Attestation level</dt><dd><code>{AttestationOf(m)}</code></dd>
            <dt>Evidence</dt><dd>{m.Evidence.Summary}</dd>
            </dl>
            </div>
            <h2>Facts <span class="reported">reported by the machine, not verified</span></h2>
            <div class="card">{facts}</div>
            <h2>Certificate</h2>
            <div class="card">{certificate}</div>
            <h2>Grants</h2>
            <div class="card" id="grants">{Grants(m.Grants, withWhy: true)}</div>
            {check}
            <h2>Send a notification</h2>
            <div class="card">{sendForm}</div>
            <h2>Recent notifications</h2>
            {NotificationTable(notifications)}
            <h2>Audit entries of this machine</h2>
            {AuditPage.Table(audit)}
            <h2>Revocation</h2>
            <div class="card">{revoke}</div>
            """);
        return view.Page("Machine " + m.Id, "Machines", body);
    }

    private static async Task<IResult> ConfirmRevokeAsync(string id, HttpContext http, FleetQueries queries, IAntiforgery antiforgery)
    {
        var view = new ConsoleView(http, antiforgery);
        MachineView? m = await queries.GetMachineAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (m is null)
        {
            return view.Message(StatusCodes.Status404NotFound, "No such machine", "No machine with this id.", ConsoleEndpoints.Root + "/machines", "All machines");
        }

        string href = ConsoleView.MachineHref(m.Id);
        Html body = Html.Of($"""
            <h1>Revoke machine <span class="mono">{m.Id}</span>?</h1>
            <div class="card">
            <p>Host <strong>{m.Facts.Hostname ?? "—"}</strong> (reported), key thumbprint <span class="mono">{m.Thumbprint}</span>.</p>
            <p>Revocation closes the machine's connection, refuses its proofs at <code>/api/v1/verify</code>, removes its grants, and cannot be undone (the machine must enrol again with a new token).</p>
            {view.Form(href + "/revoke", Html.Of($"""<button type="submit" class="danger" id="confirm-revoke">Revoke {m.Id}</button> <a href="{href}">Cancel</a>"""), "inline")}
            </div>
            """);
        return view.Page("Revoke " + m.Id, "Machines", body);
    }

    private static async Task<IResult> RevokeAsync(string id, HttpContext http, PushService push, IAntiforgery antiforgery)
    {
        var session = (ConsoleSession)http.Items[ConsoleSession.Item]!;
        if (!await push.RevokeAsync(id, session.Actor, http.RequestAborted).ConfigureAwait(false))
        {
            return new ConsoleView(http, antiforgery).Message(StatusCodes.Status404NotFound, "No such machine", "No machine with this id.", ConsoleEndpoints.Root + "/machines", "All machines");
        }

        return Results.Redirect(ConsoleView.MachineHref(id));
    }

    private static async Task<IResult> NotifyAsync(string id, HttpContext http, PushService push, IAntiforgery antiforgery, ILogger<ConsoleView> logger)
    {
        var session = (ConsoleSession)http.Items[ConsoleSession.Item]!;
        var view = new ConsoleView(http, antiforgery);
        IFormCollection form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        bool allUsers = form["target"] == "all";
        uint? uid = null;
        if (!allUsers)
        {
            if (!uint.TryParse(form["uid"], NumberStyles.None, CultureInfo.InvariantCulture, out uint parsed))
            {
                return view.Message(StatusCodes.Status400BadRequest, "Not sent", "The user id must be a number from 0 to 4294967295.", ConsoleView.MachineHref(id));
            }

            uid = parsed;
        }

        string? url = form["url"].ToString();
        var request = new NotificationRequest { Uid = uid, AllUsers = allUsers, Title = form["title"].ToString(), Body = form["body"].ToString(), Url = string.IsNullOrWhiteSpace(url) ? null : url.Trim() };
        (string? created, string? problem, int status) = await push.CreateNotificationAsync(id, request, session.Actor, http.RequestAborted).ConfigureAwait(false);
        if (created is null)
        {
            return view.Message(status, "Not sent", problem!, ConsoleView.MachineHref(id));
        }

        Log.ConsoleNotificationCreated(logger, created, id, session.Actor);
        return Results.Redirect(ConsoleEndpoints.Root + "/notifications/" + Uri.EscapeDataString(created));
    }

    private static async Task<IResult> CheckAsync(string id, HttpContext http, LivenessService liveness, IAntiforgery antiforgery)
    {
        var session = (ConsoleSession)http.Items[ConsoleSession.Item]!;
        var view = new ConsoleView(http, antiforgery);
        string href = ConsoleView.MachineHref(id);
        (LivenessResult? result, int status, string? problem) = await liveness.CheckAsync(id, session.Actor, http.RequestAborted).ConfigureAwait(false);
        if (result is null)
        {
            return view.Message(status, "Check failed", problem!, href, "Back to the machine");
        }

        Html body = Html.Of($"""
            <h1>Machine <span class="mono">{result.MachineId}</span> answered</h1>
            <div class="notice ok" id="check-result">A fresh proof for the server's nonce verified against the enrolled key ({result.KeyClass}) at {ConsoleView.Time(result.CheckedAt)}.</div>
            <h2>Facts now <span class="reported">reported by the machine, not verified</span></h2>
            <div class="card"><dl>
            <dt>Host name</dt><dd>{result.Facts.Hostname ?? "—"}</dd>
            <dt>Model</dt><dd>{result.Facts.Model ?? "—"}</dd>
            <dt>Serial</dt><dd>{result.Facts.Serial ?? "—"}</dd>
            <dt>Hardware UUID</dt><dd>{result.Facts.HardwareUuid ?? "—"}</dd>
            <dt>OS</dt><dd>{result.Facts.OsName ?? "—"} {result.Facts.OsVersion}</dd>
            </dl></div>
            <p><a href="{href}">Back to the machine</a></p>
            """);
        return view.Page("Check " + result.MachineId, "Machines", body);
    }

    private static async Task<IResult> NotificationAsync(string id, HttpContext http, FleetContext context, FleetQueries queries, IAntiforgery antiforgery)
    {
        if (BroadcastStore.IsBroadcastId(id))
        {
            return await BroadcastPages.PageAsync(id, http, context, queries, antiforgery).ConfigureAwait(false);
        }

        var view = new ConsoleView(http, antiforgery) { Now = context.Time.GetUtcNow() };
        NotificationView? n = await queries.GetNotificationAsync(id, http.RequestAborted).ConfigureAwait(false);
        if (n is null)
        {
            return view.Message(StatusCodes.Status404NotFound, "No such notification", "No notification with this id.", ConsoleEndpoints.Root + "/machines", "All machines");
        }

        // Refresh while an outcome can still change (bounded: a notification an hour old is left alone).
        bool open = n.DeliveredAt is null || n.Recipients.Count == 0 || n.Recipients.Any(r => s_openOutcomes.Contains(r.Outcome));
        bool watch = open && view.Now - n.CreatedAt < TimeSpan.FromHours(1);
        Html recipients = n.Recipients.Count == 0
            ? Html.Of($"""<tr><td colspan="4" class="muted">No outcome reported yet.</td></tr>""")
            : Html.Join(n.Recipients.Select(r => Html.Of($"""<tr data-uid="{r.Uid}"><td>{r.Uid}</td><td class="outcome">{ConsoleView.Badge(r.Outcome, r.Outcome)}</td><td>{r.Action ?? "—"}</td><td>{ConsoleView.Time(r.At)}</td></tr>""")));
        Html body = Html.Of($"""
            <h1>Notification <span class="mono">{n.Id}</span></h1>
            <div class="card">
            <dl>
            <dt>Machine</dt><dd><a href="{ConsoleView.MachineHref(n.MachineId)}" class="mono">{n.MachineId}</a></dd>
            <dt>To</dt><dd>{(n.AllUsers ? "all users" : "uid " + n.Uid)}</dd>
            {Html.When(n.BroadcastId is not null, Html.Of($"""<dt>Part of</dt><dd><a href="{BroadcastPages.Path}/{Uri.EscapeDataString(n.BroadcastId ?? string.Empty)}" class="mono" id="broadcast-link">{n.BroadcastId}</a></dd>"""))}
            <dt>Title</dt><dd id="n-title">{n.Title}</dd>
            <dt>Body</dt><dd>{n.Body}</dd>
            <dt>URL</dt><dd class="mono">{n.Url ?? "—"}</dd>
            <dt>Created</dt><dd>{ConsoleView.Time(n.CreatedAt)} by {n.CreatedBy}</dd>
            <dt>Delivered to the machine</dt><dd id="delivered">{(n.DeliveredAt is null ? "not yet (the machine gets it when it connects)" : ConsoleView.Time(n.DeliveredAt))}</dd>
            </dl>
            </div>
            <h2>Outcome per user</h2>
            <table id="recipients"><thead><tr><th>uid</th><th>Outcome</th><th>Action</th><th>At</th></tr></thead><tbody>{recipients}</tbody></table>
            <p class="muted" id="watching">{(watch ? "This page refreshes itself while an outcome may still change." : "Final.")}</p>
            """);
        return view.Page("Notification " + n.Id, "Machines", body, refresh: watch ? context.Limits.ConsoleRefreshInterval : null);
    }

    private static Html NotificationTable(IReadOnlyList<NotificationView> notifications)
    {
        if (notifications.Count == 0)
        {
            return Html.Of($"""<p class="muted">None.</p>""");
        }

        Html rows = Html.Join(notifications.Select(n => Html.Of($"""
            <tr>
            <td><a href="{ConsoleEndpoints.Root}/notifications/{Uri.EscapeDataString(n.Id)}" class="mono">{n.Id}</a></td>
            <td>{n.Title}</td>
            <td>{(n.AllUsers ? "all users" : "uid " + n.Uid)}</td>
            <td>{ConsoleView.Time(n.CreatedAt)}</td>
            <td>{(n.Recipients.Count == 0 ? Html.Text("—") : Html.Join(n.Recipients.Select(r => Html.Of($"""<div>{r.Uid}: {ConsoleView.Badge(r.Outcome, r.Outcome)}</div>"""))))}</td>
            </tr>
            """)));
        return Html.Of($"""<table id="notifications"><thead><tr><th>Notification</th><th>Title</th><th>To</th><th>Created</th><th>Outcomes</th></tr></thead><tbody>{rows}</tbody></table>""");
    }

    private static Html Grants(IReadOnlyList<GrantView> grants, bool withWhy)
    {
        if (grants.Count == 0)
        {
            return Html.Of($"""<span class="muted">none</span>""");
        }

        return withWhy
            ? Html.Of($"""<ul class="grants">{Html.Join(grants.Select(g => Html.Of($"""<li><code>{g.Grant}</code> <span class="muted">— {g.Why}</span></li>""")))}</ul>""")
            : Html.Join(grants.Select(g => Html.Of($"""<code>{g.Grant}</code> """)));
    }
}

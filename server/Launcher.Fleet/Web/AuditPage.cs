using Launcher.Fleet.Services;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Launcher.Fleet.Web;

/// <summary>The audit log, newest first, paged by entry id.</summary>
internal static class AuditPage
{
    public static void Map(RouteGroupBuilder pages) => pages.MapGet("/audit", ShowAsync);

    public static Html Table(IReadOnlyList<AuditView> entries)
    {
        if (entries.Count == 0)
        {
            return Html.Of($"""<p class="muted">No entries.</p>""");
        }

        Html rows = Html.Join(entries.Select(e => Html.Of($"""
            <tr data-action="{e.Action}">
            <td>{e.Id}</td><td class="nowrap">{ConsoleView.Time(e.At)}</td><td class="mono">{e.Actor}</td><td class="nowrap"><code>{e.Action}</code></td>
            <td>{(e.MachineId is null ? Html.Text("—") : Html.Of($"""<a href="{ConsoleView.MachineHref(e.MachineId)}" class="mono">{e.MachineId}</a>"""))}</td>
            <td>{e.Detail ?? "—"}</td>
            </tr>
            """)));
        return Html.Of($"""<table class="audit"><thead><tr><th>#</th><th>At</th><th>Actor</th><th>Action</th><th>Machine</th><th>Detail</th></tr></thead><tbody>{rows}</tbody></table>""");
    }

    private static async Task<IResult> ShowAsync(HttpContext http, FleetContext context, FleetQueries queries, IAntiforgery antiforgery, long? before)
    {
        var view = new ConsoleView(http, antiforgery);
        int size = context.Limits.ConsolePageSize;
        IReadOnlyList<AuditView> entries = await queries.ListAuditAsync(size, before, null, http.RequestAborted).ConfigureAwait(false);
        Html pager = Html.Of($"""
            <div class="pager">
            {Html.When(before is not null, Html.Of($"""<a href="{ConsoleEndpoints.Root}/audit">Newest</a>"""))}
            {Html.When(entries.Count == size, Html.Of($"""<a href="{ConsoleEndpoints.Root}/audit?before={(entries.Count == 0 ? 0 : entries[^1].Id)}" id="older">Older →</a>"""))}
            </div>
            """);
        Html body = Html.Of($"""
            <h1>Audit log</h1>
            <div id="audit">{Table(entries)}</div>
            {pager}
            """);
        return view.Page("Audit log", "Audit log", body);
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Launcher.Fleet.Web;

/// <summary>The page frame of one console request: layout, navigation, forms with their antiforgery field, formatting.</summary>
internal sealed class ConsoleView
{
    private readonly HttpContext _http;
    private readonly IAntiforgery _antiforgery;
    private AntiforgeryTokenSet? _tokens;

    public ConsoleView(HttpContext http, IAntiforgery antiforgery)
    {
        _http = http;
        _antiforgery = antiforgery;
    }

    public ConsoleSession? Session => _http.Items[ConsoleSession.Item] as ConsoleSession;

    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>A POST form to the console with its antiforgery field.</summary>
    public Html Form(string action, Html content, string cssClass = "stack")
    {
        _tokens ??= _antiforgery.GetAndStoreTokens(_http);
        return Html.Of($"""<form method="post" action="{action}" class="{cssClass}"><input type="hidden" name="{_tokens.FormFieldName}" value="{_tokens.RequestToken}">{content}</form>""");
    }

    public IResult Page(string title, string current, Html body, int status = StatusCodes.Status200OK, TimeSpan? refresh = null)
    {
        Html nav = Html.Empty;
        Html who = Html.Empty;
        if (Session is ConsoleSession session)
        {
            nav = Html.Join(new (string Path, string Name)[]
            {
                (ConsoleEndpoints.Root + "/machines", "Machines"),
                (ConsoleEndpoints.Root + "/notifications", "Notify"),
                (ConsoleEndpoints.Root + "/tokens", "Tokens"),
                (ConsoleEndpoints.Root + "/audit", "Audit log"),
            }.Select(link => Html.Of($"""<a href="{link.Path}" class="{(link.Name == current ? "current" : string.Empty)}">{link.Name}</a>""")));
            who = Html.Of($"""<span class="who">{session.Actor}</span>{Form(ConsoleEndpoints.Root + "/logout", Html.Of($"""<button type="submit" class="quiet" id="logout">Sign out</button>"""), "inline")}""");
        }

        Html meta = refresh is TimeSpan every
            ? Html.Of($"""<meta http-equiv="refresh" content="{(int)Math.Max(1, every.TotalSeconds)}">""")
            : Html.Empty;
        Html page = Html.Of($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            {meta}<title>{title} · launcher-fleet</title>
            <link rel="stylesheet" href="{ConsoleEndpoints.StylesheetPath}">
            </head>
            <body>
            <header><span class="brand">launcher-fleet</span><nav>{nav}</nav>{who}</header>
            <main>
            {body}
            </main>
            </body>
            </html>
            """);
        return Results.Content(page.ToString(), "text/html; charset=utf-8", statusCode: status);
    }

    /// <summary>A page with one message (errors, refusals) and a way back.</summary>
    public IResult Message(int status, string title, string message, string? backHref = null, string backText = "Back")
    {
        Html back = backHref is null ? Html.Empty : Html.Of($"""<p><a href="{backHref}">{backText}</a></p>""");
        return Page(title, string.Empty, Html.Of($"""<h1>{title}</h1><div class="notice error" id="error">{message}</div>{back}"""), status);
    }

    public static string Time(DateTimeOffset? at) =>
        at is DateTimeOffset value ? value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    public string Ago(DateTimeOffset? at)
    {
        if (at is not DateTimeOffset value)
        {
            return "never";
        }

        TimeSpan age = Now - value;
        return age.TotalSeconds < 0 ? Time(value)
            : age.TotalSeconds < 60 ? $"{(int)age.TotalSeconds} s ago"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes} min ago"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours} h ago"
            : $"{(int)age.TotalDays} days ago";
    }

    public static Html Badge(string text, string cssClass) => Html.Of($"""<span class="badge {cssClass}">{text}</span>""");

    /// <summary>A machine id as a path segment (ids are server-made, but nothing is trusted in a URL).</summary>
    public static string MachineHref(string id) => ConsoleEndpoints.Root + "/machines/" + Uri.EscapeDataString(id);
}

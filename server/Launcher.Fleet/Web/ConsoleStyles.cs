namespace Launcher.Fleet.Web;

/// <summary>The console's one stylesheet, served from the app (<c>/console/console.css</c>): no CDN, no inline style.</summary>
internal static class ConsoleStyles
{
    public const string Css = """
        :root { --fg: #1d232b; --muted: #5b6573; --line: #dfe3e8; --bg: #f6f7f9; --card: #fff; --accent: #1f5fbf;
                --ok: #1a7f37; --warn: #9a6700; --bad: #c0362c; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
        header { background: #14213d; color: #fff; padding: 0 24px; display: flex; align-items: center; gap: 24px; height: 52px; }
        header .brand { font-weight: 600; letter-spacing: .02em; }
        header nav { display: flex; gap: 4px; flex: 1; }
        header nav a { color: #cfd8e6; text-decoration: none; padding: 6px 10px; border-radius: 6px; }
        header nav a:hover, header nav a.current { background: rgba(255,255,255,.12); color: #fff; }
        header form { margin: 0; }
        header .who { color: #cfd8e6; font-size: 12px; }
        main { max-width: 1200px; margin: 24px auto; padding: 0 24px; }
        h1 { font-size: 22px; margin: 0 0 16px; }
        h2 { font-size: 16px; margin: 24px 0 8px; }
        .card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin-bottom: 16px; }
        table { width: 100%; border-collapse: collapse; background: var(--card); border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
        th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: #eef1f5; font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
        tr:last-child td { border-bottom: 0; }
        dl { display: grid; grid-template-columns: 180px 1fr; gap: 6px 16px; margin: 0; }
        dt { color: var(--muted); }
        dd { margin: 0; overflow-wrap: anywhere; }
        code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
        pre { background: #f0f2f5; padding: 10px; border-radius: 6px; overflow-x: auto; }
        a { color: var(--accent); }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; border: 1px solid transparent; }
        .online, .clicked, .active { color: var(--ok); background: #e6f4ea; border-color: #b7e1c1; }
        .offline, .pending, .delivered, .submitted, .shown { color: var(--warn); background: #fff4d6; border-color: #f0dc9c; }
        .revoked, .failed, .expired, .used-up { color: var(--bad); background: #fde8e6; border-color: #f4c1bb; }
        .dismissed { color: var(--muted); background: #eef1f5; border-color: var(--line); }
        .reported { color: var(--muted); font-size: 11px; font-style: italic; }
        .muted { color: var(--muted); }
        .grants { margin: 0; padding-left: 16px; }
        form.stack { display: grid; gap: 10px; max-width: 520px; }
        form.stack button { justify-self: start; }
        .card > p:first-child, .card > h2:first-child { margin-top: 0; }
        .nowrap { white-space: nowrap; }
        form.inline { display: flex; gap: 8px; align-items: end; flex-wrap: wrap; }
        label { display: grid; gap: 4px; font-weight: 600; font-size: 12px; color: var(--muted); }
        input, textarea, select { font: inherit; padding: 7px 9px; border: 1px solid #c4cad3; border-radius: 6px; background: #fff; }
        textarea { min-height: 70px; }
        button { font: inherit; font-weight: 600; padding: 7px 14px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
        button.danger { background: var(--bad); border-color: var(--bad); }
        button.quiet { background: transparent; border-color: #5d6b82; color: #cfd8e6; padding: 4px 10px; }
        .notice { padding: 10px 14px; border-radius: 6px; margin-bottom: 16px; border: 1px solid; }
        .notice.error { background: #fde8e6; border-color: #f4c1bb; color: var(--bad); }
        .notice.ok { background: #e6f4ea; border-color: #b7e1c1; color: var(--ok); }
        .secret { font-size: 14px; padding: 10px; background: #fffbe6; border: 1px dashed #d4a72c; border-radius: 6px; user-select: all; overflow-wrap: anywhere; }
        .login { max-width: 420px; margin: 10vh auto; }
        .pager { display: flex; gap: 12px; margin-top: 12px; }
        """;
}

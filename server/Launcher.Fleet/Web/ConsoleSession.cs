namespace Launcher.Fleet.Web;

/// <summary>The signed-in admin of one console request: the admin token's id (never the token) and the session secret.</summary>
internal sealed record ConsoleSession(string AdminTokenId, string Secret)
{
    public const string Item = "launcher.console.session";

    /// <summary>The actor written to the audit log, the same as the API's for the same admin token.</summary>
    public string Actor => "admin:" + AdminTokenId;
}

namespace Launcher.Fleet.Web;

/// <summary>Names of the console's cookies. <c>__Host-</c>: Secure, Path=/ and no Domain, enforced by the browser.</summary>
internal static class ConsoleCookies
{
    public const string Session = "__Host-lf_console";
    public const string Antiforgery = "__Host-lf_af";
    public const string AntiforgeryField = "__af";
}

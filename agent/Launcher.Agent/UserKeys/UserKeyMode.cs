namespace Launcher.Agent.UserKeys;

/// <summary>The values of <c>--user-key</c>.</summary>
internal static class UserKeyMode
{
    public const string None = "none";
    public const string Auto = "auto";
    public const string Software = "software";
    public const string SecureEnclave = "secure-enclave";

    public static readonly string[] All = [None, Auto, Software, SecureEnclave];
}

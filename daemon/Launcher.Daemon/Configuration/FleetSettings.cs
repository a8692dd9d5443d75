namespace Launcher.Daemon.Configuration;

/// <summary>
/// The fleet link's configuration (<c>fleet:server</c>, <c>fleet:enrolmentToken</c>), validated at start and
/// registered as a singleton for the fleet link to read. Both are optional: a machine without a server runs
/// stand-alone; an enrolled machine needs no token.
/// </summary>
internal sealed class FleetSettings
{
    public static FleetSettings None { get; } = new();

    /// <summary>The fleet server, normalised to <c>https://host[:port]</c> (lower-case host, default port omitted).</summary>
    public Uri? Server { get; init; }

    /// <summary>A token for the first enrolment; never logged or shown.</summary>
    public string? EnrolmentToken { get; init; }

    public bool IsConfigured => Server is not null;

    public override string ToString() => Server is null ? "no fleet server" : $"fleet server {Server} (token {(EnrolmentToken is null ? "absent" : "set")})";
}

namespace Launcher.Contracts.FleetLink;

/// <summary>
/// The values of <see cref="FleetLinkStatus.ConfiguredState"/>: how the enrolment the daemon's configuration asks
/// for (<c>fleet:server</c>, <c>fleet:enrolmentToken</c>) stands. Clients treat a value they do not know as
/// informational.
/// </summary>
public static class FleetConfiguredStates
{
    /// <summary>Not enrolled; a server and a token are configured and the daemon is enrolling (or waiting for its
    /// next attempt after a failure that retrying may fix).</summary>
    public const string Enrolling = "enrolling";

    /// <summary>Not enrolled; the server refused the configured enrolment with an answer retrying cannot change
    /// (token unknown, expired, used up or revoked; attestation or policy refused; machine revoked). No more
    /// automatic attempts until the daemon restarts (with a new configuration) or an admin runs
    /// <c>launcherctl fleet leave</c>.</summary>
    public const string Refused = "refused";

    /// <summary>Not enrolled; a server is configured without a token, so an admin enrols the machine by hand.</summary>
    public const string NoToken = "noToken";

    /// <summary>Enrolled with the configured server.</summary>
    public const string Enrolled = "enrolled";

    /// <summary>Enrolled with another server than the configured one; the daemon does not re-enrol by itself.</summary>
    public const string OtherServer = "otherServer";
}

namespace Launcher.Ctl.Doctor;

/// <summary>What doctor asks of the machine besides the daemon (tests give fixed answers).</summary>
internal interface IDoctorHost
{
    bool IsMacOS { get; }

    uint EffectiveUid { get; }

    DateTimeOffset Now { get; }

    PathFacts? Stat(string path);

    /// <summary>Free and total bytes of the file system holding <paramref name="path"/>; null when it cannot be read.</summary>
    (long Available, long Total)? Disk(string path);

    /// <summary>Users with a login session; null with the reason when neither loginctl nor who answers.</summary>
    Task<(IReadOnlyList<LoggedInUser>? Users, string? Error)> LoggedInUsersAsync(CancellationToken cancellationToken);

    /// <summary>The Date header of the fleet server's answer to a HEAD request; null with the reason on failure.</summary>
    Task<(DateTimeOffset? Date, string? Error)> ServerDateAsync(Uri server, CancellationToken cancellationToken);
}

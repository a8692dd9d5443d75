namespace Launcher.Daemon.Identity;

/// <summary>
/// What the state directory held when the daemon started, taken before this run writes anything to it (the outbox
/// is created as the services start). Only an empty state directory is a first start: there the daemon creates
/// the machine identity; anywhere else a missing identity is <c>lost</c>, never silently replaced.
/// </summary>
internal sealed record StateInventory(IReadOnlyList<string> Entries)
{
    private const int MaxNamesKept = 8;

    /// <summary>A state directory, new or emptied by an admin, with nothing in it: a first start.</summary>
    public bool IsFirstStart => Entries.Count == 0;

    /// <summary>For messages: the names found (a few of them).</summary>
    public string Describe() => string.Join(", ", Entries);

    public static StateInventory Take(string stateDirectory)
    {
        string[] names = Directory.EnumerateFileSystemEntries(stateDirectory)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .Take(MaxNamesKept)
            .ToArray();
        return new StateInventory(names);
    }
}

using Launcher.Contracts.Fleet;

namespace Launcher.Fleet.Link;

/// <summary>The link's audience form, as the contracts define it (the daemon normalises the same way).</summary>
internal static class FleetAudience
{
    public static string? Normalise(string value) => FleetChannelBinding.NormaliseAudience(value);
}

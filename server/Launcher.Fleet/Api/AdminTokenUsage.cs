using System.Collections.Concurrent;
using Launcher.Fleet.Services;

namespace Launcher.Fleet.Api;

/// <summary>
/// Records when admin tokens are used (shown by <c>admin-token list</c>), at most once per
/// <see cref="FleetServerLimits.AdminTokenLastUsedResolution"/> per token and instance: the time of the last write
/// per token id is kept here so that most requests write nothing. Only ids of valid tokens reach it, so it holds at
/// most one entry per admin token.
/// </summary>
internal sealed class AdminTokenUsage
{
    private readonly FleetContext _context;
    private readonly ConcurrentDictionary<string, long> _written = new(StringComparer.Ordinal);

    public AdminTokenUsage(FleetContext context)
    {
        _context = context;
    }

    public async Task RecordAsync(string adminTokenId, CancellationToken cancellationToken)
    {
        long now = _context.NowMs;
        long resolution = (long)_context.Limits.AdminTokenLastUsedResolution.TotalMilliseconds;
        if (_written.TryGetValue(adminTokenId, out long last) && now - last < resolution)
        {
            return;
        }

        _written[adminTokenId] = now;
        await _context.Tokens.TouchAdminTokenAsync(adminTokenId, now, resolution, cancellationToken).ConfigureAwait(false);
    }
}

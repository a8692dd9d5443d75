using System.Data.Common;
using Dapper;
using Launcher.Fleet.Store;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;

namespace Launcher.Fleet.Web;

/// <summary>
/// ASP.NET Core Data Protection for the web console (it protects the antiforgery cookie and field), with its key ring
/// in the fleet database (<see cref="ConsoleKeyRepository"/>): every instance on one database, and every restart,
/// reads the same keys, so a form rendered by one instance is accepted by another.
/// </summary>
internal static class ConsoleDataProtection
{
    /// <summary>The pre-database key directory in the data dir, imported once at start and then removed.</summary>
    public const string LegacyDirectory = "console-keys";

    // Any constant other than the migration lock's: instances starting at once take turns loading the key ring.
    private const long KeyRingLockKey = 0x4C61756E636B72;

    public static void Add(IServiceCollection services, FleetServerLimits limits)
    {
        services.AddSingleton<ConsoleKeyRepository>();
        services.AddDataProtection().SetApplicationName("launcher-fleet");
        services.AddOptions<KeyManagementOptions>().Configure<ConsoleKeyRepository>((keys, repository) =>
        {
            keys.XmlRepository = repository;
            keys.NewKeyLifetime = limits.ConsoleKeyLifetime;
        });
    }

    /// <summary>
    /// Before the instance serves: imports <c>DATA_DIR/console-keys</c> if a data dir from before still has it, then
    /// loads the key ring, creating the first key if there is none. On PostgreSQL this runs under an advisory lock, so
    /// of several instances starting on an empty key ring one creates the key and the others read it. (Were two keys
    /// created at once anyway, both are kept and both read: Data Protection re-reads the ring when a payload names a
    /// key it does not know, in its first two minutes, and every 24 hours; its later keys are created two days before
    /// they are used.)
    /// </summary>
    public static async Task PrepareAsync(IServiceProvider services, FleetDatabase database, string dataDirectory, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (database.Kind == DatabaseKind.Postgres)
        {
            await connection.ExecuteAsync("SELECT pg_advisory_lock(@key)", new { key = KeyRingLockKey }).ConfigureAwait(false);
        }

        try
        {
            await services.GetRequiredService<ConsoleKeyRepository>().ImportDirectoryAsync(Path.Combine(dataDirectory, LegacyDirectory), cancellationToken).ConfigureAwait(false);
            _ = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("launcher-fleet.key-ring").Protect([1]);
        }
        finally
        {
            if (database.Kind == DatabaseKind.Postgres)
            {
                await connection.ExecuteAsync("SELECT pg_advisory_unlock(@key)", new { key = KeyRingLockKey }).ConfigureAwait(false);
            }
        }
    }
}

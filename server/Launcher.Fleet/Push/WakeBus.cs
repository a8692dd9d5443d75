using Launcher.Fleet.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Launcher.Fleet.Push;

/// <summary>
/// Wakes the instance that holds a machine's connection. On PostgreSQL: NOTIFY on a channel every instance LISTENs
/// to; the payload is only the machine id (never the data, which stays in the rows). A NOTIFY sent while a
/// listener is disconnected is lost, so after each reconnect the listener sweeps all its connections. On SQLite
/// (one instance) the wake-up is a direct call.
/// </summary>
internal sealed class WakeBus : BackgroundService
{
    public const string Channel = "launcher_fleet_wake";
    private readonly FleetDatabase _database;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WakeBus(FleetDatabase database, ILogger<WakeBus> logger)
    {
        _database = database;
        _logger = logger;
    }

    /// <summary>Called with a machine id on every wake-up (and with null after a reconnect: sweep everything).</summary>
    public Func<string?, Task>? OnWake { get; set; }

    /// <summary>Completes once the first LISTEN is in place (at once on SQLite).</summary>
    public Task Listening => _listening.Task;

    public async Task PublishAsync(string machineId, CancellationToken cancellationToken)
    {
        if (_database.Postgres is null)
        {
            if (OnWake is { } wake)
            {
                await wake(machineId).ConfigureAwait(false);
            }

            return;
        }

        await using NpgsqlCommand command = _database.Postgres.CreateCommand("SELECT pg_notify(@channel, @payload)");
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payload", machineId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_database.Postgres is null)
        {
            _listening.TrySetResult();
            return;
        }

        bool reconnect = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using NpgsqlConnection connection = await _database.Postgres.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                connection.Notification += (_, e) =>
                {
                    if (OnWake is { } wake)
                    {
                        _ = wake(e.Payload);
                    }
                };
                await using (NpgsqlCommand listen = new($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                _listening.TrySetResult();
                if (reconnect && OnWake is { } sweep)
                {
                    await sweep(null).ConfigureAwait(false);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                Log.WakeListenerLost(_logger, ex.Message);
                reconnect = true;
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}

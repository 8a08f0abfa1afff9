using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommitmentTracker.Web.Persistence.Changes;

/// <summary>Listens on the PostgreSQL channel the DbContext notifies, and raises <see cref="ChangeFeed"/> events.</summary>
internal sealed class ChangeListener(IDbContextFactory<AppDbContext> dbFactory, ChangeFeed feed, ILogger<ChangeListener> logger) : BackgroundService
{
    public const string Channel = "ct_changes";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string connectionString;
        await using (var db = await dbFactory.CreateDbContextAsync(stoppingToken))
            connectionString = db.Database.GetConnectionString()!;
        // A dedicated connection outside the pool: LISTEN lives as long as the connection.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Dispatch(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                logger.LogInformation("Listening for live changes on PostgreSQL channel {Channel}", Channel);
                while (!stoppingToken.IsCancellationRequested)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the listener must survive a lost connection: log, wait, reconnect
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogWarning(ex, "Live change listener lost its connection; reconnecting in 2 s");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void Dispatch(string payload)
    {
        try
        {
            var ids = JsonSerializer.Deserialize<Guid[]>(payload) ?? [];
            feed.Raise(new DealsChanged(ids));
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "Ignoring a malformed change notification");
        }
    }
}

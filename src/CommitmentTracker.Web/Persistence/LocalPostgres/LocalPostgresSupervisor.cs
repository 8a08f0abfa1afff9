using Npgsql;

namespace CommitmentTracker.Web.Persistence.LocalPostgres;

/// <summary>
/// Watches the embedded PostgreSQL's postmaster and starts it again, on the same port, when its process is gone
/// (killed, crashed, stopped behind the app's back). Checks every PostgreSQL:SupervisionIntervalMilliseconds (default
/// 1000); a restart that fails is tried again after 1, 2, 4 ... up to 30 seconds.
/// </summary>
internal sealed partial class LocalPostgresSupervisor(LocalPostgresCluster cluster, IConfiguration configuration, ILogger<LocalPostgresSupervisor> logger)
    : BackgroundService
{
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(configuration.GetValue("PostgreSQL:SupervisionIntervalMilliseconds", 1000));
        var failures = 0;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (await cluster.RestartIfDeadAsync(stoppingToken))
                    {
                        // Every pooled connection pointed at the dead server: drop them rather than fail one request each.
                        NpgsqlConnection.ClearAllPools();
                        LogRestarted(logger, cluster.Port);
                    }

                    failures = 0;
                }
                catch (Exception ex) when (ex is LocalPostgresException or IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    failures++;
                    var backOff = TimeSpan.FromSeconds(Math.Min(MaxBackOff.TotalSeconds, Math.Pow(2, failures - 1)));
                    LogRestartFailed(logger, ex, failures, backOff.TotalSeconds);
                    await Task.Delay(backOff, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping; the cluster is stopped after every hosted service has finished.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The embedded PostgreSQL had stopped; it was started again on 127.0.0.1:{Port}.")]
    private static partial void LogRestarted(ILogger logger, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "Starting the embedded PostgreSQL again failed ({Failures} in a row); next try in {Seconds} s.")]
    private static partial void LogRestartFailed(ILogger logger, Exception exception, int failures, double seconds);
}

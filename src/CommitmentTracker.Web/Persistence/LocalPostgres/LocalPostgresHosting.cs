using Microsoft.Extensions.Logging.Console;
using Npgsql;

namespace CommitmentTracker.Web.Persistence.LocalPostgres;

/// <summary>Wires a project-local PostgreSQL cluster into the app when no connection string is configured.</summary>
public static partial class LocalPostgresHosting
{
    /// <summary>The database the app uses on the local cluster unless PostgreSQL:Database says otherwise.</summary>
    public const string DefaultDatabaseName = "commitmenttracker";

    /// <summary>
    /// When ConnectionStrings:Default is empty, starts (or reuses) a persistent local cluster in PostgreSQL:DataDirectory
    /// (default <c>./.data/postgres</c>), creates the database, sets ConnectionStrings:Default to it and stops the
    /// cluster on shutdown. Returns null, doing nothing, when a connection string is configured.
    /// </summary>
    /// <exception cref="PostgresBinariesNotFoundException">No PostgreSQL server binaries on this machine.</exception>
    public static LocalPostgresCluster? UseLocalPostgresWhenNoConnectionString(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString("Default")))
        {
            return null;
        }

        // The app's logging is not built yet; a console logger that honours the Logging section bridges the start.
        var loggerFactory = LoggerFactory.Create(logging => logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.ColorBehavior = LoggerColorBehavior.Default;
            }));
        var logger = loggerFactory.CreateLogger(typeof(LocalPostgresCluster).FullName!);

        var dataDirectory = Path.GetFullPath(
            configuration["PostgreSQL:DataDirectory"] is { Length: > 0 } configured
                ? configured
                : Path.Combine(".data", "postgres"));
        var database = configuration["PostgreSQL:Database"] is { Length: > 0 } name ? name : DefaultDatabaseName;

        LocalPostgresCluster? cluster = null;
        try
        {
            cluster = new LocalPostgresCluster(
                new LocalPostgresOptions
                {
                    DataDirectory = dataDirectory,
                    BinDirectory = configuration["PostgreSQL:BinDirectory"],
                },
                logger);

            // Program.cs runs synchronously before the host exists; there is no synchronization context to deadlock on.
            cluster.StartAsync().GetAwaiter().GetResult();
            EnsureDatabaseAsync(cluster, database).GetAwaiter().GetResult();
        }
        catch
        {
            cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            loggerFactory.Dispose();
            throw;
        }

        configuration["ConnectionStrings:Default"] = cluster.ConnectionString(database);
        builder.Services.AddSingleton(cluster);
        builder.Services.AddHostedService(_ => new LocalPostgresShutdown(cluster, loggerFactory));

        LogUsingLocalCluster(
            logger,
            cluster.DataDirectory,
            cluster.Port,
            database,
            cluster.ReusedRunningServer ? "reused a server left running" : "started");
        return cluster;
    }

    private static async Task EnsureDatabaseAsync(LocalPostgresCluster cluster, string database)
    {
        // Unpooled: this admin connection is used once and must not linger in a pool.
        var adminConnectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Pooling = false };
        await using var connection = new NpgsqlConnection(adminConnectionString.ConnectionString);
        await connection.OpenAsync();

        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync() is not null)
        {
            return;
        }

        // CREATE DATABASE takes no parameters; the name is quoted as an identifier instead.
        await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(database)}", connection);
        try
        {
            await create.ExecuteNonQueryAsync();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Another process created it between the check and here: that is what we wanted.
        }
    }

    [LoggerMessage(
        Level = LogLevel.Information,
        Message = "No ConnectionStrings:Default configured: using the local PostgreSQL cluster with data in {DataDirectory}, listening on 127.0.0.1:{Port}, database {Database} ({How}).")]
    private static partial void LogUsingLocalCluster(ILogger logger, string dataDirectory, int port, string database, string how);

    private static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Stops the local cluster cleanly after the app has stopped, so the next run starts from a clean shutdown.</summary>
    private sealed class LocalPostgresShutdown(LocalPostgresCluster cluster, ILoggerFactory loggerFactory) : IHostedLifecycleService
    {
        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        // Stopped, not Stopping: every other hosted service has finished with the database by now.
        public async Task StoppedAsync(CancellationToken cancellationToken)
        {
            try
            {
                await cluster.StopAsync(cancellationToken);
            }
            finally
            {
                loggerFactory.Dispose();
            }
        }
    }
}

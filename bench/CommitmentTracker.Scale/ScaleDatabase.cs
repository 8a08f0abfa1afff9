using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Persistence.LocalPostgres;
using CommitmentTracker.Web.Persistence.Seeding;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CommitmentTracker.Scale;

/// <summary>
/// Where generated databases live: by default the app's own embedded cluster (src/CommitmentTracker.Web/.data/postgres,
/// the one ./run.sh starts), so `./run.sh` can be pointed at a generated database by name; or any server given by
/// <c>--connection</c>. A cluster this process had to start is stopped again when it is done.
/// </summary>
internal sealed class ScaleDatabase : IAsyncDisposable
{
    private readonly LocalPostgresCluster? _cluster;
    private readonly NpgsqlConnectionStringBuilder _server;

    private ScaleDatabase(LocalPostgresCluster? cluster, NpgsqlConnectionStringBuilder server)
    {
        _cluster = cluster;
        _server = server;
    }

    /// <summary>Where the data is, for the report: the cluster's data folder, or the external server's host.</summary>
    public string Location => _cluster is not null ? $"embedded cluster {_cluster.DataDirectory} (127.0.0.1:{_cluster.Port})" : $"{_server.Host}:{_server.Port}";

    public bool IsEmbedded => _cluster is not null;

    public static async Task<ScaleDatabase> OpenAsync(string? connection, string? dataDirectory, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(connection))
            return new ScaleDatabase(null, new NpgsqlConnectionStringBuilder(connection));
        var folder = dataDirectory ?? Path.Combine(Repository.Root, "src", "CommitmentTracker.Web", ".data", "postgres");
        var cluster = new LocalPostgresCluster(new LocalPostgresOptions { DataDirectory = folder }, NullLogger.Instance);
        await cluster.StartAsync(cancellationToken);
        Console.WriteLine(cluster.ReusedRunningServer
            ? $"Using the embedded PostgreSQL already running on 127.0.0.1:{cluster.Port} ({cluster.DataDirectory})."
            : $"Started the embedded PostgreSQL on 127.0.0.1:{cluster.Port} ({cluster.DataDirectory}).");
        return new ScaleDatabase(cluster, new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")));
    }

    public string ConnectionString(string database, int maxPoolSize = 20) =>
        new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = database, MaxPoolSize = maxPoolSize, CommandTimeout = 0 }.ConnectionString;

    private string AdminConnectionString =>
        new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = string.IsNullOrEmpty(_server.Database) ? "postgres" : _server.Database, Pooling = false }.ConnectionString;

    public async Task<bool> ExistsAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", database);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Drops the database (disconnecting anyone on it) if it exists, and creates it empty, or as a copy of <paramref name="template"/>.</summary>
    public async Task RecreateAsync(string database, string? template, CancellationToken cancellationToken)
    {
        await DropAsync(database, cancellationToken);
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        var from = template is null ? "" : $" TEMPLATE {Quote(template)}";
        await using var create = new NpgsqlCommand($"CREATE DATABASE {Quote(database)}{from}", connection) { CommandTimeout = 0 };
        await create.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DropAsync(string database, CancellationToken cancellationToken)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Quote(database)} WITH (FORCE)", connection) { CommandTimeout = 0 };
        await drop.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Applies the app's pending migrations (none: nothing happens).</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var services = AppServices(connectionString, TimeProvider.System, new ConfigurationBuilder().Build(), withFeatures: false);
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
            Console.WriteLine("  applying the app's pending migrations to the generated database ...");
            await db.Database.MigrateAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Applies the app's migrations and seeds what the app seeds on its first start (roles, checklist, lead times, milestone
    /// plans, risk library, settings; the demo company and its users), with the app's own seeders and save interceptors.
    /// </summary>
    public static async Task MigrateAndSeedAsync(string connectionString, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var services = AppServices(connectionString, clock, new ConfigurationBuilder().Build(), withFeatures: false);
        await using var scope = services.CreateAsyncScope();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            await db.Database.MigrateAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<ReferenceDataSeeder>().SeedAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
    }

    /// <summary>
    /// The app's services outside the web host, registered as the app registers them: the context factory configured by
    /// <see cref="PersistenceServiceCollectionExtensions.Configure"/> with the features' save interceptors, Identity, the
    /// seeders and (with <paramref name="withFeatures"/>) every feature service from <c>AddFeatures</c>.
    /// </summary>
    public static ServiceProvider AppServices(string connectionString, TimeProvider clock, IConfiguration configuration, bool withFeatures)
    {
        var services = new ServiceCollection();
        // CT_SCALE_SQL_LOG=1 prints every SQL command the app's services run, with its duration: where a slow page spends its time.
        services.AddLogging(logging =>
        {
            if (Environment.GetEnvironmentVariable("CT_SCALE_SQL_LOG") == "1")
                logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; }).AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Information).AddFilter("Microsoft", LogLevel.Warning);
        });
        services.AddSingleton(clock);
        services.AddSingleton(configuration);
        if (withFeatures)
            CommitmentTracker.Web.Features.FeatureServiceCollectionExtensions.AddFeatures(services, configuration);
        else
            services.AddRisk(configuration);
        services.AddDbContextFactory<AppDbContext>((sp, options) =>
            PersistenceServiceCollectionExtensions.Configure(options, connectionString, sp.GetServices<ISaveChangesInterceptor>()));
        services.AddIdentityCore<AppUser>(o => o.Password.RequiredLength = PasswordRules.MinimumLength)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>();
        services.Configure<DemoDataOptions>(_ => { });
        services.AddScoped<ReferenceDataSeeder>();
        services.AddScoped<DemoDataSeeder>();
        return services.BuildServiceProvider();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        // A server someone else started (./run.sh) keeps running (disposing the cluster would stop it); one this process
        // started is stopped.
        if (_cluster is { ReusedRunningServer: false })
            await _cluster.DisposeAsync();
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>The repository this tool runs in (the folder holding CommitmentTracker.sln).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CommitmentTracker.sln")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run this from inside the CommitmentTracker repository (no CommitmentTracker.sln found above the current folder).");
    }
}

using CommitmentTracker.Web.Persistence.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CommitmentTracker.Web.Persistence;

/// <summary>Registers the database: a context factory (one short-lived context per operation), migrations and seeding.</summary>
public static class PersistenceServiceCollectionExtensions
{
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Default");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("No database configured: set ConnectionStrings__Default, or let the app start its embedded PostgreSQL.");

        // Features add to what a save does by registering save interceptors (risk re-evaluation, for one).
        services.AddDbContextFactory<AppDbContext>((sp, options) => Configure(options, connectionString, sp.GetServices<ISaveChangesInterceptor>()));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.Configure<DemoDataOptions>(configuration.GetSection(DemoDataOptions.Section));
        services.AddScoped<ReferenceDataSeeder>();
        services.AddScoped<DemoDataSeeder>();
        services.AddHostedService<DatabaseMigrator>();
        services.AddSingleton<Changes.ChangeFeed>();
        services.AddHostedService<Changes.ChangeListener>();
        return services;
    }

    /// <summary>
    /// The one way a context is configured. <paramref name="saveInterceptors"/> (from the features) run first, in order;
    /// the record keeping (append-only records, audit trail, change notification) runs last, so it sees what they added.
    /// </summary>
    public static void Configure(DbContextOptionsBuilder options, string connectionString, IEnumerable<ISaveChangesInterceptor>? saveInterceptors = null) =>
        options
            .UseNpgsql(WithConnectTimeout(connectionString), npgsql => npgsql
                .ExecutionStrategy(dependencies => new DatabaseRetryStrategy(dependencies))
                .UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors([.. saveInterceptors ?? [], RecordKeepingInterceptor.Instance]);

    /// <summary>Seconds to wait for a connection when the connection string does not say (Npgsql's own default is 15).</summary>
    public const int DefaultConnectTimeoutSeconds = 2;

    /// <summary>A database that does not answer is reported within seconds: the connect timeout is 2 s unless the connection string sets one.</summary>
    public static string WithConnectTimeout(string connectionString)
    {
        // The base builder holds only the keys written in the string, so an explicit Timeout is kept as given.
        var written = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return written.ContainsKey("Timeout") || written.ContainsKey("Connect Timeout") || written.ContainsKey("Connection Timeout")
            ? connectionString
            : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Timeout = DefaultConnectTimeoutSeconds }.ConnectionString;
    }
}

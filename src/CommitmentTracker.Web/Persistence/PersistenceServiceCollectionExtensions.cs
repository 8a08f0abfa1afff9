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
            .UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure(maxRetryCount: 5).UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors([.. saveInterceptors ?? [], RecordKeepingInterceptor.Instance]);
}

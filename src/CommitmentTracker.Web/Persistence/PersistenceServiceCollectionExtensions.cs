using CommitmentTracker.Web.Persistence.Seeding;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Persistence;

/// <summary>Registers the database: a context factory (one short-lived context per operation), migrations and seeding.</summary>
public static class PersistenceServiceCollectionExtensions
{
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString("Default");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("No database configured: set ConnectionStrings__Default, or let the app start its embedded PostgreSQL.");

        services.AddDbContextFactory<AppDbContext>(options => Configure(options, connectionString));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.Configure<DemoDataOptions>(configuration.GetSection(DemoDataOptions.Section));
        services.AddScoped<ReferenceDataSeeder>();
        services.AddScoped<DemoDataSeeder>();
        services.AddHostedService<DatabaseMigrator>();
        services.AddSingleton<Changes.ChangeFeed>();
        services.AddHostedService<Changes.ChangeListener>();
        services.Configure<Risk.RiskSweepOptions>(configuration.GetSection(Risk.RiskSweepOptions.Section));
        services.AddSingleton<Risk.RiskSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<Risk.RiskSweep>());
        return services;
    }

    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.EnableRetryOnFailure(maxRetryCount: 5).UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery))
            .UseSnakeCaseNamingConvention();
}

using CommitmentTracker.Web.Persistence.Seeding;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// Applies migrations at start-up inside the execution strategy, as the owner role (ConnectionStrings:Owner) when one is
/// configured, grants the app's role its privileges, then seeds reference and demo data as the app's role.
/// </summary>
internal sealed class DatabaseMigrator(IServiceProvider services, IConfiguration configuration, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var ownerConnectionString = configuration.GetConnectionString("Owner");
        var appConnectionString = configuration.GetConnectionString("Default");
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = string.IsNullOrWhiteSpace(ownerConnectionString)
            ? await dbFactory.CreateDbContextAsync(cancellationToken)
            : OwnerContext(ownerConnectionString))
        {
            // A migration that backfills or indexes a large table runs for minutes, far past the default 30 s.
            db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async ct => await db.Database.MigrateAsync(ct), cancellationToken);
        }
        logger.LogInformation("Database schema is up to date");

        var appRole = DatabasePrivileges.RoleOf(appConnectionString);
        if (!string.IsNullOrWhiteSpace(ownerConnectionString) && appRole is not null
            && !string.Equals(appRole, DatabasePrivileges.RoleOf(ownerConnectionString), StringComparison.Ordinal))
        {
            await DatabasePrivileges.GrantAsync(ownerConnectionString, appRole, cancellationToken);
            logger.LogInformation("Privileges of the app's database role {Role} are in place", appRole);
        }

        await scope.ServiceProvider.GetRequiredService<ReferenceDataSeeder>().SeedAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static AppDbContext OwnerContext(string ownerConnectionString)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        PersistenceServiceCollectionExtensions.Configure(options, ownerConnectionString);
        return new AppDbContext(options.Options);
    }
}

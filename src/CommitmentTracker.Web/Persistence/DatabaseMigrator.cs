using CommitmentTracker.Web.Persistence.Seeding;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Persistence;

/// <summary>Applies migrations at start-up inside the execution strategy, then seeds reference and demo data.</summary>
internal sealed class DatabaseMigrator(IServiceProvider services, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // A migration that backfills or indexes a large table runs for minutes, far past the default 30 s.
            db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async ct => await db.Database.MigrateAsync(ct), cancellationToken);
        }
        logger.LogInformation("Database schema is up to date");
        await scope.ServiceProvider.GetRequiredService<ReferenceDataSeeder>().SeedAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

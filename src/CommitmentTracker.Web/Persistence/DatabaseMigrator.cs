using CommitmentTracker.Web.Persistence.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

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
            await strategy.ExecuteAsync(async ct => await PrepareEmptyDatabaseAsync(db, ct), cancellationToken);
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

        // The sign-in cookie's key, made now by the first instance on a new database (not at its first request), so an
        // instance started after it uses the same key. Kept in data_protection_keys (decision 40).
        scope.ServiceProvider.GetService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>()?.CreateProtector("CommitmentTracker.KeyRing").Protect([1]);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Creates the database when it is not there yet (a first start against an empty server), and EF's migration history
    /// table when the database is empty. Done here, quietly, because EF's own first steps inside MigrateAsync log the refused
    /// connection to a missing database and the failed read of the missing history table as errors, which on a normal first
    /// start would alarm an operator for nothing. A real failure (no server, no right to create) still fails loudly.
    /// </summary>
    private async Task PrepareEmptyDatabaseAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        if (!await ExistsAsync(target, cancellationToken))
        {
            logger.LogInformation("Database {Database} does not exist yet: creating it", target.Database);
            var maintenance = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres" };
            await using var admin = new NpgsqlConnection(maintenance.ConnectionString);
            await admin.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{target.Database!.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var probe = new NpgsqlCommand("SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL", connection);
        if (await probe.ExecuteScalarAsync(cancellationToken) is true)
            return;
        logger.LogInformation("Database {Database} is empty: creating its tables", target.Database);
        await using var history = new NpgsqlCommand(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), connection);
        await history.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnectionStringBuilder target, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(target.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return false;
        }
    }

    private static AppDbContext OwnerContext(string ownerConnectionString)
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        PersistenceServiceCollectionExtensions.Configure(options, ownerConnectionString);
        return new AppDbContext(options.Options);
    }
}

using System.Net;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Persistence.Backup;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CommitmentTracker.Web.Tests.Persistence;

/// <summary>
/// The documented backup procedure, run for real: the app's backup command dumps a database full of demo data with
/// pg_dump, restores it with pg_restore into an empty database, and the app starts on the copy with every row.
/// </summary>
public sealed class BackupRestoreTests(PostgresServer server, TestDatabase database) : IClassFixture<TestDatabase>
{
    /// <summary>Tables the app writes when it starts, whatever the data: the sign-in key ring and the forecast curves it rebuilds.</summary>
    // What a started app writes on its own: its sign-in key, the forecast's curves, and, after the digest hour (07:00 UTC),
    // the day's manager digests.
    private static readonly string[] MaintainedAtStart = ["data_protection_keys", "forecast_curves", "daily_digests"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_backup_restored_into_an_empty_database_holds_every_row_and_the_app_starts_on_it()
    {
        await database.SeedDemoAsync(new FakeTimeProvider(TestDeals.Now));
        var folder = Directory.CreateTempSubdirectory("ct-backup-");
        try
        {
            var file = Path.Combine(folder.FullName, "nightly.dump");
            var target = await server.CreateDatabaseAsync("ct_restored");
            var into = new NpgsqlConnectionStringBuilder(target).Database!;

            Assert.Equal(0, await BackupCommand.RunAsync(Configuration(database.OwnerConnectionString), null, ["backup", file]));
            Assert.Equal(0, await BackupCommand.RunAsync(Configuration(database.OwnerConnectionString), null, ["restore", file, "--into", into]));

            var original = await DatabaseBackup.CountRowsAsync(database.OwnerConnectionString, Cancel);
            Assert.True(original["deals"] > 0 && original["commitments"] > 0 && original["audit_entries"] > 0);
            Assert.Equal(original, await DatabaseBackup.CountRowsAsync(target, Cancel));

            await using var app = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            {
                builder.UseEnvironment("Production");
                builder.UseSetting("ConnectionStrings:Owner", target);
                builder.UseSetting("ConnectionStrings:Default", server.AppConnectionString(target));
                builder.UseSetting("Demo:Enabled", "false");
                builder.UseSetting("Risk:SweepEnabled", "false");
                builder.UseSetting("DataProtection:KeysDirectory", Path.Combine(folder.FullName, "keys"));
                builder.UseSetting("Email:PickupDirectory", Path.Combine(folder.FullName, "mail"));
            });
            using var client = app.CreateClient();
            using var ready = await client.GetAsync(new Uri("health/ready", UriKind.Relative), Cancel);
            var report = await ready.Content.ReadAsStringAsync(Cancel);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Contains("\"database\"", report, StringComparison.Ordinal);

            // The app reads the restored rows as its own runtime role (granted at start).
            var dbFactory = app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
            await using (var db = await dbFactory.CreateDbContextAsync(Cancel))
                Assert.Equal(original["deals"], await db.Deals.LongCountAsync(Cancel));
            // Starting added only what an app adds on its own (MaintainedAtStart): no row was lost.
            var afterStart = await DatabaseBackup.CountRowsAsync(target, Cancel);
            Assert.Equal(
                original.Where(t => !MaintainedAtStart.Contains(t.Key)),
                afterStart.Where(t => !MaintainedAtStart.Contains(t.Key)));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_restore_into_a_database_that_holds_tables_is_refused_and_changes_nothing()
    {
        var folder = Directory.CreateTempSubdirectory("ct-backup-");
        try
        {
            var file = Path.Combine(folder.FullName, "copy.dump");
            var backup = new DatabaseBackup(Web.Persistence.LocalPostgres.LocalPostgresCluster.LocateBinDirectoryOrPath(null));
            await backup.BackupAsync(database.OwnerConnectionString, file, Cancel);
            var before = await DatabaseBackup.CountRowsAsync(database.OwnerConnectionString, Cancel);

            var refused = await Assert.ThrowsAsync<DatabaseBackupException>(() => backup.RestoreAsync(database.OwnerConnectionString, file, Cancel));

            Assert.Contains("already holds tables", refused.Message, StringComparison.Ordinal);
            Assert.Equal(before, await DatabaseBackup.CountRowsAsync(database.OwnerConnectionString, Cancel));
            Assert.Equal(1, await BackupCommand.RunAsync(Configuration(database.OwnerConnectionString), null, ["restore", file]));
            Assert.Equal(2, await BackupCommand.RunAsync(Configuration(database.OwnerConnectionString), null, ["restore"]));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static IConfiguration Configuration(string ownerConnectionString) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Owner"] = ownerConnectionString }).Build();
}

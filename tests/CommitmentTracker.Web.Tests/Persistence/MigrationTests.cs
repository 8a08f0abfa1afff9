using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Tests.Persistence;

public sealed class MigrationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_model_has_no_changes_missing_from_the_migrations()
    {
        await using var db = database.CreateDbContext();
        Assert.False(db.Database.HasPendingModelChanges(), "Run `dotnet ef migrations add <Name> --project src/CommitmentTracker.Web --output-dir Persistence/Migrations`.");
    }

    [Fact]
    public async Task Every_migration_is_applied_to_a_fresh_database()
    {
        await using var db = database.CreateDbContext();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken));
    }
}

using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Persistence.Seeding;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CommitmentTracker.Web.Tests.Persistence;

/// <summary>The demo company a first start seeds: believable, complete, and seeded once.</summary>
public sealed class DemoDataTests(TestDatabase database, PostgresServer server) : IClassFixture<TestDatabase>
{
    private static readonly DateTimeOffset SeededAt = new(2026, 5, 14, 15, 30, 0, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static DateOnly Today => DateOnly.FromDateTime(SeededAt.UtcDateTime);

    [Fact]
    public async Task The_demo_company_has_a_user_for_every_role_and_two_teams_with_managers()
    {
        await database.SeedDemoAsync(new FakeTimeProvider(SeededAt));

        var roles = await database.QueryAsync(db => db.UserRoles.Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).Distinct().ToListAsync(Cancel));
        Assert.Equal(AppRoles.All.Order(), roles.Order());
        var teams = await database.QueryAsync(db => db.Teams.AsNoTracking().OrderBy(t => t.Name).ToListAsync(Cancel));
        Assert.Equal(["North", "South"], teams.Select(t => t.Name));
        foreach (var team in teams)
        {
            var manager = await ActorAccessor.LoadAsync(database, Assert.IsType<string>(team.ManagerId), Cancel);
            Assert.Equal((AppRoles.Manager, (Guid?)team.Id), (manager?.Role, manager?.TeamId));
        }
        var reps = await database.QueryAsync(db => db.Users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == AppRoles.Rep))).ToListAsync(Cancel));
        Assert.Equal(teams.Select(t => (Guid?)t.Id).Order(), reps.Select(r => r.TeamId).Distinct().Order());
    }

    [Fact]
    public async Task Every_demo_user_signs_in_with_the_demo_password()
    {
        await database.SeedDemoAsync(new FakeTimeProvider(SeededAt));

        await using var scope = database.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var demoUsers = await database.QueryAsync(db => db.Users.Where(u => u.Email!.EndsWith("@demo.local")).ToListAsync(Cancel));
        Assert.Contains(demoUsers, u => u.Email == DemoDataSeeder.RepEmail);
        foreach (var user in demoUsers)
            Assert.True(await users.CheckPasswordAsync(user, new DemoDataOptions().Password), user.Email);
    }

    [Fact]
    public async Task The_demo_company_has_deals_in_every_stage_with_promises_of_both_directions_and_milestones()
    {
        await database.SeedDemoAsync(new FakeTimeProvider(SeededAt));

        var stages = await database.QueryAsync(db => db.Deals.Select(d => d.Stage).Distinct().ToListAsync(Cancel));
        Assert.Equal(Enum.GetValues<DealStage>(), stages.Order());
        var directions = await database.QueryAsync(db => db.Commitments.Select(c => c.Direction).Distinct().ToListAsync(Cancel));
        Assert.Equal([CommitmentDirection.Ours, CommitmentDirection.Theirs], directions.Order());
        Assert.True(await database.QueryAsync(db => db.Milestones.CountAsync(Cancel)) >= 5);
        Assert.True(await database.QueryAsync(db => db.MilestoneUpdates.AnyAsync(Cancel)));
        Assert.True(await database.QueryAsync(db => db.CommunicationEntries.AnyAsync(Cancel)));
        Assert.True(await database.QueryAsync(db => db.Milestones.AnyAsync(m => m.Status == MilestoneStatus.Blocked, Cancel)));
        Assert.True(await database.QueryAsync(db => db.Commitments.AnyAsync(c => c.Kind == CommitmentKind.Outcome && c.Acceptance != null, Cancel)));
    }

    [Fact]
    public async Task The_demo_company_has_broken_promises_whose_date_passed()
    {
        await database.SeedDemoAsync(new FakeTimeProvider(SeededAt));

        var broken = await database.QueryAsync(db => db.Commitments.AsNoTracking().Where(c => c.Status == CommitmentStatus.Broken).ToListAsync(Cancel));

        Assert.Contains(broken, c => c.Direction == CommitmentDirection.Ours);
        Assert.Contains(broken, c => c.Direction == CommitmentDirection.Theirs);
        Assert.All(broken, c => Assert.True(c.PromisedDate < Today, $"\"{c.Description}\" is broken but due {c.PromisedDate}."));
    }

    [Fact]
    public async Task Seeding_the_demo_company_again_adds_nothing()
    {
        await database.SeedDemoAsync(new FakeTimeProvider(SeededAt));
        var before = await CountRowsAsync(database);

        await database.SeedDemoAsync(new FakeTimeProvider(SeededAt.AddDays(3)));

        Assert.Equal(before, await CountRowsAsync(database));
        Assert.True(before.Deals > 0);
    }

    [Theory]
    [InlineData("2028-02-29T23:59:00Z")]
    [InlineData("2026-12-31T00:00:00Z")]
    [InlineData("2027-01-01T06:15:00Z")]
    public async Task The_demo_company_seeds_on_any_day_with_nothing_dated_after_the_clock(string now)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        var fresh = new TestDatabase(server);
        await using var _ = fresh;
        await fresh.InitializeAsync();

        await fresh.SeedDemoAsync(clock);

        Assert.Equal(Enum.GetValues<DealStage>().Length, await fresh.QueryAsync(db => db.Deals.Select(d => d.Stage).Distinct().CountAsync(Cancel)));
        var latest = await fresh.QueryAsync(async db => new[]
        {
            await db.Deals.MaxAsync(d => d.StageEnteredAt, Cancel),
            await db.Deals.MaxAsync(d => d.CreatedAt, Cancel),
            await db.DealStageChanges.MaxAsync(s => s.At, Cancel),
            await db.Commitments.MaxAsync(c => c.CreatedAt, Cancel),
            await db.MilestoneUpdates.MaxAsync(u => u.At, Cancel),
            (await db.Milestones.MaxAsync(m => m.LastUpdatedAt, Cancel))!.Value,
            (await db.DealChecklistItems.MaxAsync(i => i.AnsweredAt, Cancel))!.Value,
            await db.CommunicationEntries.MaxAsync(e => e.LoggedAt, Cancel),
        }.Max());
        Assert.True(latest <= clock.GetUtcNow(), $"A demo record is dated {latest:u}, after the seeding clock {clock.GetUtcNow():u}.");
    }

    private static Task<RowCounts> CountRowsAsync(TestDatabase db) => db.QueryAsync(async d => new RowCounts(
        await d.Users.CountAsync(Cancel), await d.UserRoles.CountAsync(Cancel), await d.Teams.CountAsync(Cancel),
        await d.Accounts.CountAsync(Cancel), await d.Contacts.CountAsync(Cancel), await d.Deals.CountAsync(Cancel),
        await d.Commitments.CountAsync(Cancel), await d.Milestones.CountAsync(Cancel), await d.MilestoneUpdates.CountAsync(Cancel),
        await d.Touchpoints.CountAsync(Cancel), await d.CommunicationEntries.CountAsync(Cancel), await d.DealStageChanges.CountAsync(Cancel)));

    private sealed record RowCounts(
        int Users, int UserRoles, int Teams, int Accounts, int Contacts, int Deals, int Commitments, int Milestones,
        int MilestoneUpdates, int Touchpoints, int CommunicationEntries, int StageChanges);
}

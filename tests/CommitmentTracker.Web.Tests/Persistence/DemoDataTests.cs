using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Forecasts;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Forecasts;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Persistence.Seeding;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
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
    public async Task Every_demo_sign_in_works_with_the_demo_password_and_the_reps_who_own_the_history_cannot_sign_in()
    {
        await database.SeedDemoAsync(new FakeTimeProvider(SeededAt));

        await using var scope = database.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var demoUsers = await database.QueryAsync(db => db.Users.Where(u => u.Email!.EndsWith("@demo.local")).ToListAsync(Cancel));
        Assert.Equal(DemoDataSeeder.SignIns.Select(s => s.Email).Concat(DemoDataSeeder.HistoryReps.Select(r => r.Email)).Order(), demoUsers.Select(u => u.Email!).Order());
        Assert.Contains(DemoDataSeeder.SignIns, s => s.Email == DemoDataSeeder.RepEmail);
        foreach (var (email, _) in DemoDataSeeder.SignIns)
            Assert.True(await users.CheckPasswordAsync(demoUsers.Single(u => u.Email == email), new DemoDataOptions().Password), email);
        foreach (var (email, _, _) in DemoDataSeeder.HistoryReps)
        {
            var rep = demoUsers.Single(u => u.Email == email);
            Assert.False(await users.HasPasswordAsync(rep), email);
            Assert.Equal(AppRoles.Rep, (await ActorAccessor.LoadAsync(database, rep.Id, Cancel))?.Role);
        }
    }

    [Fact]
    public async Task A_new_installation_promise_on_a_deal_of_the_demo_rep_is_forecast_from_the_demo_history()
    {
        var clock = new FakeTimeProvider(SeededAt);
        await database.SeedDemoAsync(clock);
        await new ForecastRefresher(database, clock, Options.Create(new ForecastRefreshOptions()), NullLogger<ForecastRefresher>.Instance).RefreshAsync(Cancel);
        var repId = await database.QueryAsync(db => db.Users.Where(u => u.Email == DemoDataSeeder.RepEmail).Select(u => u.Id).SingleAsync(Cancel));
        var rep = Assert.IsType<Actor>(await ActorAccessor.LoadAsync(database, repId, Cancel));
        // Verbal, 46,500: an installation by the Service department there is the demo's most common kind of promise.
        var pilot = await database.QueryAsync(db => db.Deals.SingleAsync(d => d.Title == "Line monitoring pilot" && d.OwnerId == repId, Cancel));

        var shown = await new ForecastService(database, clock).ForNewPromiseAsync(rep, pilot.Id, CommitmentKind.Installation, Department.Service, Today.AddDays(28), Cancel);

        var forecast = shown.Forecast;
        Assert.True(forecast.FromHistory, forecast.Basis);
        Assert.Null(forecast.Fallback);
        Assert.Equal(ReferenceLevel.Similar, forecast.Group!.Level);
        Assert.True(forecast.GroupSize >= ForecastSettings.Defaults.MinimumGroupSize, $"{forecast.GroupSize} promises in the group.");
        Assert.Equal($"Based on {forecast.GroupSize} installation promises of the Service department on deals of 10,000 to 100,000 with 4 milestones in the last 24 months.", forecast.Basis);
        Assert.InRange(forecast.Probability!.Value, 0.05, 0.99);
        Assert.True(forecast.Date50 < forecast.Date80 && forecast.Date80 < forecast.Date90 && forecast.Date50 > Today, $"{forecast.Date50} {forecast.Date80} {forecast.Date90}");
    }

    [Fact]
    public async Task The_demo_history_holds_more_than_the_minimum_group_of_each_main_kind_of_promise_with_its_department()
    {
        var clock = new FakeTimeProvider(SeededAt);
        await database.SeedDemoAsync(clock);
        await new ForecastRefresher(database, clock, Options.Create(new ForecastRefreshOptions()), NullLogger<ForecastRefresher>.Instance).RefreshAsync(Cancel);

        var groups = await database.QueryAsync(db => db.ForecastCurves.AsNoTracking().Where(c => c.GroupKey.StartsWith("KindAndDepartment|")).ToDictionaryAsync(c => c.GroupKey, c => c.Promises, Cancel));

        foreach (var key in new[] { "Delivery|Fulfilment", "Installation|Service", "Training|Sales", "Support|Service", "Outcome|Product" })
            Assert.True(groups.GetValueOrDefault($"KindAndDepartment|{key}|*|*") > ForecastSettings.Defaults.MinimumGroupSize, $"{key}: {groups.GetValueOrDefault($"KindAndDepartment|{key}|*|*")} promises.");
    }

    [Fact]
    public async Task Every_past_promise_of_the_history_was_done_through_its_milestone_plan_and_carries_the_chance_it_was_given()
    {
        await database.SeedDemoAsync(new FakeTimeProvider(SeededAt));
        var historyReps = DemoDataSeeder.HistoryReps.Select(r => r.Email).ToList();

        var past = await database.QueryAsync(db => db.Commitments.AsNoTracking().Include(c => c.Milestones)
            .Where(c => db.Users.Any(u => u.Id == c.DealOwnerId && historyReps.Contains(u.Email!))).ToListAsync(Cancel));
        var templates = await database.QueryAsync(db => db.MilestoneTemplates.AsNoTracking().ToDictionaryAsync(t => t.Kind, t => t.Steps.Count, Cancel));

        Assert.InRange(past.Count, 300, 500);
        Assert.All(past, c =>
        {
            Assert.Contains(c.Status, new[] { CommitmentStatus.Kept, CommitmentStatus.KeptLate });
            Assert.Equal(c.CompletedOn <= c.PromisedDate ? CommitmentStatus.Kept : CommitmentStatus.KeptLate, c.Status);
            Assert.True(c.CompletedOn < Today, $"\"{c.Description}\" done {c.CompletedOn}.");
            Assert.InRange(c.ForecastProbability!.Value, 0.05m, 0.999m);
            Assert.Equal(templates[c.Kind], c.Milestones.Count);
            Assert.All(c.Milestones, m => Assert.Equal(MilestoneStatus.Done, m.Status));
            Assert.Equal(c.CompletedOn, c.Milestones.OrderBy(m => m.Position).Last().CompletedOn);
            Assert.True(c.Milestones.OrderBy(m => m.Position).Select(m => m.CompletedOn).SequenceEqual(c.Milestones.Select(m => m.CompletedOn).Order()), c.Description);
            Assert.Equal(RiskLevel.OnTrack, c.RiskLevel);
        });
        // Promised as reps do: mostly kept, some late, a few aggressive with a reason; never waiting for an approval.
        var kept = past.Count(c => c.Status == CommitmentStatus.Kept) / (double)past.Count;
        Assert.InRange(kept, 0.6, 0.9);
        Assert.Contains(past, c => c.IsAggressive && c.AggressiveApproval == AggressiveApproval.ReasonGiven);
        Assert.DoesNotContain(past, c => c.AggressiveApproval == AggressiveApproval.Pending);
        // Nothing of the history is overdue: its deals' touchpoints were done as they came due.
        var dealIds = past.Select(c => c.DealId).Distinct().ToList();
        var overdue = await database.QueryAsync(db => db.Touchpoints.AsNoTracking()
            .Where(t => dealIds.Contains(t.DealId) && t.CompletedAt == null && !t.IsCancelled && t.DueOn < Today).CountAsync(Cancel));
        Assert.Equal(0, overdue);
    }

    [Fact]
    public async Task The_demo_history_is_the_same_at_every_start_with_its_dates_following_the_day()
    {
        await database.SeedDemoAsync(new FakeTimeProvider(SeededAt));
        var later = new TestDatabase(server);
        await using var _ = later;
        await later.InitializeAsync();

        await later.SeedDemoAsync(new FakeTimeProvider(SeededAt.AddDays(45)));

        Assert.Equal(await HistoryAsync(database, Today), await HistoryAsync(later, Today.AddDays(45)));
    }

    /// <summary>The history's deals and promises with their dates as days before <paramref name="today"/>.</summary>
    private static async Task<List<string>> HistoryAsync(TestDatabase db, DateOnly today)
    {
        var historyReps = DemoDataSeeder.HistoryReps.Select(r => r.Email).ToList();
        var rows = await db.QueryAsync(d => d.Commitments.AsNoTracking()
            .Join(d.Deals, c => c.DealId, deal => deal.Id, (c, deal) => new { c, deal })
            .Where(x => d.Users.Any(u => u.Id == x.deal.OwnerId && historyReps.Contains(u.Email!)))
            .Select(x => new { x.deal.Title, x.deal.Value.Amount, x.deal.CloseDate, x.c.Kind, x.c.Description, x.c.PromisedDate, x.c.CompletedOn, x.c.ForecastProbability, x.c.Status })
            .ToListAsync(Cancel));
        return rows.Select(r => string.Join('|', r.Title, r.Amount, today.DayNumber - r.CloseDate.DayNumber, r.Kind, r.Description,
                today.DayNumber - r.PromisedDate.DayNumber, today.DayNumber - r.CompletedOn!.Value.DayNumber, r.ForecastProbability, r.Status))
            .Order(StringComparer.Ordinal).ToList();
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

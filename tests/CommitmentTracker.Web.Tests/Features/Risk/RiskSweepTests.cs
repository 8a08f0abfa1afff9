using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using CommitmentTracker.Web.Features.Promises;
using CommitmentTracker.Web.Tests.Features.Promises;
using CommitmentTracker.Web.Tests.Features.Recovery;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Risk;

/// <summary>The periodic sweep re-evaluates what time alone changes, and alerts once per rise.</summary>
public sealed class RiskSweepTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private RiskSweep Sweep(TimeProvider clock) =>
        new(database, clock, Options.Create(new RiskSweepOptions()), NullLogger<RiskSweep>.Instance);

    [Fact]
    public async Task A_promise_whose_date_passes_becomes_late_and_alerts_once_per_rise()
    {
        var team = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, team);
        await database.QueryAsync(async db =>
        {
            var stored = await db.Teams.SingleAsync(t => t.Id == team.Id, Cancel);
            stored.AppointManager(manager.UserId);
            return await db.SaveChangesAsync(Cancel);
        });
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        Commitment? promise = null;
        var deal = await database.CreateDealAsync(rep, arrange: d => promise = AddPromise(d, promisedInDays: 30));
        var clock = new FakeTimeProvider(Now.AddDays(31));

        var firstRun = await Sweep(clock).RunOnceAsync(Cancel);
        var secondRun = await Sweep(clock).RunOnceAsync(Cancel);

        var stored = await database.QueryAsync(db => db.Commitments.AsNoTracking().SingleAsync(c => c.Id == promise!.Id, Cancel));
        var alerts = await database.QueryAsync(db => db.Alerts.Where(a => a.CommitmentId == promise!.Id).ToListAsync(Cancel));
        Assert.True(firstRun >= 1);
        Assert.Equal(0, secondRun);
        Assert.Equal(RiskLevel.Late, stored.RiskLevel);
        Assert.Equal(CommitmentStatus.Broken, stored.Status);
        Assert.Contains(stored.RiskReasons, r => r.Rule == RiskRule.Late);
        Assert.Equal(new[] { manager.UserId, rep.UserId }.Order(), alerts.Select(a => a.RecipientId).Order());
        Assert.All(alerts, a => Assert.Equal(clock.GetUtcNow(), a.DetectedAt));
        Assert.Equal(deal.Id, alerts[0].DealId);
    }

    [Fact]
    public async Task A_promise_on_track_raises_no_alert()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        Commitment? promise = null;
        await database.CreateDealAsync(rep, arrange: d => promise = AddPromise(d, promisedInDays: 60));

        await Sweep(new FakeTimeProvider(Now.AddDays(1))).RunOnceAsync(Cancel);

        var stored = await database.QueryAsync(db => db.Commitments.AsNoTracking().SingleAsync(c => c.Id == promise!.Id, Cancel));
        Assert.Equal(RiskLevel.OnTrack, stored.RiskLevel);
        Assert.Empty(await database.QueryAsync(db => db.Alerts.Where(a => a.CommitmentId == promise!.Id).ToListAsync(Cancel)));
    }

    [Fact]
    public async Task A_blocked_milestone_saved_through_the_context_raises_the_level_in_the_same_save()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        Commitment? promise = null;
        Milestone? step = null;
        await database.CreateDealAsync(rep, arrange: d =>
        {
            promise = AddPromise(d, promisedInDays: 40);
            step = promise.AddMilestone("Ship", null, Today.AddDays(35));
        });

        await database.QueryAsync(async db =>
        {
            db.ChangedAt = Now.AddDays(1);
            var tracked = await db.LoadCommitmentAsync(promise!.Id, tracked: true);
            tracked.UpdateMilestone(step!.Id, new MilestoneChange(MilestoneStatus.Blocked, Today.AddDays(45), Reason: "Parts held at customs"), rep.UserId, Now.AddDays(1), Today.AddDays(1));
            return await db.SaveChangesAsync(Cancel);
        });

        var stored = await database.QueryAsync(db => db.Commitments.AsNoTracking().SingleAsync(c => c.Id == promise!.Id, Cancel));
        Assert.Equal(RiskLevel.AtRisk, stored.RiskLevel);
        Assert.Contains(stored.RiskReasons, r => r.Rule == RiskRule.Blocked && r.Sentence.Contains("Parts held at customs", StringComparison.Ordinal));
        Assert.NotEmpty(await database.QueryAsync(db => db.Alerts.Where(a => a.CommitmentId == promise!.Id).ToListAsync(Cancel)));
    }

    [Fact]
    public async Task A_deal_page_loaded_before_a_sweep_that_changes_nothing_can_still_save()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        Commitment? promise = null;
        var deal = await database.CreateDealAsync(rep, arrange: d => promise = AddPromise(d, promisedInDays: 50));
        var seenOnThePage = await VersionOfAsync(promise!.Id);
        // New thresholds make the sweep look at every open promise, not only those whose review day has come.
        await database.QueryAsync(db => db.RiskSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.ReviewAllPending, true), Cancel));

        await Sweep(new FakeTimeProvider(Now.AddDays(2))).RunOnceAsync(Cancel);

        Assert.Equal(seenOnThePage, await VersionOfAsync(promise.Id));
        Assert.False(await database.QueryAsync(db => db.RiskSettings.Select(s => s.ReviewAllPending).SingleAsync(Cancel)));
        var promises = PromisesServiceFactory.Create(database, new FakeTimeProvider(Now.AddDays(2)));
        await promises.RenegotiateAsync(rep, deal.Id, promise.Id, seenOnThePage, new RenegotiateInput
        {
            NewDate = Today.AddDays(60).ToDateTime(TimeOnly.MinValue),
            AgreedWith = "Eva Buyer",
            AgreedOn = Today.AddDays(2).ToDateTime(TimeOnly.MinValue),
            Reason = "Site ready later",
        }, Cancel);
        Assert.Equal(Today.AddDays(60), (await database.QueryAsync(db => db.LoadCommitmentAsync(promise.Id))).PromisedDate);
    }

    [Fact]
    public async Task The_sweep_writes_only_the_promises_whose_review_day_has_come()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        Commitment? soon = null, later = null;
        await database.CreateDealAsync(rep, arrange: d => soon = AddPromise(d, promisedInDays: 10));
        await database.CreateDealAsync(rep, arrange: d => later = AddPromise(d, promisedInDays: 80, description: "Train the operators"));
        var before = await database.QueryAsync(db => db.Commitments.AsNoTracking().SingleAsync(c => c.Id == later!.Id, Cancel));
        var laterVersion = await VersionOfAsync(later!.Id);
        Assert.Equal((DateOnly?)Today.AddDays(11), (await database.StoredPromiseAsync(soon!.Id)).RiskReviewOn);

        await Sweep(new FakeTimeProvider(Now.AddDays(11))).RunOnceAsync(Cancel);

        var late = await database.StoredPromiseAsync(soon.Id);
        Assert.Equal((RiskLevel.Late, (DateOnly?)Today.AddDays(12)), (late.RiskLevel, late.RiskReviewOn));
        Assert.Equal(laterVersion, await VersionOfAsync(later.Id));
        Assert.Equal(before.RiskEvaluatedAt, (await database.StoredPromiseAsync(later.Id)).RiskEvaluatedAt);
    }

    [Fact]
    public async Task A_save_made_during_the_sweep_is_kept_and_the_sweep_still_completes()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        Commitment? promise = null;
        await database.CreateDealAsync(rep, arrange: d => promise = AddPromise(d, promisedInDays: 20));
        var userSave = new UserSaveDuringTheSweep(database, promise!.Id, rep.UserId);
        var sweep = new RiskSweep(database.FactoryWith(userSave), new FakeTimeProvider(Now.AddDays(21)),
            Options.Create(new RiskSweepOptions()), NullLogger<RiskSweep>.Instance);

        var changed = await sweep.RunOnceAsync(Cancel);

        Assert.True(userSave.Saved);
        var stored = await database.StoredPromiseAsync(promise.Id);
        Assert.Equal("Ship the robot cell, with spare grippers", stored.Description);
        Assert.Equal(RiskLevel.Late, stored.RiskLevel);
        Assert.True(changed >= 1);
    }

    private Task<uint> VersionOfAsync(Guid commitmentId) =>
        database.QueryAsync(async db => db.VersionOf(await db.Commitments.SingleAsync(c => c.Id == commitmentId, Cancel)));

    /// <summary>The first time the sweep saves, a user saves the same promise first (from their own connection).</summary>
    private sealed class UserSaveDuringTheSweep(TestDatabase database, Guid commitmentId, string userId) : SaveChangesInterceptor
    {
        public bool Saved { get; private set; }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (!Saved && eventData.Context is AppDbContext { ChangedBy: "system" })
            {
                Saved = true;
                await using var user = database.CreateDbContext();
                user.ChangedBy = userId;
                user.ChangedAt = Now.AddDays(1); // on track then: only the sweep can make it late
                var commitment = await user.LoadCommitmentAsync(commitmentId, tracked: true);
                commitment.Describe("Ship the robot cell, with spare grippers", commitment.OwnerId, commitment.NeedDate);
                await user.SaveChangesAsync(cancellationToken);
            }
            return result;
        }
    }
}

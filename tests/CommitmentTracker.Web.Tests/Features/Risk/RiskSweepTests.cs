using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
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
}

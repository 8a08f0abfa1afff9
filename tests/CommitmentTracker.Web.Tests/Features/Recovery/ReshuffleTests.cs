using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Recovery;

/// <summary>
/// Reshuffle suggestions come from promises the actor may re-plan, ranked by slack then the smaller deal; choosing one
/// re-plans and re-evaluates both promises and tells the other customer, in one transaction, or changes nothing.
/// </summary>
public sealed class ReshuffleTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset WorkedAt = Now.AddHours(2);
    private static readonly DateOnly WorkedOn = DateOnly.FromDateTime(WorkedAt.UtcDateTime);

    private readonly RecoveryService _recovery = database.CreateRecoveryService(new FakeTimeProvider(WorkedAt));

    [Fact]
    public async Task Suggestions_are_open_promises_of_the_same_kind_with_enough_slack_that_the_actor_may_edit_ranked_by_slack_then_smaller_deal()
    {
        // Ours: promised in 70 days, forecast 75: needs 5 days.
        var scene = await database.CreateAtRiskSceneAsync();
        var rep = scene.Rep;
        var teammate = await database.CreateAsync(AppRoles.Rep, scene.Team);
        var stranger = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var mostSlack = await CandidateAsync(rep, needInDays: 100, plannedInDays: 50, value: 90_000m);        // slack 50
        var tieSmallDeal = await CandidateAsync(rep, needInDays: 90, plannedInDays: 50, value: 20_000m);      // slack 40
        var tieLargeDeal = await CandidateAsync(rep, needInDays: 90, plannedInDays: 50, value: 50_000m);      // slack 40
        var teammates = await CandidateAsync(teammate, needInDays: 95, plannedInDays: 50, value: 10_000m);    // slack 45, not the rep's deal
        await CandidateAsync(stranger, needInDays: 130, plannedInDays: 50, value: 1_000m);                     // slack 80, another team
        await CandidateAsync(rep, needInDays: 73, plannedInDays: 70);                                          // slack 3: too little
        await CandidateAsync(rep, promisedInDays: 53, needInDays: 100, plannedInDays: 50);                     // slack 50, but 55 > 53: would be at risk
        await CandidateAsync(rep, needInDays: 120, plannedInDays: 30, kind: CommitmentKind.Training);          // another kind
        var blocked = await CandidateAsync(rep, needInDays: 120, plannedInDays: 30);                           // slack 90, but at risk itself
        await BlockAsync(blocked, rep);
        Assert.Equal(RiskLevel.AtRisk, (await database.StoredPromiseAsync(blocked.Id)).RiskLevel);
        var closed = await CandidateAsync(rep, needInDays: 120, plannedInDays: 30);                            // slack 90, but waived
        await WaiveAsync(closed, rep);

        var forRep = (await _recovery.GetAsync(rep, scene.PlanId, Cancel)).Suggestions;
        var forManager = (await _recovery.GetAsync(scene.Manager, scene.PlanId, Cancel)).Suggestions;

        Assert.DoesNotContain(closed.Id, forRep.Select(s => s.Candidate.CommitmentId));
        Assert.DoesNotContain(blocked.Id, forRep.Select(s => s.Candidate.CommitmentId));
        Assert.Equal([mostSlack.Id, tieSmallDeal.Id, tieLargeDeal.Id], forRep.Select(s => s.Candidate.CommitmentId));
        Assert.Equal([50, 40, 40], forRep.Select(s => s.Candidate.SlackDays));
        Assert.Equal([45, 35, 35], forRep.Select(s => s.Candidate.SlackAfterDays));
        Assert.Equal(mostSlack.PromisedDate, forRep[0].PromisedDate);
        Assert.Equal(Today.AddDays(55), forRep[0].Candidate.NewForecast);
        Assert.Equal([mostSlack.Id, teammates.Id, tieSmallDeal.Id, tieLargeDeal.Id], forManager.Select(s => s.Candidate.CommitmentId));
    }

    [Fact]
    public async Task Choosing_a_reshuffle_replans_and_reevaluates_both_promises_and_adds_a_task_to_inform_the_other_customer()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        // Slack 28 days; after giving 5 its forecast is 3 days before its promised date: Watch.
        var other = await CandidateAsync(scene.Rep, needInDays: 90, plannedInDays: 62);
        Assert.Equal(RiskLevel.OnTrack, (await database.StoredPromiseAsync(other.Id)).RiskLevel);
        var suggestion = Assert.Single((await _recovery.GetAsync(scene.Rep, scene.PlanId, Cancel)).Suggestions);
        Assert.Equal(other.Id, suggestion.Candidate.CommitmentId);
        var optionId = await AddReshuffleOptionAsync(scene, other.Id);
        var ours = await database.StoredPromiseAsync(scene.Promise.Id);

        await _recovery.ChooseOptionAsync(scene.Rep, scene.PlanId, await database.PlanVersionAsync(scene.PlanId), optionId, Cancel);

        var oursAfter = await database.StoredPromiseAsync(scene.Promise.Id);
        var otherAfter = await database.StoredPromiseAsync(other.Id);
        Assert.Equal(ours.Milestones.Select(m => m.ExpectedDate.AddDays(-TestRecovery.SlipDays)), oursAfter.Milestones.Select(m => m.ExpectedDate));
        Assert.Equal(scene.Promise.PromisedDate, oursAfter.Forecast);
        Assert.Equal(Today.AddDays(67), otherAfter.Forecast);
        Assert.All(oursAfter.Milestones.Concat(otherAfter.Milestones), m =>
            Assert.Contains(m.Updates, u => u.At == WorkedAt && u.ByUserId == scene.Rep.UserId && u.Note!.StartsWith("Reshuffle:", StringComparison.Ordinal)));
        Assert.Equal((RiskLevel.Watch, (DateTimeOffset?)WorkedAt), (oursAfter.RiskLevel, oursAfter.RiskEvaluatedAt));
        Assert.Equal((RiskLevel.Watch, (DateTimeOffset?)WorkedAt), (otherAfter.RiskLevel, otherAfter.RiskEvaluatedAt));
        var task = Assert.Single(await ReshuffleTouchpointsAsync(other.DealId));
        Assert.Equal((other.Id, WorkedOn, true), (task.CommitmentId, task.DueOn, task.IsOpen));
        Assert.Empty(await ReshuffleTouchpointsAsync(scene.Deal.Id));
        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.Equal(optionId, plan.ChosenOption?.Id);
        Assert.Equal(WorkedAt, plan.Step(RecoveryStepKind.Options).DoneAt);
        Assert.Empty((await _recovery.GetAsync(scene.Rep, scene.PlanId, Cancel)).Suggestions);
    }

    [Fact]
    public async Task A_reshuffle_refused_because_the_other_promise_lost_its_slack_meanwhile_changes_nothing()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var other = await CandidateAsync(scene.Rep, needInDays: 90, plannedInDays: 50);
        var optionId = await AddReshuffleOptionAsync(scene, other.Id);
        // Meanwhile the other delivery slips: 68 + 5 would pass its promised date 70.
        await database.SetForecastAsync(other.Id, Today.AddDays(68), Now.AddHours(1), scene.Rep.UserId);
        var before = await SnapshotAsync(scene, other);

        var ex = await Assert.ThrowsAsync<DomainException>(async () =>
            await _recovery.ChooseOptionAsync(scene.Rep, scene.PlanId, await database.PlanVersionAsync(scene.PlanId), optionId, Cancel));

        Assert.Contains($"does not have {TestRecovery.SlipDays} days of slack", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(scene, other));
        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.Null(plan.ChosenOption);
        Assert.Null(plan.Step(RecoveryStepKind.Options).DoneAt);
        Assert.Equal(RiskLevel.AtRisk, (await database.StoredPromiseAsync(scene.Promise.Id)).RiskLevel);
    }

    [Fact]
    public async Task A_reshuffle_with_a_promise_that_became_at_risk_meanwhile_is_refused_and_changes_nothing()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var other = await CandidateAsync(scene.Rep, needInDays: 120, plannedInDays: 30);
        var optionId = await AddReshuffleOptionAsync(scene, other.Id);
        // Plenty of slack on paper, but its milestone is blocked now: it is at risk itself.
        await BlockAsync(other, scene.Rep);
        Assert.Equal(RiskLevel.AtRisk, (await database.StoredPromiseAsync(other.Id)).RiskLevel);
        var before = await SnapshotAsync(scene, other);

        var ex = await Assert.ThrowsAsync<DomainException>(async () =>
            await _recovery.ChooseOptionAsync(scene.Rep, scene.PlanId, await database.PlanVersionAsync(scene.PlanId), optionId, Cancel));

        Assert.Contains("at risk itself", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(scene, other));
        Assert.Null((await database.LoadPlanAsync(scene.PlanId)).ChosenOption);
    }

    [Fact]
    public async Task A_reshuffle_chosen_on_a_plan_someone_changed_meanwhile_replans_neither_promise()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var other = await CandidateAsync(scene.Rep, needInDays: 90, plannedInDays: 50);
        var optionId = await AddReshuffleOptionAsync(scene, other.Id);
        var seenByRep = await database.PlanVersionAsync(scene.PlanId);
        await _recovery.SetNotesAsync(scene.Manager, scene.PlanId, seenByRep, RecoveryStepKind.Options, "Ask Contoso first.", Cancel);
        var before = await SnapshotAsync(scene, other);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _recovery.ChooseOptionAsync(scene.Rep, scene.PlanId, seenByRep, optionId, Cancel));

        Assert.Equal(before, await SnapshotAsync(scene, other));
        Assert.Null((await database.LoadPlanAsync(scene.PlanId)).ChosenOption);
    }

    [Fact]
    public async Task A_reshuffle_option_with_a_promise_of_a_deal_the_actor_cannot_see_is_refused_and_reveals_nothing()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var stranger = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var foreign = await CandidateAsync(stranger, needInDays: 120, plannedInDays: 30);
        var before = await SnapshotAsync(scene, foreign);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => AddReshuffleOptionAsync(scene, foreign.Id));

        Assert.Equal(before, await SnapshotAsync(scene, foreign));
        var view = await _recovery.GetAsync(scene.Rep, scene.PlanId, Cancel);
        Assert.Empty(view.Plan.Options);
        Assert.DoesNotContain(view.Suggestions, s => s.Candidate.CommitmentId == foreign.Id);
        Assert.Empty(view.OptionPromises);
    }

    [Fact]
    public async Task When_the_database_refuses_the_last_row_of_a_reshuffle_nothing_of_it_is_saved()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var other = await CandidateAsync(scene.Rep, needInDays: 100, plannedInDays: 50);
        var optionId = await AddReshuffleOptionAsync(scene, other.Id);
        var before = await SnapshotAsync(scene, other);
        // The touchpoint for the other customer is written after both promises' milestones: make the database refuse it.
        await database.AsOwnerAsync(db => db.Database.ExecuteSqlRawAsync("""
            CREATE FUNCTION refuse_reshuffle_touchpoint() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.kind = 'InformOfReshuffle' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_reshuffle_touchpoint BEFORE INSERT ON touchpoints FOR EACH ROW EXECUTE FUNCTION refuse_reshuffle_touchpoint();
            """, Cancel));
        try
        {
            await Assert.ThrowsAnyAsync<DbUpdateException>(async () =>
                await _recovery.ChooseOptionAsync(scene.Rep, scene.PlanId, await database.PlanVersionAsync(scene.PlanId), optionId, Cancel));
        }
        finally
        {
            await database.AsOwnerAsync(db => db.Database.ExecuteSqlRawAsync(
                "DROP TRIGGER refuse_reshuffle_touchpoint ON touchpoints; DROP FUNCTION refuse_reshuffle_touchpoint();", Cancel));
        }

        Assert.Equal(before, await SnapshotAsync(scene, other));
        Assert.Null((await database.LoadPlanAsync(scene.PlanId)).ChosenOption);
        Assert.Empty(await ReshuffleTouchpointsAsync(other.DealId));
    }

    /// <summary>A delivery of <paramref name="owner"/> with one milestone planned in <paramref name="plannedInDays"/>; slack = need - planned.</summary>
    private async Task<Commitment> CandidateAsync(
        Actor owner, int needInDays, int plannedInDays, int promisedInDays = 70, decimal value = 10_000m, CommitmentKind kind = CommitmentKind.Delivery)
    {
        var (_, promise) = await database.CreateMilestonedPromiseAsync(owner, promisedInDays, needInDays, [plannedInDays], kind, value,
            description: $"Delivery with {needInDays - plannedInDays} days of slack");
        return promise;
    }

    private async Task BlockAsync(Commitment promise, Actor by) =>
        await database.QueryAsync(async db =>
        {
            var tracked = await db.LoadCommitmentAsync(promise.Id, tracked: true);
            var milestone = tracked.Milestones[0];
            tracked.UpdateMilestone(milestone.Id, new MilestoneChange(MilestoneStatus.Blocked, milestone.PlannedDate, Reason: "Waiting for the site survey"), by.UserId, Now, Today);
            return await db.SaveChangesAsync(Cancel);
        });

    private async Task WaiveAsync(Commitment promise, Actor by) =>
        await database.QueryAsync(async db =>
        {
            var deal = await db.LoadDealAsync(promise.DealId, tracked: true);
            deal.WaiveCommitment(promise.Id, "The customer cancelled the second cell.", by.UserId, Now);
            return await db.SaveChangesAsync(Cancel);
        });

    private async Task<Guid> AddReshuffleOptionAsync(RecoveryScene scene, Guid otherCommitmentId)
    {
        await _recovery.AddOptionAsync(scene.Rep, scene.PlanId, await database.PlanVersionAsync(scene.PlanId),
            new OptionInput { Kind = RecoveryOptionKind.Reshuffle, Description = "Take 5 days from another delivery", ReshuffleWithCommitmentId = otherCommitmentId }, Cancel);
        return Assert.Single((await database.LoadPlanAsync(scene.PlanId)).Options).Id;
    }

    private Task<List<Touchpoint>> ReshuffleTouchpointsAsync(Guid dealId) =>
        database.QueryAsync(db => db.Touchpoints.AsNoTracking().Where(t => t.DealId == dealId && t.Kind == TouchpointKind.InformOfReshuffle).ToListAsync(Cancel));

    /// <summary>Everything a reshuffle would touch, in a comparable form.</summary>
    private async Task<string> SnapshotAsync(RecoveryScene scene, Commitment other)
    {
        var ids = new[] { scene.Promise.Id, other.Id };
        var milestones = await database.QueryAsync(db => db.Milestones.AsNoTracking().Include(m => m.Updates)
            .Where(m => ids.Contains(m.CommitmentId)).OrderBy(m => m.Id).ToListAsync(Cancel));
        var levels = await database.QueryAsync(db => db.Commitments.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id)
            .Select(c => new { c.RiskLevel, c.RiskEvaluatedAt }).ToListAsync(Cancel));
        var touchpoints = await database.QueryAsync(db => db.Touchpoints.CountAsync(t => t.DealId == other.DealId || t.DealId == scene.Deal.Id, Cancel));
        var version = await database.PlanVersionAsync(scene.PlanId);
        return string.Join(" | ",
            string.Join(", ", milestones.Select(m => $"{m.Id}:{m.ForecastDate}:{m.Status}:{m.Updates.Count}")),
            string.Join(", ", levels.Select(l => $"{l.RiskLevel}@{l.RiskEvaluatedAt:O}")),
            $"touchpoints {touchpoints}",
            $"plan version {version}");
    }
}

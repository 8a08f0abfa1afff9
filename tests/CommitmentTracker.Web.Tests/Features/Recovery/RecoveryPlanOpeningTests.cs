using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Features.Alerts;
using CommitmentTracker.Web.Tests.Features.Fulfilment;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Features.Fulfilment.TestMilestones;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Recovery;

/// <summary>A recovery plan opens by itself once per rise to AtRisk or Late, in the save that raises the promise; by hand at any level.</summary>
public sealed class RecoveryPlanOpeningTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly RecoveryStepKind[] RepSteps =
        [RecoveryStepKind.MakeRoom, RecoveryStepKind.Options, RecoveryStepKind.TellCustomer, RecoveryStepKind.Apologise];

    private static readonly RecoveryStepKind[] ManagerSteps =
        [RecoveryStepKind.AlertManager, RecoveryStepKind.Comfort, RecoveryStepKind.Compensate];

    private RiskSweep Sweep(TimeProvider clock) =>
        new(database, clock, Options.Create(new RiskSweepOptions()), NullLogger<RiskSweep>.Instance);

    [Fact]
    public async Task A_milestone_update_that_raises_a_promise_to_at_risk_opens_a_plan_in_the_same_save_with_default_owners_and_the_tell_customer_hours_of_the_settings()
    {
        await database.SetTellCustomerWithinHoursAsync(6);
        try
        {
            var (team, manager) = await database.CreateManagedTeamAsync();
            var rep = await database.CreateAsync(AppRoles.Rep, team);
            var svea = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
            // The promise is owned by service staff: the plan's steps still go to the deal's rep and the team's manager.
            var (deal, promise) = await database.CreateMilestonedPromiseAsync(rep, ownerId: svea.UserId);
            var detectedAt = Now.AddHours(3);
            var fulfilment = database.CreateFulfilmentService(new FakeTimeProvider(detectedAt));
            var last = promise.Milestones[^1];
            Assert.Empty(await database.PlansOfAsync(promise.Id));

            await fulfilment.UpdateAsync(svea, await database.RefAsync(last.Id), InProgress(promise.PromisedDate.AddDays(4), "Gearbox ships late"), Cancel);

            var stored = await database.StoredPromiseAsync(promise.Id);
            var plan = Assert.Single(await database.PlansOfAsync(promise.Id));
            Assert.Equal((RiskLevel.AtRisk, (DateTimeOffset?)detectedAt), (stored.RiskLevel, stored.RiskSince));
            Assert.Equal((deal.Id, RiskLevel.AtRisk, detectedAt, detectedAt, detectedAt), (plan.DealId, plan.Level, plan.DetectedAt, plan.OpenedAt, plan.ManagerAlertedAt));
            Assert.Null(plan.OpenedBy);
            Assert.False(plan.IsClosed);
            Assert.All(RepSteps, k => Assert.Equal(rep.UserId, plan.Step(k).OwnerId));
            Assert.All(ManagerSteps, k => Assert.Equal(manager.UserId, plan.Step(k).OwnerId));
            Assert.Null(plan.Step(RecoveryStepKind.AlertManager).DoneAt); // done when the manager acknowledges
            Assert.Equal(detectedAt.AddHours(4), plan.Step(RecoveryStepKind.AlertManager).DueAt);
            // Working hours of the team's (default) calendar, 09:00-17:00 UTC: 13:00 + 6 is 4 on Monday and 2 on Tuesday.
            Assert.Equal(new DateTimeOffset(2026, 3, 3, 11, 0, 0, TimeSpan.Zero), plan.Step(RecoveryStepKind.TellCustomer).DueAt);
            Assert.Equal(RecoveryStepKind.MakeRoom, plan.NextStep?.Kind);
        }
        finally
        {
            await database.SetTellCustomerWithinHoursAsync(RecoverySettings.DefaultTellCustomerWithinHours);
        }
    }

    [Fact]
    public async Task A_raising_update_that_is_refused_on_save_leaves_no_plan_behind()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, (await database.CreateManagedTeamAsync()).Team);
        var svea = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var olaf = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var (_, promise) = await database.CreateMilestonedPromiseAsync(rep);
        var fulfilment = database.CreateFulfilmentService(new FakeTimeProvider(Now.AddHours(1)));
        var seenByBoth = await database.RefAsync(promise.Milestones[^1].Id);
        await fulfilment.UpdateAsync(svea, seenByBoth, InProgress(note: "Started"), Cancel);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            fulfilment.UpdateAsync(olaf, seenByBoth, InProgress(promise.PromisedDate.AddDays(9)), Cancel));

        Assert.Equal(RiskLevel.OnTrack, (await database.StoredPromiseAsync(promise.Id)).RiskLevel);
        Assert.Empty(await database.PlansOfAsync(promise.Id));
    }

    [Fact]
    public async Task Rising_further_from_at_risk_to_late_does_not_open_a_second_plan()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var (_, promise) = await database.CreateMilestonedPromiseAsync(rep, promisedInDays: 30, needInDays: 40);
        await database.RaiseToAtRiskAsync(promise, Now, rep.UserId);
        var first = Assert.Single(await database.PlansOfAsync(promise.Id));

        await Sweep(new FakeTimeProvider(Now.AddDays(31))).RunOnceAsync(Cancel);

        var stored = await database.StoredPromiseAsync(promise.Id);
        Assert.Equal(RiskLevel.Late, stored.RiskLevel);
        // It did rise (the owner was alerted of Late), yet the open plan carries on.
        Assert.True(await database.QueryAsync(db => db.Alerts.AnyAsync(a => a.CommitmentId == promise.Id && a.Level == RiskLevel.Late, Cancel)));
        var plan = Assert.Single(await database.PlansOfAsync(promise.Id));
        Assert.Equal((first.Id, RiskLevel.AtRisk, Now), (plan.Id, plan.Level, plan.DetectedAt));
    }

    [Fact]
    public async Task Further_saves_while_the_promise_stays_at_risk_do_not_open_another_plan()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var (_, promise) = await database.CreateMilestonedPromiseAsync(rep);
        await database.RaiseToAtRiskAsync(promise, Now, rep.UserId);

        await database.SetForecastAsync(promise.Id, promise.PromisedDate.AddDays(8), Now.AddHours(1), rep.UserId);
        await database.SetForecastAsync(promise.Id, promise.PromisedDate.AddDays(12), Now.AddHours(2), rep.UserId);

        var stored = await database.StoredPromiseAsync(promise.Id);
        Assert.Equal((RiskLevel.AtRisk, (DateTimeOffset?)Now.AddHours(2)), (stored.RiskLevel, stored.RiskEvaluatedAt));
        Assert.Equal(Now, Assert.Single(await database.PlansOfAsync(promise.Id)).DetectedAt);
    }

    [Fact]
    public async Task A_promise_that_recovers_and_slips_again_while_its_plan_is_open_keeps_that_one_plan()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var (_, promise) = await database.CreateMilestonedPromiseAsync(rep);
        await database.RaiseToAtRiskAsync(promise, Now, rep.UserId);
        await database.SetForecastAsync(promise.Id, promise.PromisedDate.AddDays(-20), Now.AddHours(1), rep.UserId);
        Assert.Equal(RiskLevel.OnTrack, (await database.StoredPromiseAsync(promise.Id)).RiskLevel);

        await database.RaiseToAtRiskAsync(promise, Now.AddHours(2), rep.UserId);

        Assert.Equal(RiskLevel.AtRisk, (await database.StoredPromiseAsync(promise.Id)).RiskLevel);
        Assert.Equal(Now, Assert.Single(await database.PlansOfAsync(promise.Id)).DetectedAt);
    }

    [Fact]
    public async Task After_the_plan_is_closed_a_new_rise_opens_a_second_plan_but_staying_at_risk_does_not()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var recovery = database.CreateRecoveryService(new FakeTimeProvider(Now.AddDays(1)));
        await recovery.CloseAsync(scene.Manager, scene.PlanId, await database.PlanVersionAsync(scene.PlanId),
            new CloseInput { RootCause = RootCause.UnexpectedDeliveryProblem, Department = Department.Fulfilment, Lesson = "Order the gearbox at verbal." }, Cancel);

        // Still at risk after the close: not a rise, so no new plan.
        await database.SetForecastAsync(scene.Promise.Id, scene.Promise.PromisedDate.AddDays(7), Now.AddDays(1).AddHours(1), scene.Rep.UserId);
        Assert.Single(await database.PlansOfAsync(scene.Promise.Id));

        await database.SetForecastAsync(scene.Promise.Id, scene.Promise.PromisedDate.AddDays(-1), Now.AddDays(2), scene.Rep.UserId);
        Assert.Equal(RiskLevel.Watch, (await database.StoredPromiseAsync(scene.Promise.Id)).RiskLevel);
        await database.RaiseToAtRiskAsync(scene.Promise, Now.AddDays(3), scene.Rep.UserId);

        var plans = await database.PlansOfAsync(scene.Promise.Id);
        Assert.Equal(2, plans.Count);
        Assert.Equal((scene.PlanId, true), (plans[0].Id, plans[0].IsClosed));
        Assert.Equal((false, Now.AddDays(3), RiskLevel.AtRisk), (plans[1].IsClosed, plans[1].DetectedAt, plans[1].Level));
        Assert.Equal(scene.Manager.UserId, plans[1].Step(RecoveryStepKind.Comfort).OwnerId);
    }

    [Fact]
    public async Task The_risk_sweep_opens_a_plan_when_time_alone_makes_a_promise_late()
    {
        var (team, manager) = await database.CreateManagedTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        Commitment? promise = null;
        await database.CreateDealAsync(rep, arrange: d => promise = AddPromise(d, promisedInDays: 30));
        Assert.Empty(await database.PlansOfAsync(promise!.Id));
        var clock = new FakeTimeProvider(Now.AddDays(31));

        await Sweep(clock).RunOnceAsync(Cancel);

        var plan = Assert.Single(await database.PlansOfAsync(promise.Id));
        Assert.Equal((RiskLevel.Late, clock.GetUtcNow(), (string?)null), (plan.Level, plan.DetectedAt, plan.OpenedBy));
        Assert.Equal(rep.UserId, plan.Step(RecoveryStepKind.TellCustomer).OwnerId);
        Assert.Equal(manager.UserId, plan.Step(RecoveryStepKind.Compensate).OwnerId);
        Assert.Equal(RiskLevel.Late, (await database.StoredPromiseAsync(promise.Id)).RiskLevel);
    }

    [Fact]
    public async Task A_customer_promise_never_gets_a_plan_even_when_it_is_overdue()
    {
        var (team, manager) = await database.CreateManagedTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        Commitment? ours = null;
        Commitment? theirs = null;
        await database.CreateDealAsync(rep, arrange: d =>
        {
            ours = AddPromise(d, promisedInDays: 70);
            theirs = d.AddCommitment(
                new CommitmentDraft(CommitmentDirection.Theirs, CommitmentKind.Other, "Send the floor plans", rep.UserId, Department.Customer, Today.AddDays(10), null),
                LeadTimes.Defaults, rep.UserId, Now, Today);
        });
        var clock = new FakeTimeProvider(Now.AddDays(12));

        // The customer's promise is now overdue, which puts ours at risk.
        await Sweep(clock).RunOnceAsync(Cancel);

        Assert.Equal(CommitmentStatus.Broken, (await database.StoredPromiseAsync(theirs!.Id)).Status);
        Assert.Equal(RiskLevel.AtRisk, (await database.StoredPromiseAsync(ours!.Id)).RiskLevel);
        Assert.Single(await database.PlansOfAsync(ours.Id));
        Assert.Empty(await database.PlansOfAsync(theirs.Id));
        var refusal = await Assert.ThrowsAsync<DomainException>(() => database.CreateRecoveryService(clock).OpenAsync(manager, theirs.Id, Cancel));
        Assert.Contains("our promises", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(await database.PlansOfAsync(theirs.Id));
    }

    [Fact]
    public async Task Opening_by_hand_works_for_a_promise_on_track_and_a_later_rise_keeps_that_plan()
    {
        var (team, manager) = await database.CreateManagedTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var (_, promise) = await database.CreateMilestonedPromiseAsync(rep);
        var openedAt = Now.AddHours(2);

        var planId = await database.CreateRecoveryService(new FakeTimeProvider(openedAt)).OpenAsync(rep, promise.Id, Cancel);

        var plan = Assert.Single(await database.PlansOfAsync(promise.Id));
        Assert.Equal((planId, RiskLevel.OnTrack, rep.UserId, openedAt), (plan.Id, plan.Level, plan.OpenedBy, plan.DetectedAt));
        // 24 working hours from Monday 12:00 UTC on the default calendar: Mon 5, Tue 8, Wed 8, Thu 3.
        Assert.Equal(new DateTimeOffset(2026, 3, 5, 12, 0, 0, TimeSpan.Zero), plan.Step(RecoveryStepKind.TellCustomer).DueAt);
        Assert.All(RepSteps, k => Assert.Equal(rep.UserId, plan.Step(k).OwnerId));
        Assert.All(ManagerSteps, k => Assert.Equal(manager.UserId, plan.Step(k).OwnerId));
        // The manager is alerted at once (bell and mail).
        var alert = Assert.Single(await database.QueryAsync(db => db.Alerts.AsNoTracking().Where(a => a.CommitmentId == promise.Id).ToListAsync(Cancel)));
        Assert.Equal((manager.UserId, openedAt), (alert.RecipientId, alert.DetectedAt));
        Assert.StartsWith("Recovery plan opened by", alert.Title, StringComparison.Ordinal);

        await database.RaiseToAtRiskAsync(promise, Now.AddHours(3), rep.UserId);

        Assert.Equal(RiskLevel.AtRisk, (await database.StoredPromiseAsync(promise.Id)).RiskLevel);
        Assert.Equal(planId, Assert.Single(await database.PlansOfAsync(promise.Id)).Id);
    }

    [Fact]
    public async Task Opening_by_hand_returns_the_plan_already_open_for_the_promise()
    {
        var scene = await database.CreateAtRiskSceneAsync();

        var planId = await database.CreateRecoveryService(new FakeTimeProvider(Now.AddHours(1))).OpenAsync(scene.Manager, scene.Promise.Id, Cancel);

        Assert.Equal(scene.PlanId, planId);
        Assert.Single(await database.PlansOfAsync(scene.Promise.Id));
    }

    [Fact]
    public async Task Opening_by_hand_a_promise_at_risk_for_days_counts_from_when_it_became_at_risk()
    {
        var scene = await database.CreateAtRiskSceneAsync(detectedAt: Now);
        var recovery = database.CreateRecoveryService(new FakeTimeProvider(Now.AddDays(3)));
        await recovery.CloseAsync(scene.Manager, scene.PlanId, await database.PlanVersionAsync(scene.PlanId),
            new CloseInput { RootCause = RootCause.Other, Department = Department.Sales, Lesson = "Opened too early." }, Cancel);

        var planId = await recovery.OpenAsync(scene.Rep, scene.Promise.Id, Cancel);

        var plan = (await database.PlansOfAsync(scene.Promise.Id)).Single(p => p.Id == planId);
        Assert.Equal((Now, Now.AddDays(3)), (plan.DetectedAt, plan.OpenedAt));
    }

    [Fact]
    public async Task Opening_by_hand_is_refused_for_a_closed_promise()
    {
        var (team, manager) = await database.CreateManagedTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        Commitment? waived = null;
        Commitment? kept = null;
        await database.CreateDealAsync(rep, arrange: d =>
        {
            waived = AddPromise(d, CommitmentKind.Training, description: "Train the operators");
            d.WaiveCommitment(waived.Id, "The customer trains their own people.", rep.UserId, Now);
            kept = AddPromise(d, CommitmentKind.Support, description: "Hotline for the first month");
            kept.Complete(Today, Today);
        });
        var recovery = database.CreateRecoveryService(new FakeTimeProvider(Now.AddHours(1)));

        var refusals = new[]
        {
            await Assert.ThrowsAsync<DomainException>(() => recovery.OpenAsync(manager, waived!.Id, Cancel)),
            await Assert.ThrowsAsync<DomainException>(() => recovery.OpenAsync(rep, kept!.Id, Cancel)),
        };

        Assert.All(refusals, r => Assert.Contains("closed", r.Message, StringComparison.Ordinal));
        Assert.Empty(await database.PlansOfAsync(waived!.Id));
        Assert.Empty(await database.PlansOfAsync(kept!.Id));
    }

    [Fact]
    public async Task A_rep_or_manager_of_another_team_cannot_open_a_plan_on_that_teams_promise()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var (_, promise) = await database.CreateMilestonedPromiseAsync(rep);
        var (otherTeam, otherManager) = await database.CreateManagedTeamAsync();
        var otherRep = await database.CreateAsync(AppRoles.Rep, otherTeam);
        var recovery = database.CreateRecoveryService(new FakeTimeProvider(Now.AddHours(1)));

        await Assert.ThrowsAsync<RecordNotFoundException>(() => recovery.OpenAsync(otherRep, promise.Id, Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => recovery.OpenAsync(otherManager, promise.Id, Cancel));

        Assert.Empty(await database.PlansOfAsync(promise.Id));
    }
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Persistence;

/// <summary>A recovery plan is written with one context and read back with a fresh one: nothing is lost on PostgreSQL.</summary>
public sealed class RecoveryPlanRoundTripTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Detected = Now.AddHours(-2);

    [Fact]
    public async Task A_worked_and_closed_plan_keeps_its_steps_options_compensation_and_root_cause()
    {
        var (rep, manager, promise) = await PromiseAsync();
        var plan = RecoveryPlan.Open(promise.Id, promise.DealId, Detected, RiskLevel.AtRisk, RecoverySettings.Default(rep.UserId, manager.UserId), Now);
        plan.RecordMakeRoom(Today.AddDays(80), Today.AddDays(75), Now);
        plan.AddOption(RecoveryOptionKind.LoanOrDemoUnit, "Lend the demo cell from the showroom", Now);
        var partial = plan.AddOption(RecoveryOptionKind.PartialDelivery, "Ship the conveyor first, the robot later", Now.AddMinutes(5));
        plan.ChooseOption(partial.Id, Now.AddMinutes(10));
        plan.AcknowledgeByManager(manager.UserId, Now.AddMinutes(15));
        var call = Guid.NewGuid();
        plan.TellCustomer(call, Now.AddHours(1));
        plan.RecordComfort("A technician on site twice a week", "Manager called Hannah Berg on 2 March", Now.AddHours(2));
        plan.SetNotes(RecoveryStepKind.Comfort, "Hannah was calm once she heard the plan.");
        plan.PresentSolution(accepted: true, Now.AddHours(3));
        plan.Apologise(customerForgave: true, Now.AddHours(4));
        plan.Compensate("Two days of on-site training", 2_400.50m, 1_800.25m, 1_500m, 1_000m, Now.AddHours(5));
        plan.ApproveCompensation(manager.UserId, Now.AddHours(6));
        plan.Close(RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, "Order the long-lead parts at verbal, not at PO.", Now.AddDays(1));
        await SaveAsync(plan);

        var loaded = await database.QueryAsync(db => LoadAsync(db, plan.Id));

        Assert.Equal((promise.Id, promise.DealId, RiskLevel.AtRisk), (loaded.CommitmentId, loaded.DealId, loaded.Level));
        Assert.Equal((Detected, Now, Now), (loaded.DetectedAt, loaded.OpenedAt, loaded.ManagerAlertedAt));
        Assert.Equal((Today.AddDays(80), Today.AddDays(75), false), (loaded.ForecastDate, loaded.NeedDate, loaded.BufferAbsorbsSlip));
        Assert.Equal((manager.UserId, Now.AddMinutes(15)), (loaded.ManagerAcknowledgedBy, loaded.ManagerAcknowledgedAt));
        Assert.Equal((call, Now.AddHours(1)), (loaded.CustomerToldCommunicationId, loaded.CustomerToldAt));
        Assert.Equal(("A technician on site twice a week", "Manager called Hannah Berg on 2 March"), (loaded.OfferedMeanwhile, loaded.ManagerContact));
        Assert.Equal((Now.AddHours(3), true, true), (loaded.SolutionPresentedAt, loaded.SolutionAccepted, loaded.CustomerForgave));
        Assert.Equal(new Compensation("Two days of on-site training", 2_400.50m, 1_800.25m, 1_500m, 1_000m), loaded.Compensation);
        Assert.Equal((manager.UserId, Now.AddHours(6)), (loaded.CompensationApprovedBy, loaded.CompensationApprovedAt));
        Assert.Equal((RootCause.UnexpectedDeliveryProblem, Department.Fulfilment), (loaded.RootCause, loaded.RootCauseDepartment));
        Assert.Equal("Order the long-lead parts at verbal, not at PO.", loaded.Lesson);
        Assert.True(loaded.IsClosed);
        Assert.Equal((TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(26)), (loaded.DetectionToManagerAlerted, loaded.DetectionToCustomerTold, loaded.DetectionToResolved));

        Assert.Equal(Enum.GetValues<RecoveryStepKind>(), loaded.Steps.Select(s => s.Kind));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], loaded.Steps.Select(s => s.Position));
        Assert.All(loaded.Steps, s => Assert.True(s.IsDone, $"{s.Kind} should be done"));
        Assert.Equal(plan.Steps.Select(s => (s.Id, s.OwnerId, s.DueAt, s.DoneAt, s.Notes)), loaded.Steps.Select(s => (s.Id, s.OwnerId, s.DueAt, s.DoneAt, s.Notes)));
        Assert.Equal("Hannah was calm once she heard the plan.", loaded.Step(RecoveryStepKind.Comfort).Notes);
        Assert.Equal(Detected.AddHours(RecoverySettings.DefaultTellCustomerWithinHours), loaded.Step(RecoveryStepKind.TellCustomer).DueAt);

        Assert.Equal(2, loaded.Options.Count);
        Assert.Equal(partial.Id, loaded.ChosenOption?.Id);
        Assert.Equal((RecoveryOptionKind.PartialDelivery, "Ship the conveyor first, the robot later", Now.AddMinutes(5)), (loaded.ChosenOption!.Kind, loaded.ChosenOption.Description, loaded.ChosenOption.AddedAt));
    }

    [Fact]
    public async Task A_fresh_plan_has_no_compensation_and_a_reshuffle_option_keeps_the_other_promise()
    {
        var (rep, manager, promise) = await PromiseAsync();
        var other = Guid.NewGuid();
        var plan = RecoveryPlan.Open(promise.Id, promise.DealId, Detected, RiskLevel.Late, RecoverySettings.Default(rep.UserId, manager.UserId), Now);
        plan.AddOption(RecoveryOptionKind.Reshuffle, "Take 5 days of slack from the Contoso cell", Now, other);
        await SaveAsync(plan);

        var loaded = await database.QueryAsync(db => LoadAsync(db, plan.Id));

        Assert.Null(loaded.Compensation);
        Assert.False(loaded.IsClosed);
        Assert.Equal(RecoveryStepKind.MakeRoom, loaded.NextStep?.Kind);
        Assert.Null(loaded.Step(RecoveryStepKind.AlertManager).DoneAt);
        Assert.Equal(Now, loaded.ManagerAlertedAt);
        var option = Assert.Single(loaded.Options);
        Assert.Equal((RecoveryOptionKind.Reshuffle, other, false), (option.Kind, option.ReshuffleWithCommitmentId, option.IsChosen));
    }

    [Fact]
    public async Task Work_on_a_loaded_plan_adds_new_options_and_updates_its_steps()
    {
        var (rep, manager, promise) = await PromiseAsync();
        var plan = RecoveryPlan.Open(promise.Id, promise.DealId, Detected, RiskLevel.AtRisk, RecoverySettings.Default(rep.UserId, manager.UserId), Now);
        await SaveAsync(plan);

        await using (var db = database.CreateDbContext())
        {
            var tracked = await db.RecoveryPlans.Include(p => p.Steps).Include(p => p.Options).SingleAsync(p => p.Id == plan.Id, Cancel);
            var option = tracked.AddOption(RecoveryOptionKind.AnotherSource, "Buy the gripper from the second supplier", Now.AddHours(1));
            tracked.ChooseOption(option.Id, Now.AddHours(1));
            tracked.AssignStep(RecoveryStepKind.Comfort, rep.UserId);
            await db.SaveChangesAsync(Cancel);
        }

        var loaded = await database.QueryAsync(db => LoadAsync(db, plan.Id));
        Assert.Equal("Buy the gripper from the second supplier", loaded.ChosenOption?.Description);
        Assert.Equal(Now.AddHours(1), loaded.Step(RecoveryStepKind.Options).DoneAt);
        Assert.Equal(rep.UserId, loaded.Step(RecoveryStepKind.Comfort).OwnerId);
    }

    [Fact]
    public async Task A_promise_has_at_most_one_open_plan_but_may_have_closed_ones()
    {
        var (rep, manager, promise) = await PromiseAsync();
        var settings = RecoverySettings.Default(rep.UserId, manager.UserId);
        var closed = RecoveryPlan.Open(promise.Id, promise.DealId, Detected, RiskLevel.AtRisk, settings, Now);
        closed.Close(RootCause.CustomerSideDelay, Department.Customer, "Confirm the site is ready a week ahead.", Now);
        await SaveAsync(closed);
        await SaveAsync(RecoveryPlan.Open(promise.Id, promise.DealId, Detected, RiskLevel.AtRisk, settings, Now));

        await Assert.ThrowsAsync<DbUpdateException>(() => SaveAsync(RecoveryPlan.Open(promise.Id, promise.DealId, Detected, RiskLevel.Late, settings, Now)));

        Assert.Equal(2, await database.QueryAsync(db => db.RecoveryPlans.CountAsync(p => p.CommitmentId == promise.Id, Cancel)));
    }

    private async Task<(Actor Rep, Actor Manager, Commitment Promise)> PromiseAsync()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var manager = await database.CreateAsync(AppRoles.Manager);
        Commitment? promise = null;
        await database.CreateDealAsync(rep, arrange: deal => promise = AddPromise(deal));
        return (rep, manager, promise!);
    }

    private async Task SaveAsync(RecoveryPlan plan)
    {
        await using var db = database.CreateDbContext();
        db.ChangedAt = Now;
        db.RecoveryPlans.Add(plan);
        await db.SaveChangesAsync(Cancel);
    }

    private static Task<RecoveryPlan> LoadAsync(AppDbContext db, Guid planId) =>
        db.RecoveryPlans.AsNoTracking().AsSplitQuery()
            .Include(p => p.Steps.OrderBy(s => s.Position))
            .Include(p => p.Options.OrderBy(o => o.AddedAt))
            .SingleAsync(p => p.Id == planId, Cancel);
}

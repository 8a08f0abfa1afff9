using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Features.Fulfilment.TestMilestones;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Recovery;

/// <summary>A recovery step past its due time goes once to the next manager up (or an admin); closed plans are left alone.</summary>
public sealed class RecoveryEscalationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    // With detection at Now: Make room and Alert the manager (the manager's acknowledgement) are due after 4 hours,
    // Options after 8, Comfort (the manager's) after 2 days.
    private static readonly DateTimeOffset MakeRoomOverdue = Now.AddHours(5);

    [Fact]
    public async Task An_overdue_step_is_escalated_to_the_owners_team_manager_with_an_alert()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        await AcknowledgeAsync(scene);

        var escalated = await RecoveryEscalation.RunOnceAsync(database, MakeRoomOverdue, Cancel);

        Assert.Equal(1, escalated);
        var plan = await database.LoadPlanAsync(scene.PlanId);
        var makeRoom = plan.Step(RecoveryStepKind.MakeRoom);
        Assert.Equal((scene.Manager.UserId, (DateTimeOffset?)MakeRoomOverdue), (makeRoom.EscalatedTo, makeRoom.EscalatedAt));
        // Only the step that is overdue: Options is due later, Alert the manager was acknowledged.
        Assert.All(plan.Steps.Where(s => s.Kind != RecoveryStepKind.MakeRoom), s => Assert.Null(s.EscalatedAt));
        var alert = Assert.Single(await EscalationAlertsAsync(scene));
        Assert.Equal((scene.Manager.UserId, scene.Deal.Id, MakeRoomOverdue), (alert.RecipientId, alert.DealId, alert.DetectedAt));
        Assert.Contains("\"Make room\"", alert.Title, StringComparison.Ordinal);
        Assert.Null(alert.EmailedAt);
    }

    [Fact]
    public async Task An_alert_the_manager_does_not_acknowledge_in_time_goes_to_an_admin()
    {
        await database.CreateAsync(AppRoles.Admin);
        var scene = await database.CreateAtRiskSceneAsync();

        await RecoveryEscalation.RunOnceAsync(database, MakeRoomOverdue, Cancel);

        var alertStep = (await database.LoadPlanAsync(scene.PlanId)).Step(RecoveryStepKind.AlertManager);
        Assert.Equal((DateTimeOffset?)MakeRoomOverdue, alertStep.EscalatedAt);
        Assert.True(await IsAdminAsync(alertStep.EscalatedTo!));
    }

    private Task<bool> IsAdminAsync(string userId) =>
        database.QueryAsync(db => (
            from ur in db.UserRoles
            join r in db.Roles on ur.RoleId equals r.Id
            where ur.UserId == userId && r.Name == AppRoles.Admin
            select ur).AnyAsync(Cancel));

    private async Task AcknowledgeAsync(RecoveryScene scene)
    {
        var recovery = database.CreateRecoveryService(new FakeTimeProvider(Now.AddHours(1)));
        await recovery.AcknowledgeAsync(scene.Manager, scene.PlanId, await database.PlanVersionAsync(scene.PlanId), Cancel);
    }

    [Fact]
    public async Task A_step_is_escalated_only_once_however_often_the_sweep_runs()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        await RecoveryEscalation.RunOnceAsync(database, MakeRoomOverdue, Cancel);

        await RecoveryEscalation.RunOnceAsync(database, MakeRoomOverdue.AddMinutes(10), Cancel);
        await RecoveryEscalation.RunOnceAsync(database, MakeRoomOverdue.AddHours(1), Cancel);

        var makeRoom = (await database.LoadPlanAsync(scene.PlanId)).Step(RecoveryStepKind.MakeRoom);
        Assert.Equal((DateTimeOffset?)MakeRoomOverdue, makeRoom.EscalatedAt);
        Assert.Single(await EscalationAlertsAsync(scene), a => a.Title.Contains("\"Make room\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_step_owned_by_the_team_manager_escalates_to_an_admin()
    {
        await database.CreateAsync(AppRoles.Admin);
        var scene = await database.CreateAtRiskSceneAsync();
        var afterComfortDue = Now.AddDays(3);

        await RecoveryEscalation.RunOnceAsync(database, afterComfortDue, Cancel);

        var plan = await database.LoadPlanAsync(scene.PlanId);
        var comfort = plan.Step(RecoveryStepKind.Comfort);
        Assert.Equal(scene.Manager.UserId, comfort.OwnerId);
        Assert.Equal((DateTimeOffset?)afterComfortDue, comfort.EscalatedAt);
        Assert.True(await IsAdminAsync(comfort.EscalatedTo!));
        // The rep's overdue steps still go to the manager.
        Assert.Equal(scene.Manager.UserId, plan.Step(RecoveryStepKind.MakeRoom).EscalatedTo);
        var alerts = await EscalationAlertsAsync(scene);
        Assert.Contains(alerts, a => a.RecipientId == comfort.EscalatedTo && a.Title.Contains("\"Comfort\"", StringComparison.Ordinal));
        Assert.DoesNotContain(alerts, a => a.RecipientId == scene.Manager.UserId && a.Title.Contains("\"Comfort\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_done_step_is_not_escalated()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        await AcknowledgeAsync(scene);
        var recovery = database.CreateRecoveryService(new FakeTimeProvider(Now.AddHours(1)));
        await recovery.RecordMakeRoomAsync(scene.Rep, scene.PlanId, await database.PlanVersionAsync(scene.PlanId),
            new MakeRoomInput { ForecastDate = On(scene.Promise.PromisedDate.AddDays(5)) }, Cancel);

        await RecoveryEscalation.RunOnceAsync(database, MakeRoomOverdue, Cancel);

        Assert.Null((await database.LoadPlanAsync(scene.PlanId)).Step(RecoveryStepKind.MakeRoom).EscalatedAt);
        Assert.Empty(await EscalationAlertsAsync(scene));
    }

    [Fact]
    public async Task A_closed_plan_is_not_escalated()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var recovery = database.CreateRecoveryService(new FakeTimeProvider(Now.AddHours(1)));
        await recovery.CloseAsync(scene.Manager, scene.PlanId, await database.PlanVersionAsync(scene.PlanId),
            new CloseInput { RootCause = RootCause.CustomerSideDelay, Department = Department.Customer, Lesson = "Confirm the site is ready a week ahead." }, Cancel);

        await RecoveryEscalation.RunOnceAsync(database, Now.AddDays(30), Cancel);

        Assert.All((await database.LoadPlanAsync(scene.PlanId)).Steps, s => Assert.Null(s.EscalatedAt));
        Assert.Empty(await EscalationAlertsAsync(scene));
    }

    private Task<List<Alert>> EscalationAlertsAsync(RecoveryScene scene) =>
        database.QueryAsync(db => db.Alerts.AsNoTracking()
            .Where(a => a.CommitmentId == scene.Promise.Id && a.Title.StartsWith("Overdue recovery step"))
            .ToListAsync(Cancel));
}

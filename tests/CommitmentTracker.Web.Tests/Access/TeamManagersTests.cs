using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Features.Alerts;
using CommitmentTracker.Web.Tests.Features.Recovery;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Access;

/// <summary>
/// Every manager of a team is its manager: a second (deputy) manager hears of a rise, works the plan, gets the digest
/// and the escalations, like the appointed one.
/// </summary>
public sealed class TeamManagersTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_manager_of_the_team_is_told_of_a_rise_and_may_work_the_plan()
    {
        var (team, appointed) = await database.CreateManagedTeamAsync();
        var deputy = await database.CreateAsync(AppRoles.Manager, team, name: "Dana Deputy");
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var (_, promise) = await database.CreateMilestonedPromiseAsync(rep);

        await database.RaiseToAtRiskAsync(promise, Now, rep.UserId);

        var told = await database.QueryAsync(db => db.Alerts.Where(a => a.CommitmentId == promise.Id).Select(a => a.RecipientId).ToListAsync(Cancel));
        Assert.Equal(new[] { appointed.UserId, deputy.UserId, rep.UserId }.Order(), told.Order());
        var plan = Assert.Single(await database.PlansOfAsync(promise.Id));
        Assert.Equal(appointed.UserId, plan.Step(RecoveryStepKind.AlertManager).OwnerId);

        var recovery = database.CreateRecoveryService(new FakeTimeProvider(Now.AddHours(1)));
        await recovery.AcknowledgeAsync(deputy, plan.Id, await database.PlanVersionAsync(plan.Id), Cancel);
        Assert.Equal(deputy.UserId, (await database.LoadPlanAsync(plan.Id)).ManagerAcknowledgedBy);

        var digest = await new DigestService(database).BuildAsync(deputy.UserId, Now.AddHours(1), Cancel);
        Assert.Contains(digest!.Promises, p => p.CommitmentId == promise.Id && p.Level == RiskLevel.AtRisk);
    }

    [Fact]
    public async Task An_overdue_step_of_the_rep_is_escalated_to_every_manager_of_the_team()
    {
        var (team, appointed) = await database.CreateManagedTeamAsync();
        var deputy = await database.CreateAsync(AppRoles.Manager, team);
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var (_, promise) = await database.CreateMilestonedPromiseAsync(rep);
        await database.RaiseToAtRiskAsync(promise, Now, rep.UserId);

        // Make room (the rep's) is due 4 hours after detection.
        await RecoveryEscalation.RunOnceAsync(database, Now.AddHours(5), Cancel);

        var escalations = await database.QueryAsync(db => db.Alerts
            .Where(a => a.CommitmentId == promise.Id && a.Title.StartsWith("Overdue recovery step"))
            .Select(a => a.RecipientId).ToListAsync(Cancel));
        Assert.Contains(appointed.UserId, escalations);
        Assert.Contains(deputy.UserId, escalations);
        Assert.DoesNotContain(rep.UserId, escalations);
    }
}

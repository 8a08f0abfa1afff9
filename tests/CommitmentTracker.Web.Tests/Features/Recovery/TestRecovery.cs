using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Features.Alerts;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Recovery;

/// <summary>A managed team, its rep, a deal of the rep with a promise of ours that rose to AtRisk, and the plan that opened.</summary>
public sealed record RecoveryScene(Team Team, Actor Manager, Actor Rep, Deal Deal, Commitment Promise, Guid PlanId);

/// <summary>Promises with milestone plans raised to AtRisk through a real save, and the recovery service on a given clock.</summary>
public static class TestRecovery
{
    /// <summary>Days a raised promise's forecast lies past its promised date.</summary>
    public const int SlipDays = 5;

    public static RecoveryService CreateRecoveryService(this IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock) =>
        new(dbFactory, clock, new MakeRoomValidator(), new OptionValidator(), new TellCustomerValidator(), new ComfortValidator(),
            new BossContactValidator(), new CompensationValidator(), new CloseValidator());

    /// <summary>
    /// A deal of <paramref name="rep"/> with one promise of ours due in <paramref name="promisedInDays"/> (need date
    /// <paramref name="needInDays"/>), planned with one milestone per entry of <paramref name="plannedInDays"/>. On track.
    /// </summary>
    public static async Task<(Deal Deal, Commitment Promise)> CreateMilestonedPromiseAsync(
        this TestDatabase database, Actor rep, int promisedInDays = 70, int? needInDays = 80, int[]? plannedInDays = null,
        CommitmentKind kind = CommitmentKind.Delivery, decimal value = 10_000m, string? ownerId = null, Account? account = null,
        string description = "Ship the robot cell")
    {
        Commitment? promise = null;
        var deal = await database.CreateDealAsync(rep, account: account, value: value, arrange: d =>
        {
            promise = d.AddCommitment(
                new CommitmentDraft(CommitmentDirection.Ours, kind, description, ownerId ?? rep.UserId, Department.Fulfilment,
                    Today.AddDays(promisedInDays), needInDays is { } need ? Today.AddDays(need) : null),
                LeadTimes.Defaults, rep.UserId, Now, Today);
            var steps = plannedInDays ?? [promisedInDays - 30, promisedInDays - 10];
            for (var i = 0; i < steps.Length; i++)
                promise.AddMilestone($"Step {i + 1}", null, Today.AddDays(steps[i]));
        });
        return (deal, promise!);
    }

    /// <summary>Sets the forecast of the promise's last unfinished milestone through the domain, saved at <paramref name="at"/>.</summary>
    public static async Task SetForecastAsync(this TestDatabase database, Guid commitmentId, DateOnly forecast, DateTimeOffset at, string byUserId)
    {
        await using var db = database.CreateDbContext();
        db.ChangedAt = at;
        var commitment = await db.LoadCommitmentAsync(commitmentId, tracked: true);
        var last = commitment.Milestones.Where(m => !m.IsFinished).MaxBy(m => m.Position)!;
        commitment.UpdateMilestone(last.Id, new MilestoneChange(MilestoneStatus.InProgress, forecast), byUserId, at, DateOnly.FromDateTime(at.UtcDateTime));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Moves the last milestone's forecast <see cref="SlipDays"/> past the promised date: the promise rises to AtRisk.</summary>
    public static Task RaiseToAtRiskAsync(this TestDatabase database, Commitment promise, DateTimeOffset at, string byUserId) =>
        database.SetForecastAsync(promise.Id, promise.PromisedDate.AddDays(SlipDays), at, byUserId);

    public static async Task<RecoveryScene> CreateAtRiskSceneAsync(this TestDatabase database, DateTimeOffset? detectedAt = null, Account? account = null)
    {
        var (team, manager) = await database.CreateManagedTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var (deal, promise) = await database.CreateMilestonedPromiseAsync(rep, account: account);
        await database.RaiseToAtRiskAsync(promise, detectedAt ?? Now, rep.UserId);
        var plan = Assert.Single(await database.PlansOfAsync(promise.Id));
        return new RecoveryScene(team, manager, rep, deal, promise, plan.Id);
    }

    /// <summary>Every plan of a promise with its steps (in order) and options, oldest first.</summary>
    public static Task<List<RecoveryPlan>> PlansOfAsync(this TestDatabase database, Guid commitmentId) =>
        database.QueryAsync(db => db.RecoveryPlans.AsNoTracking().AsSplitQuery()
            .Include(p => p.Steps.OrderBy(s => s.Position)).Include(p => p.Options.OrderBy(o => o.AddedAt))
            .Where(p => p.CommitmentId == commitmentId).OrderBy(p => p.DetectedAt)
            .ToListAsync(TestContext.Current.CancellationToken));

    public static Task<RecoveryPlan> LoadPlanAsync(this TestDatabase database, Guid planId) =>
        database.QueryAsync(db => db.RecoveryPlans.AsNoTracking().AsSplitQuery()
            .Include(p => p.Steps.OrderBy(s => s.Position)).Include(p => p.Options.OrderBy(o => o.AddedAt))
            .SingleAsync(p => p.Id == planId, TestContext.Current.CancellationToken));

    /// <summary>The plan's row version (xmin), as the page hands it to the service.</summary>
    public static Task<uint> PlanVersionAsync(this TestDatabase database, Guid planId) =>
        database.QueryAsync(db => db.RecoveryPlans.Where(p => p.Id == planId)
            .Select(p => EF.Property<uint>(p, AppDbContext.Version)).SingleAsync(TestContext.Current.CancellationToken));

    public static Task<Commitment> StoredPromiseAsync(this TestDatabase database, Guid commitmentId) =>
        database.QueryAsync(db => db.LoadCommitmentAsync(commitmentId));

    /// <summary>Sets the hours within which the customer must be told (the settings row the admin page edits).</summary>
    public static Task SetTellCustomerWithinHoursAsync(this TestDatabase database, int hours) =>
        database.QueryAsync(async db =>
        {
            var row = await db.RiskSettings.SingleAsync(TestContext.Current.CancellationToken);
            row.TellCustomerWithinHours = hours;
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
}

using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Persistence.Configurations;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Dashboard;

/// <summary>
/// "What the recovery plans teach" on the manager's dashboard, for the same team as the rest of it
/// (<see cref="DashboardScope"/>): broken and recovered promises by root cause and by department, compensation spent
/// against budget, the durations from detection on, the lessons, and the plans still open. One query selects the facts
/// (small rows, no text) of the plans closed in the window and those still open; <see cref="RecoveryMetrics"/> works out
/// the figures from them. The lessons come a page at a time.
/// </summary>
public sealed class RecoveryInsightsService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Lessons shown at first; the page asks for more.</summary>
    public const int LessonsPageSize = 10;

    /// <summary>Plans closed in the last year count by default.</summary>
    public const int DefaultWindowDays = 365;

    public async Task<RecoveryInsightsView> GetAsync(Actor actor, Guid? teamId, int windowDays = DefaultWindowDays, CancellationToken cancellationToken = default)
    {
        DashboardScope.EnsureAllowed(actor);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowDays, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowDays, 3660);
        var now = clock.GetUtcNow();
        var windowStart = now.AddDays(-windowDays);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var scope = await DashboardScope.ResolveAsync(db, actor, teamId, cancellationToken);
        if (!scope.HasTeam)
            return new RecoveryInsightsView { HasTeam = false, WindowDays = windowDays, WindowStart = windowStart };

        var facts = await (
            from p in Plans(db, scope, windowStart)
            join d in db.Deals on p.DealId equals d.Id
            join c in db.Commitments on p.CommitmentId equals c.Id
            select new RecoveryPlanFacts
            {
                PlanId = p.Id,
                PromiseStatus = c.Status,
                Currency = d.Value.Currency,
                DetectedAt = p.DetectedAt,
                ManagerAlertedAt = p.ManagerAlertedAt,
                CustomerToldAt = p.CustomerToldAt,
                ResolvedAt = p.ResolvedAt,
                RootCause = p.RootCause,
                RootCauseDepartment = p.RootCauseDepartment,
                Compensation = p.Compensation,
                CompensationApproved = p.CompensationApprovedAt != null,
                // Open plans only, through the steps' plan index.
                HasOverdueStep = p.ResolvedAt == null && p.Steps.Any(s => s.DoneAt == null && s.DueAt < now),
            }).ToListAsync(cancellationToken);
        // The lessons' count is in the facts already: plans closed in the window with a root cause and department.
        var lessonCount = facts.Count(f => f.ResolvedAt is not null && f.RootCause is not null && f.RootCauseDepartment is not null);
        var lessons = await LessonsPageAsync(db, scope, windowStart, null, 0, LessonsPageSize, lessonCount, cancellationToken);

        return new RecoveryInsightsView
        {
            TeamId = scope.TeamId,
            WindowDays = windowDays,
            WindowStart = windowStart,
            Figures = RecoveryMetrics.Of(facts, windowStart),
            Lessons = lessons.Items,
            LessonsTotal = lessons.TotalCount,
        };
    }

    /// <summary>A page of the lessons of the plans closed in the window (of one root cause, or all), newest first.</summary>
    public async Task<Page<RecoveryLesson>> LessonsAsync(
        Actor actor, Guid? teamId, RootCause? rootCause, int skip, int take, int windowDays = DefaultWindowDays, CancellationToken cancellationToken = default)
    {
        DashboardScope.EnsureAllowed(actor);
        var windowStart = clock.GetUtcNow().AddDays(-windowDays);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var scope = await DashboardScope.ResolveAsync(db, actor, teamId, cancellationToken);
        if (!scope.HasTeam)
            return new Page<RecoveryLesson>([], 0);
        return await LessonsPageAsync(db, scope, windowStart, rootCause, skip, take, knownTotal: null, cancellationToken);
    }

    /// <summary>
    /// The plans that count: every open one, and those closed since the window's start; a team's through the deal owner
    /// copied onto the plan (indexed with the closing time), never through the team's deals.
    /// </summary>
    private static IQueryable<RecoveryPlan> Plans(AppDbContext db, DashboardScope scope, DateTimeOffset windowStart)
    {
        var plans = db.RecoveryPlans.AsNoTracking().Where(p => p.ResolvedAt == null || p.ResolvedAt >= windowStart);
        var owners = scope.OwnerIds;
        return owners is null ? plans : plans.Where(p => owners.Contains(EF.Property<string>(p, RecoveryPlanConfiguration.DealOwnerId)));
    }

    private static async Task<Page<RecoveryLesson>> LessonsPageAsync(
        AppDbContext db, DashboardScope scope, DateTimeOffset windowStart, RootCause? rootCause, int skip, int take, int? knownTotal, CancellationToken cancellationToken)
    {
        var closed = Plans(db, scope, windowStart).Where(p => p.ResolvedAt != null && p.RootCause != null && p.RootCauseDepartment != null);
        if (rootCause is { } cause)
            closed = closed.Where(p => p.RootCause == cause);
        var total = knownTotal ?? await closed.CountAsync(cancellationToken);
        var rows = await (
            from p in closed
            join d in db.Deals on p.DealId equals d.Id
            join c in db.Commitments on p.CommitmentId equals c.Id
            orderby p.ResolvedAt descending, p.Id
            select new { p.Id, p.ResolvedAt, p.RootCause, p.RootCauseDepartment, p.Lesson, p.DealId, DealTitle = d.Title, c.Description, c.Status })
            .Skip(skip).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
        return new Page<RecoveryLesson>(rows.Select(r => new RecoveryLesson
        {
            PlanId = r.Id,
            ClosedAt = r.ResolvedAt!.Value,
            RootCause = r.RootCause!.Value,
            Department = r.RootCauseDepartment!.Value,
            Lesson = r.Lesson ?? "",
            DealId = r.DealId,
            DealTitle = r.DealTitle,
            PromiseDescription = r.Description,
            Outcome = RecoveryMetrics.OutcomeOf(r.Status),
        }).ToList(), total);
    }
}

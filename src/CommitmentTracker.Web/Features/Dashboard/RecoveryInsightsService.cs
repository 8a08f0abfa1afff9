using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Dashboard;

/// <summary>
/// "What the recovery plans teach" on the manager's dashboard, for the same team as the rest of it
/// (<see cref="DashboardScope"/>): broken and recovered promises by root cause and by department, compensation spent
/// against budget, the durations from detection on, the lessons, and the plans still open. One query selects the plans
/// closed in the window and those still open; <see cref="RecoveryMetrics"/> works out the figures from those rows.
/// </summary>
public sealed class RecoveryInsightsService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
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

        var rows = await (
            from p in db.RecoveryPlans.AsNoTracking()
            join d in scope.Deals on p.DealId equals d.Id
            join c in db.Commitments on p.CommitmentId equals c.Id
            where p.ResolvedAt == null || p.ResolvedAt >= windowStart
            select new
            {
                Facts = new RecoveryPlanFacts
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
                    HasOverdueStep = p.ResolvedAt == null && p.Steps.Any(s => s.DoneAt == null && s.DueAt < now),
                },
                p.DealId,
                DealTitle = d.Title,
                c.Description,
                p.Lesson,
            }).ToListAsync(cancellationToken);

        return new RecoveryInsightsView
        {
            TeamId = scope.TeamId,
            WindowDays = windowDays,
            WindowStart = windowStart,
            Figures = RecoveryMetrics.Of(rows.Select(r => r.Facts), windowStart),
            Lessons = rows
                .Where(r => r.Facts is { ResolvedAt: not null, RootCause: not null, RootCauseDepartment: not null })
                .Select(r => new RecoveryLesson
                {
                    PlanId = r.Facts.PlanId,
                    ClosedAt = r.Facts.ResolvedAt!.Value,
                    RootCause = r.Facts.RootCause!.Value,
                    Department = r.Facts.RootCauseDepartment!.Value,
                    Lesson = r.Lesson ?? "",
                    DealId = r.DealId,
                    DealTitle = r.DealTitle,
                    PromiseDescription = r.Description,
                    Outcome = r.Facts.Outcome,
                })
                .OrderByDescending(l => l.ClosedAt).ThenBy(l => l.PlanId)
                .ToList(),
        };
    }
}

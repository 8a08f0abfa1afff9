using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Calendars;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Recovery;

/// <summary>A plan just opened, and the team's managers of the deal's rep (the appointed one first), to be told.</summary>
public sealed record OpenedPlan(RecoveryPlan Plan, IReadOnlyList<string> Managers);

/// <summary>
/// The one way a recovery plan opens, whether a rise opened it in the same save or a rep opened it by hand: at most one open
/// plan per promise, the rep and the team's (appointed) manager own the steps, added to the caller's save.
/// </summary>
public static class RecoveryPlanOpening
{
    /// <summary>Opens the promise's plan; null when one is open already (in this save or stored).</summary>
    public static async Task<OpenedPlan?> OpenAsync(
        AppDbContext db, Guid commitmentId, Guid dealId, string repId, RiskLevel level, DateTimeOffset detectedAt, DateTimeOffset now,
        string? openedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var openInThisSave = db.ChangeTracker.Entries<RecoveryPlan>().Any(e => e.Entity.CommitmentId == commitmentId && !e.Entity.IsClosed);
        if (openInThisSave || await db.RecoveryPlans.AnyAsync(p => p.CommitmentId == commitmentId && p.ResolvedAt == null, cancellationToken))
            return null;
        var managers = await db.ManagersOfUsersTeamAsync(repId, cancellationToken);
        var settings = await db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new RiskSettingsRecord();
        var calendar = await db.OfUserAsync(repId, cancellationToken);
        return Open(db, commitmentId, dealId, repId, level, detectedAt, now, openedBy, managers, settings.TellCustomerWithinHours, calendar);
    }

    /// <summary>
    /// Opens the plans of many promises in one save (rises found by the sweep): one query for the plans already open; the
    /// caller passes each rep's team managers and the settings it has read once.
    /// </summary>
    public static async Task<IReadOnlyList<OpenedPlan>> OpenManyAsync(
        AppDbContext db, IReadOnlyList<PlanToOpen> promises, Func<string, IReadOnlyList<string>> managersOf, int tellCustomerWithinHours,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(promises);
        ArgumentNullException.ThrowIfNull(managersOf);
        var ids = promises.Select(p => p.CommitmentId).ToList();
        var open = (await db.RecoveryPlans.Where(p => ids.Contains(p.CommitmentId) && p.ResolvedAt == null).Select(p => p.CommitmentId).ToListAsync(cancellationToken)).ToHashSet();
        open.UnionWith(db.ChangeTracker.Entries<RecoveryPlan>().Where(e => !e.Entity.IsClosed).Select(e => e.Entity.CommitmentId));
        var calendars = await db.OfUsersAsync(promises.Where(p => !open.Contains(p.CommitmentId)).Select(p => p.RepId), cancellationToken);
        var opened = new List<OpenedPlan>();
        foreach (var p in promises)
        {
            if (open.Add(p.CommitmentId))
                opened.Add(Open(db, p.CommitmentId, p.DealId, p.RepId, p.Level, p.DetectedAt, p.Now, openedBy: null, managersOf(p.RepId), tellCustomerWithinHours,
                    calendars.GetValueOrDefault(p.RepId) ?? WorkingCalendar.Default(Guid.Empty)));
        }
        return opened;
    }

    private static OpenedPlan Open(
        AppDbContext db, Guid commitmentId, Guid dealId, string repId, RiskLevel level, DateTimeOffset detectedAt, DateTimeOffset now,
        string? openedBy, IReadOnlyList<string> managers, int tellCustomerWithinHours, WorkingCalendar calendar)
    {
        // Due times count the rep's team's working time: "within 24 hours" of a Friday evening is not Saturday evening.
        var settings = RecoverySettings.Default(repId, managers.Count > 0 ? managers[0] : repId, tellCustomerWithinHours) with { Calendar = calendar };
        var plan = RecoveryPlan.Open(commitmentId, dealId, detectedAt, level, settings, now, openedBy);
        db.RecoveryPlans.Add(plan);
        return new OpenedPlan(plan, managers);
    }
}

/// <summary>A promise whose plan is to open (when none is open), for <see cref="RecoveryPlanOpening.OpenManyAsync"/>.</summary>
public sealed record PlanToOpen(Guid CommitmentId, Guid DealId, string RepId, RiskLevel Level, DateTimeOffset DetectedAt, DateTimeOffset Now);

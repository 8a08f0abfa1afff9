using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
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
        var plan = RecoveryPlan.Open(commitmentId, dealId, detectedAt, level,
            RecoverySettings.Default(repId, managers.FirstOrDefault() ?? repId, settings.TellCustomerWithinHours), now, openedBy);
        db.RecoveryPlans.Add(plan);
        return new OpenedPlan(plan, managers);
    }
}

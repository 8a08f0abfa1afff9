using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Alerts;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Persistence.Risk;

/// <summary>
/// Re-evaluates the risk of every promise of the deals a save touches, inside that same save. When a promise rises to
/// AtRisk or Late it writes an alert for the owner, the deal's rep and their manager, and opens a recovery plan unless
/// one is open already (once per rise).
/// </summary>
internal static class RiskReevaluation
{
    public static async Task ApplyAsync(AppDbContext db, IReadOnlyCollection<Guid> dealIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (dealIds.Count == 0)
            return;
        var record = await db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new RiskSettingsRecord();
        var settings = record.ToDomain();
        // Tracked: instances already in the context are reused, so pending changes are what gets evaluated.
        var commitments = await db.Commitments.AsSplitQuery()
            .Include(c => c.Milestones).ThenInclude(m => m.Updates)
            .Include(c => c.DateHistory)
            .Where(c => dealIds.Contains(c.DealId))
            .ToListAsync(cancellationToken);
        var added = db.ChangeTracker.Entries<Commitment>().Where(e => e.State == EntityState.Added).Select(e => e.Entity);
        var all = commitments.Union(added).Where(c => dealIds.Contains(c.DealId)).ToList();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var commitment in all)
            commitment.RefreshStatus(today);
        foreach (var group in all.GroupBy(c => c.DealId))
        {
            var customers = group.Where(c => c.Direction == CommitmentDirection.Theirs).ToList();
            foreach (var commitment in group)
            {
                var change = commitment.ApplyRisk(RiskEvaluator.Evaluate(commitment, customers, settings, now), now);
                if (change.RoseToAlertLevel)
                    await OnRiseAsync(db, commitment, record, now, cancellationToken);
            }
        }
    }

    private static async Task OnRiseAsync(AppDbContext db, Commitment commitment, RiskSettingsRecord settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The deal may be new in this very save (seeding, a deal logged with its promises): look in the tracker first.
        var tracked = db.ChangeTracker.Entries<Domain.Deals.Deal>().FirstOrDefault(e => e.Entity.Id == commitment.DealId)?.Entity;
        var deal = tracked is not null
            ? new { tracked.Title, tracked.OwnerId }
            : await db.Deals.AsNoTracking().Where(d => d.Id == commitment.DealId).Select(d => new { d.Title, d.OwnerId }).SingleOrDefaultAsync(cancellationToken);
        var dealTitle = deal?.Title ?? "a deal";
        var ownerId = deal?.OwnerId;
        var teamId = ownerId is null ? null : await db.Users.Where(u => u.Id == ownerId).Select(u => u.TeamId).FirstOrDefaultAsync(cancellationToken);
        var trackedTeam = teamId is null ? null : db.ChangeTracker.Entries<Domain.Teams.Team>().FirstOrDefault(e => e.Entity.Id == teamId)?.Entity;
        var managerId = trackedTeam is not null ? trackedTeam.ManagerId
            : teamId is null ? null : await db.Teams.Where(t => t.Id == teamId).Select(t => t.ManagerId).FirstOrDefaultAsync(cancellationToken);
        var recipients = new[] { commitment.OwnerId, ownerId, managerId }.OfType<string>().Distinct();
        var reasons = string.Join(" ", commitment.RiskReasons.Select(r => r.Sentence.TrimEnd('.') + "."));
        foreach (var recipient in recipients)
        {
            db.Add(new Alert
            {
                CommitmentId = commitment.Id,
                DealId = commitment.DealId,
                RecipientId = recipient,
                Level = commitment.RiskLevel,
                Title = $"{commitment.RiskLevel switch { RiskLevel.Late => "Late", _ => "At risk" }}: {commitment.Description} ({dealTitle})",
                Reasons = reasons.Length > 2000 ? reasons[..2000] : reasons,
                DetectedAt = now,
            });
        }
        await OpenRecoveryPlanAsync(db, commitment, ownerId ?? commitment.OwnerId, managerId ?? ownerId ?? commitment.OwnerId, settings, now, cancellationToken);
    }

    private static async Task OpenRecoveryPlanAsync(
        AppDbContext db, Commitment commitment, string repId, string managerId, RiskSettingsRecord settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var openInThisSave = db.ChangeTracker.Entries<RecoveryPlan>().Any(e => e.Entity.CommitmentId == commitment.Id && !e.Entity.IsClosed);
        if (openInThisSave || await db.RecoveryPlans.AnyAsync(p => p.CommitmentId == commitment.Id && p.ResolvedAt == null, cancellationToken))
            return;
        var plan = RecoveryPlan.Open(commitment.Id, commitment.DealId, now, commitment.RiskLevel,
            RecoverySettings.Default(repId, managerId, settings.TellCustomerWithinHours), now);
        db.RecoveryPlans.Add(plan);
    }
}

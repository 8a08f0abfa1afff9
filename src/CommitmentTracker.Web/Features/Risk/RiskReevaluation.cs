using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Risk;

/// <summary>
/// Re-evaluates the risk of every promise of the given deals in the caller's context (inside a save, or the sweep),
/// storing the assessment and the day time alone could change it. A rise is recorded by the promise itself
/// (<see cref="PromiseRose"/>) and handled by <see cref="PromiseRiseHandler"/>.
/// </summary>
internal static class RiskReevaluation
{
    /// <summary>Deals a context evaluated outside a save (the sweep), so the save that follows does not evaluate them again.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AppDbContext, HashSet<Guid>> EvaluatedBeforeSave = new();

    /// <summary>
    /// Re-evaluates the deals' open promises now, before the caller saves them (the sweep, in a context with nothing pending).
    /// Time moves only open promises, and only an unfinished milestone's updates tell when its condition began: closed
    /// promises and finished milestones' histories stay in the database.
    /// </summary>
    public static async Task ApplyBeforeSaveAsync(AppDbContext db, IReadOnlyCollection<Guid> dealIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = await SettingsAsync(db, cancellationToken);
        var open = await db.Commitments.AsSplitQuery()
            .Include(c => c.Milestones)
            .Include(c => c.DateHistory)
            .Where(c => dealIds.Contains(c.DealId) && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken))
            .ToListAsync(cancellationToken);
        var unfinished = open.SelectMany(c => c.Milestones).Where(m => !m.IsFinished).Select(m => m.Id).ToList();
        // Tracked: the updates attach to their milestones.
        await db.MilestoneUpdates.Where(u => unfinished.Contains(u.MilestoneId)).LoadAsync(cancellationToken);
        Evaluate(open, settings, now);
        EvaluatedBeforeSave.GetOrCreateValue(db).UnionWith(dealIds);
    }

    /// <summary>Takes the deals evaluated since the last save out of <paramref name="dealIds"/>, once.</summary>
    public static void SkipEvaluatedBeforeSave(AppDbContext db, HashSet<Guid> dealIds)
    {
        if (EvaluatedBeforeSave.TryGetValue(db, out var evaluated))
        {
            dealIds.ExceptWith(evaluated);
            EvaluatedBeforeSave.Remove(db);
        }
    }

    public static async Task ApplyAsync(AppDbContext db, IReadOnlyCollection<Guid> dealIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (dealIds.Count == 0)
            return;
        var settings = await SettingsAsync(db, cancellationToken);
        // Tracked: instances already in the context are reused, so pending changes are what gets evaluated.
        var commitments = await db.Commitments.AsSplitQuery()
            .Include(c => c.Milestones).ThenInclude(m => m.Updates)
            .Include(c => c.DateHistory)
            .Where(c => dealIds.Contains(c.DealId))
            .ToListAsync(cancellationToken);
        var added = db.ChangeTracker.Entries<Commitment>().Where(e => e.State == EntityState.Added).Select(e => e.Entity);
        Evaluate(commitments.Union(added).Where(c => dealIds.Contains(c.DealId)), settings, now);
    }

    private static async Task<RiskSettings> SettingsAsync(AppDbContext db, CancellationToken cancellationToken) =>
        (await db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new RiskSettingsRecord()).ToDomain();

    /// <summary>Evaluates promises, grouped by deal so each sees the customer's promises it depends on.</summary>
    public static void Evaluate(IEnumerable<Commitment> commitments, RiskSettings settings, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        foreach (var deal in commitments.GroupBy(c => c.DealId))
        {
            var promises = deal.ToList();
            foreach (var commitment in promises)
                commitment.RefreshStatus(today, now);
            var customers = promises.Where(c => c.Direction == CommitmentDirection.Theirs).ToList();
            foreach (var commitment in promises)
            {
                var assessment = RiskEvaluator.Evaluate(commitment, customers, settings, now);
                commitment.ApplyRisk(assessment, now, RiskEvaluator.ReviewOn(commitment, customers, settings, assessment, now));
            }
        }
    }
}

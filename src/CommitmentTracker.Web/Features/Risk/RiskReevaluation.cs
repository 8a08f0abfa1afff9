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
        Evaluate(open, settings, now, await ChancesAsync(db, open, now, cancellationToken));
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
        var evaluated = commitments.Union(added).Where(c => dealIds.Contains(c.DealId)).ToList();
        Evaluate(evaluated, settings, now, await ChancesAsync(db, evaluated, now, cancellationToken));
    }

    private static async Task<RiskSettings> SettingsAsync(AppDbContext db, CancellationToken cancellationToken) =>
        (await db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new RiskSettingsRecord()).ToDomain();

    /// <summary>
    /// The history's chance of keeping each open promise of ours from the stage of its plan, else its age (see <see cref="Forecasts.ForecastService"/>),
    /// with the admin's minimum; promises without enough history have none. Reads the deals' values and the stored curves.
    /// </summary>
    private static async Task<Dictionary<Guid, KeepingChance>> ChancesAsync(AppDbContext db, IReadOnlyCollection<Commitment> commitments, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var open = commitments.Where(c => c.Direction == CommitmentDirection.Ours && c.Status is CommitmentStatus.Open or CommitmentStatus.Broken).ToList();
        if (open.Count == 0 || !await db.ForecastCurves.AnyAsync(cancellationToken))
            return [];
        var dealIds = open.Select(c => c.DealId).Distinct().ToList();
        var values = await db.Deals.AsNoTracking().Where(d => dealIds.Contains(d.Id)).Select(d => new { d.Id, d.Value.Amount }).ToDictionaryAsync(d => d.Id, d => d.Amount, cancellationToken);
        var promises = open.Select(c => new Forecasts.ForecastService.OpenPromise(
            c.Id, c.Kind, c.Department, values.GetValueOrDefault(c.DealId), c.Milestones.Count,
            Domain.Forecasts.PromiseHistory.MadeOn(c), c.PromisedDate, c.DealOwnerId,
            Domain.Forecasts.PlanProgress.Of(c.Milestones.Select(m => (m.Status, m.CompletedOn)), Domain.Forecasts.PromiseHistory.MadeOn(c)))).ToList();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var forecasts = await Forecasts.ForecastService.ForOpenPromisesAsync(db, promises, today, cancellationToken);
        return forecasts.ById.ToDictionary(f => f.Key, f => new KeepingChance(f.Value.Probability!.Value, forecasts.MinimumProbability, f.Value.Group?.Stage ?? Domain.Forecasts.PlanStage.NotStarted));
    }

    /// <summary>Evaluates promises, grouped by deal so each sees the customer's promises it depends on.</summary>
    public static void Evaluate(IEnumerable<Commitment> commitments, RiskSettings settings, DateTimeOffset now, IReadOnlyDictionary<Guid, KeepingChance>? chances = null)
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
                var assessment = RiskEvaluator.Evaluate(commitment, customers, settings, now, chances?.GetValueOrDefault(commitment.Id));
                commitment.ApplyRisk(assessment, now, RiskEvaluator.ReviewOn(commitment, customers, settings, assessment, now));
            }
        }
    }
}

using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CommitmentTracker.Web.Features.Risk;

/// <summary>
/// Keeps stored risk current inside every save: re-evaluates the promises of each deal the save touches, then hands the
/// rises the promises recorded to <see cref="PromiseRiseHandler"/>, all in the same transaction as the change.
/// Registered by <see cref="RiskFeature"/>.
/// </summary>
public sealed class RiskSaveInterceptor : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not AppDbContext db)
            return result;
        var touched = await TouchedDealsAsync(db, cancellationToken);
        RiskReevaluation.SkipEvaluatedBeforeSave(db, touched);
        await RiskReevaluation.ApplyAsync(db, touched, db.SaveTime, cancellationToken);
        // The events stay on the aggregates for the interceptors after this one (webhooks); the save clears them once stored.
        var rises = db.ChangeTracker.Entries<Commitment>().SelectMany(e => e.Entity.DomainEvents.OfType<PromiseRose>()).ToList();
        await PromiseRiseHandler.HandleAsync(db, rises, cancellationToken);
        return result;
    }

    /// <summary>The deals whose promises, milestones or promised dates this save adds, changes or removes.</summary>
    private static async Task<HashSet<Guid>> TouchedDealsAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        db.ChangeTracker.DetectChanges();
        var commitmentDeals = db.ChangeTracker.Entries<Commitment>().ToDictionary(e => e.Entity.Id, e => e.Entity.DealId);
        var dealIds = new HashSet<Guid>();
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList())
        {
            var dealId = entry.Entity switch
            {
                Commitment c => c.DealId,
                Milestone m => commitmentDeals.TryGetValue(m.CommitmentId, out var id) ? id
                    : await db.Commitments.Where(c => c.Id == m.CommitmentId).Select(c => (Guid?)c.DealId).FirstOrDefaultAsync(cancellationToken),
                PromisedDateChange h => commitmentDeals.TryGetValue(h.CommitmentId, out var id) ? id : null,
                _ => (Guid?)null,
            };
            if (dealId is { } d)
                dealIds.Add(d);
        }
        return dealIds;
    }
}

using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Risk;

/// <summary>
/// What a rise into AtRisk or Late sets off, in the save that raised it: an alert to the promise's owner, the deal's rep and
/// every manager of the rep's team, and the promise's recovery plan (unless one is open). The rises of one save are handled
/// together (the sweep's batch raises hundreds): their deals, plans and each team's managers are read once.
/// </summary>
internal static class PromiseRiseHandler
{
    public static async Task HandleAsync(AppDbContext db, IReadOnlyList<PromiseRose> rises, CancellationToken cancellationToken)
    {
        if (rises.Count == 0)
            return;
        var deals = await DealsAsync(db, rises.Select(r => r.DealId).ToHashSet(), cancellationToken);
        var managers = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var owner in deals.Values.Select(d => d.OwnerId).Distinct())
            managers[owner] = await db.ManagersOfUsersTeamAsync(owner, cancellationToken);
        var settings = await db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new RiskSettingsRecord();

        foreach (var rise in rises)
        {
            var deal = deals[rise.DealId];
            var promise = new AlertedPromise(rise.CommitmentId, rise.DealId, rise.Description, rise.To, deal.Title);
            var title = $"{(rise.To == RiskLevel.Late ? "Late" : "At risk")}: {promise.Name}";
            AlertWriter.Add(db, promise, [rise.OwnerId, deal.OwnerId, .. managers[deal.OwnerId]], title, rise.ReasonsText, rise.OccurredAt);
        }
        var plans = rises.Select(r => new PlanToOpen(r.CommitmentId, r.DealId, deals[r.DealId].OwnerId, r.To, r.OccurredAt, r.OccurredAt)).ToList();
        await RecoveryPlanOpening.OpenManyAsync(db, plans, owner => managers[owner], settings.TellCustomerWithinHours, cancellationToken);
    }

    /// <summary>The deals' titles and reps; a deal may be new in this very save (seeding, a deal logged with its promises).</summary>
    private static async Task<Dictionary<Guid, (string Title, string OwnerId)>> DealsAsync(AppDbContext db, HashSet<Guid> dealIds, CancellationToken cancellationToken)
    {
        var deals = db.ChangeTracker.Entries<Deal>().Where(e => dealIds.Contains(e.Entity.Id))
            .ToDictionary(e => e.Entity.Id, e => (e.Entity.Title, e.Entity.OwnerId));
        var stored = dealIds.Where(id => !deals.ContainsKey(id)).ToList();
        if (stored.Count > 0)
        {
            foreach (var d in await db.Deals.AsNoTracking().Where(d => stored.Contains(d.Id)).Select(d => new { d.Id, d.Title, d.OwnerId }).ToListAsync(cancellationToken))
                deals[d.Id] = (d.Title, d.OwnerId);
        }
        return deals;
    }
}

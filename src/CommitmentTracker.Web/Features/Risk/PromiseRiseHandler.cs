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
/// every manager of the rep's team, and the promise's recovery plan (unless one is open).
/// </summary>
internal static class PromiseRiseHandler
{
    public static async Task HandleAsync(AppDbContext db, PromiseRose rise, CancellationToken cancellationToken)
    {
        // The deal may be new in this very save (seeding, a deal logged with its promises): look in the tracker first.
        var tracked = db.ChangeTracker.Entries<Deal>().FirstOrDefault(e => e.Entity.Id == rise.DealId)?.Entity;
        var deal = tracked is not null
            ? new { tracked.Title, tracked.OwnerId }
            : await db.Deals.AsNoTracking().Where(d => d.Id == rise.DealId).Select(d => new { d.Title, d.OwnerId }).SingleAsync(cancellationToken);
        var managers = await db.ManagersOfUsersTeamAsync(deal.OwnerId, cancellationToken);
        var promise = new AlertedPromise(rise.CommitmentId, rise.DealId, rise.Description, rise.To, deal.Title);
        var title = $"{(rise.To == RiskLevel.Late ? "Late" : "At risk")}: {promise.Name}";
        AlertWriter.Add(db, promise, [rise.OwnerId, deal.OwnerId, .. managers], title, rise.ReasonsText, rise.OccurredAt);
        await RecoveryPlanOpening.OpenAsync(db, rise.CommitmentId, rise.DealId, deal.OwnerId, rise.To, rise.OccurredAt, rise.OccurredAt, openedBy: null, cancellationToken);
    }
}

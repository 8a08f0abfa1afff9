using CommitmentTracker.Web.Components.Shared;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Recovery;

/// <summary>
/// A step past its due time goes, once, to the next managers up: the managers of the owner's team other than the owner
/// (<see cref="TeamManagers"/>), or an admin when there is none. Plans of promises already kept or waived, or of lost
/// deals, are not chased. The escalation is an alert (bell and mail) written with the step's mark in one save.
/// Run by the periodic risk sweep.
/// </summary>
public static class RecoveryEscalation
{
    public static async Task<int> RunOnceAsync(IDbContextFactory<AppDbContext> dbFactory, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ChangedAt = now;
        // Plans of promises still to be delivered, on deals still alive: a kept or waived promise needs no chasing.
        var planIds = await (
            from p in db.RecoveryPlans
            join c in db.Commitments on p.CommitmentId equals c.Id
            join d in db.Deals on p.DealId equals d.Id
            where p.ResolvedAt == null && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken) && d.Stage != DealStage.Lost
                  && p.Steps.Any(s => s.DoneAt == null && s.EscalatedAt == null && s.DueAt < now)
            select p.Id).ToListAsync(cancellationToken);
        if (planIds.Count == 0)
            return 0;
        var adminId = await (
            from u in db.Users
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where r.Name == AppRoles.Admin && u.IsActive
            orderby u.Email
            select u.Id).FirstOrDefaultAsync(cancellationToken);
        var escalated = 0;
        var nextUp = new Dictionary<string, List<string>>(); // owner -> the managers above them, asked once per sweep
        foreach (var planId in planIds)
        {
            var plan = await db.RecoveryPlans.Include(p => p.Steps).SingleAsync(p => p.Id == planId, cancellationToken);
            var promise = await AlertWriter.PromiseAsync(db, plan.CommitmentId, cancellationToken);
            foreach (var step in plan.StepsToEscalate(now))
            {
                if (!nextUp.TryGetValue(step.OwnerId, out var managers))
                    nextUp[step.OwnerId] = managers = (await db.ManagersOfUsersTeamAsync(step.OwnerId, cancellationToken)).Where(m => m != step.OwnerId).ToList();
                List<string> to = managers.Count > 0 ? managers : adminId is null ? [] : [adminId];
                if (to.Count == 0)
                    continue;
                plan.MarkEscalated(step.Kind, to[0], now);
                // The due time in each recipient's own zone.
                var zones = await db.Users.AsNoTracking().Where(u => to.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.TimeZone, cancellationToken);
                foreach (var recipient in to)
                    AlertWriter.Add(db, promise, [recipient], $"Overdue recovery step \"{RecoveryPlan.Label(step.Kind)}\": {promise.Name}",
                        $"The step was due {TimeFormat.DateTime(step.DueAt, TimeZoneIds.TryFind(zones.GetValueOrDefault(recipient), out var zone) ? zone : TimeZoneInfo.Utc)} and is not done. It is escalated to you as the next manager up.", now);
                escalated++;
            }
            try
            {
                // One plan at a time: someone working another plan at this moment does not stop these escalations.
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                escalated -= plan.Steps.Count(s => s.EscalatedAt == now);
                db.ChangeTracker.Clear();
            }
        }
        return escalated;
    }
}

using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Alerts;

/// <summary>An alert as the bell lists it, with what its links need.</summary>
public sealed record AlertRow(
    Guid Id, Guid DealId, string DealTitle, RiskLevel Level, string Title, string Reasons, DateTimeOffset DetectedAt, bool IsRead,
    Guid? RecoveryPlanId = null)
{
    public string DealLink => $"deals/{DealId}";

    /// <summary>Where the alert leads: the promise's open recovery plan (what to do now), else its deal.</summary>
    public string Link => RecoveryPlanId is { } planId ? $"recovery/{planId}" : DealLink;
}

/// <summary>The in-app side of alerts: a user's own alerts, their unread count, and marking them read. Nobody sees another's.</summary>
public sealed class AlertsService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The most a list shows; older alerts are history.</summary>
    public const int MaxTake = 50;

    /// <summary>How many of the actor's alerts are unread: the bell's badge, asked on every change, so kept to one indexed count.</summary>
    public async Task<int> UnreadCountAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Alerts.CountAsync(a => a.RecipientId == actor.UserId && a.ReadAt == null, cancellationToken);
    }

    /// <summary>The actor's latest alerts, newest first.</summary>
    public async Task<IReadOnlyList<AlertRow>> ListAsync(Actor actor, int take = 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await (
            from a in db.Alerts.AsNoTracking()
            where a.RecipientId == actor.UserId
            join d in db.Deals on a.DealId equals d.Id into deals
            from d in deals.DefaultIfEmpty()
            orderby a.DetectedAt descending, a.Id
            select new AlertRow(a.Id, a.DealId, d == null ? "" : d.Title, a.Level, a.Title, a.Reasons, a.DetectedAt, a.ReadAt != null,
                db.RecoveryPlans.Where(p => p.CommitmentId == a.CommitmentId && p.ResolvedAt == null).Select(p => (Guid?)p.Id).FirstOrDefault()))
            .Take(Math.Clamp(take, 1, MaxTake))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Marks one of the actor's alerts read; marking it again changes nothing. Another user's alert is not found.</summary>
    public async Task MarkReadAsync(Actor actor, Guid alertId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow().ToUniversalTime();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mine = db.Alerts.Where(a => a.Id == alertId && a.RecipientId == actor.UserId);
        var changed = await mine.Where(a => a.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(a => a.ReadAt, now), cancellationToken);
        if (changed == 0 && !await mine.AnyAsync(cancellationToken))
            throw new RecordNotFoundException("alert");
    }

    /// <summary>Marks every unread alert of the actor read; returns how many.</summary>
    public async Task<int> MarkAllReadAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow().ToUniversalTime();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Alerts.Where(a => a.RecipientId == actor.UserId && a.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ReadAt, now), cancellationToken);
    }
}

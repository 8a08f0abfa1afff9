using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Recovery;

/// <summary>A promise as a recovery alert names it.</summary>
public sealed record AlertedPromise(Guid CommitmentId, Guid DealId, string Description, RiskLevel Level, string DealTitle)
{
    /// <summary>"Description (deal)", as alert titles end.</summary>
    public string Name => $"{Description} ({DealTitle})";
}

/// <summary>
/// The alerts a recovery plan writes besides the risk alerts (a plan opened by hand, compensation to approve, an
/// overdue step): one row of the alert outbox, in the caller's save, so the bell and the mail follow.
/// </summary>
public static class RecoveryAlerts
{
    public static Task<AlertedPromise> PromiseAsync(AppDbContext db, Guid commitmentId, CancellationToken cancellationToken) =>
        (from c in db.Commitments
         join d in db.Deals on c.DealId equals d.Id
         where c.Id == commitmentId
         select new AlertedPromise(c.Id, c.DealId, c.Description, c.RiskLevel, d.Title)).SingleAsync(cancellationToken);

    public static void Add(AppDbContext db, AlertedPromise promise, string recipientId, string title, string reasons, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(promise);
        db.Alerts.Add(new Alert
        {
            CommitmentId = promise.CommitmentId,
            DealId = promise.DealId,
            RecipientId = recipientId,
            Level = promise.Level,
            Title = Clip(title),
            Reasons = Clip(reasons),
            DetectedAt = now,
        });
    }

    /// <summary>The manager of the user's team, when the team has one.</summary>
    public static Task<string?> TeamManagerOfAsync(AppDbContext db, string userId, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == userId)
            .Join(db.Teams, u => u.TeamId, t => (Guid?)t.Id, (u, t) => t.ManagerId).FirstOrDefaultAsync(cancellationToken);

    private static string Clip(string text) => text.Length <= FieldLengths.Text ? text : text[..(FieldLengths.Text - 1)] + "…";
}

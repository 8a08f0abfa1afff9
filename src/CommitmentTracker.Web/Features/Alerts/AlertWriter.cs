using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Alerts;

/// <summary>A promise as an alert names it.</summary>
public sealed record AlertedPromise(Guid CommitmentId, Guid DealId, string Description, RiskLevel Level, string DealTitle)
{
    /// <summary>"Description (deal)", as alert titles end.</summary>
    public string Name => $"{Description} ({DealTitle})";
}

/// <summary>
/// The one writer of alerts: a row of the alert outbox per recipient, added to the caller's save, so the bell reads it at
/// once and the mail dispatcher sends it. Risk rises, recovery plans and escalations all write through here.
/// </summary>
public static class AlertWriter
{
    public static Task<AlertedPromise> PromiseAsync(AppDbContext db, Guid commitmentId, CancellationToken cancellationToken) =>
        (from c in db.Commitments
         join d in db.Deals on c.DealId equals d.Id
         where c.Id == commitmentId
         select new AlertedPromise(c.Id, c.DealId, c.Description, c.RiskLevel, d.Title)).SingleAsync(cancellationToken);

    /// <summary>Adds one alert for each distinct recipient.</summary>
    public static void Add(AppDbContext db, AlertedPromise promise, IEnumerable<string> recipientIds, string title, string reasons, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(promise);
        var traceParent = Observability.Telemetry.CurrentTraceParent();
        foreach (var recipientId in recipientIds.Distinct())
        {
            db.Alerts.Add(new Alert
            {
                CommitmentId = promise.CommitmentId,
                DealId = promise.DealId,
                RecipientId = recipientId,
                Level = promise.Level,
                Title = Clip(title),
                Reasons = Clip(reasons),
                DetectedAt = now,
                TraceParent = traceParent,
            });
            Observability.Telemetry.AlertsDetected.Add(1, new KeyValuePair<string, object?>("level", promise.Level.ToString()));
        }
    }

    private static string Clip(string text) => text.Length <= FieldLengths.Text ? text : text[..(FieldLengths.Text - 1)] + "…";
}

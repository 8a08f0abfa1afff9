using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CommitmentTracker.Web.Features.Alerts;

/// <summary>
/// The alert mail dispatcher's backlog: alerts still to be mailed, the oldest of them, and those given up. Degraded (still
/// ready: the app serves pages without mail) when an alert has waited longer than <see cref="StaleAfter"/>.
/// </summary>
internal sealed class MailBacklogHealthCheck(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock) : IHealthCheck
{
    /// <summary>An alert waiting this long means mail is not going out (the dispatcher runs every few seconds).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Counted on the dispatcher's partial index (emailed_at IS NULL): small however many alerts were ever mailed.
        var backlog = await db.Alerts.Where(a => a.EmailedAt == null)
            .GroupBy(_ => 1)
            .Select(g => new
            {
                Waiting = g.Count(a => a.EmailAttempts < AlertMailDispatcher.MaxAttempts),
                GivenUp = g.Count(a => a.EmailAttempts >= AlertMailDispatcher.MaxAttempts),
                Oldest = g.Where(a => a.EmailAttempts < AlertMailDispatcher.MaxAttempts).Min(a => (DateTimeOffset?)a.DetectedAt),
            })
            .SingleOrDefaultAsync(cancellationToken);
        var waiting = backlog?.Waiting ?? 0;
        var oldest = backlog?.Oldest;
        var data = new Dictionary<string, object>
        {
            ["waiting"] = waiting,
            ["givenUp"] = backlog?.GivenUp ?? 0,
        };
        if (oldest is { } since)
            data["oldestWaitingSince"] = since;
        if (oldest is { } at && clock.GetUtcNow() - at > StaleAfter)
            return HealthCheckResult.Degraded($"{waiting} alert mails waiting, the oldest since {at:u}: mail is not going out.", data: data);
        return HealthCheckResult.Healthy(waiting == 0 ? "No alert mail waiting." : $"{waiting} alert mails waiting.", data: data);
    }
}

using CommitmentTracker.Domain;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Persistence.Changes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Features.Alerts;

/// <summary>
/// Mails the alerts of the outbox: one mail per alert to its recipient, recording when it went out (the alert time)
/// or why it did not. Runs every few seconds and at once when the app hears of a change. Safe with several instances:
/// each claims its alerts with <c>FOR UPDATE SKIP LOCKED</c> and a lease, so no alert is mailed twice by two of them.
/// </summary>
public sealed class AlertMailDispatcher(
    IDbContextFactory<AppDbContext> dbFactory, MailSender mail, ChangeFeed changes, TimeProvider clock,
    IOptions<EmailOptions> options, PublicAddress links, ILogger<AlertMailDispatcher> logger) : BackgroundService
{
    /// <summary>After this many failed tries an alert is no longer mailed; its error stays for the record.</summary>
    public const int MaxAttempts = 5;

    private const int BatchSize = 20;

    /// <summary>How long a claim holds; longer than a batch takes. A crashed instance's alerts are retried after it.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>Waits before the next try: 30 s, 1 min, 2 min, 4 min.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(30 * Math.Pow(2, Math.Max(0, attempts - 1)));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds));
        changes.DealsChanged += OnDealsChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    while (await DispatchOnceAsync(stoppingToken) == BatchSize)
                    {
                        // A full batch: more may be waiting.
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // a failed round (database away) must not stop the next
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    logger.LogError(ex, "Mailing alerts failed; trying again in {Interval}", interval);
                }

                try
                {
                    await _wake.WaitAsync(interval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        finally
        {
            changes.DealsChanged -= OnDealsChanged;
        }
    }

    /// <summary>A save that raised alerts announces its deal: mail them now rather than at the next poll.</summary>
    private void OnDealsChanged(DealsChanged change)
    {
        if (_wake.CurrentCount > 0)
            return;
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another change woke it already.
        }
    }

    /// <summary>Claims up to a batch of alerts due for a mail, mails them and records the outcome; returns how many were claimed.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.Alerts.FromSql($"""
            UPDATE alerts SET email_next_attempt_at = {now + Lease}
            WHERE id IN (
                SELECT id FROM alerts
                WHERE emailed_at IS NULL AND email_attempts < {MaxAttempts}
                  AND (email_next_attempt_at IS NULL OR email_next_attempt_at <= {now})
                ORDER BY detected_at
                LIMIT {BatchSize}
                FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);
        if (claimed.Count == 0)
            return 0;

        var recipientIds = claimed.Select(a => a.RecipientId).Distinct().ToList();
        var recipients = await db.Users.AsNoTracking().Where(u => recipientIds.Contains(u.Id) && u.IsActive && u.Email != null)
            .ToDictionaryAsync(u => u.Id, u => new MailRecipient(u.DisplayName, u.Email!, u.TimeZone), cancellationToken);
        var dealIds = claimed.Select(a => a.DealId).Distinct().ToList();
        var deals = await db.Deals.AsNoTracking().Where(d => dealIds.Contains(d.Id))
            .Select(d => new { d.Id, d.Title, Account = db.Accounts.Where(a => a.Id == d.AccountId).Select(a => a.Name).FirstOrDefault() })
            .ToDictionaryAsync(d => d.Id, cancellationToken);
        // The mail leads to the promise's open recovery plan when there is one: what to do now.
        var commitmentIds = claimed.Select(a => a.CommitmentId).Distinct().ToList();
        var plans = await db.RecoveryPlans.AsNoTracking().Where(p => commitmentIds.Contains(p.CommitmentId) && p.ResolvedAt == null)
            .Select(p => new { p.CommitmentId, p.Id }).ToDictionaryAsync(p => p.CommitmentId, p => p.Id, cancellationToken);

        MailSession? session = null;
        string? connectError = null;
        try
        {
            try
            {
                session = await mail.OpenAsync(cancellationToken);
            }
            catch (Exception ex) when (MailSender.IsDeliveryFailure(ex))
            {
                connectError = ex.Message;
            }

            foreach (var alert in claimed)
            {
                if (!recipients.TryGetValue(alert.RecipientId, out var recipient))
                {
                    await GiveUpAsync(db, alert, "The recipient has no active account with an email address.", cancellationToken);
                    continue;
                }
                if (session is null)
                {
                    await FailAsync(db, alert, connectError!, cancellationToken);
                    continue;
                }
                // The mail continues the trace of the save that raised the alert: one trace from the click to the mail.
                using var activity = Observability.Telemetry.StartContinuing("alert mail", alert.TraceParent, System.Diagnostics.ActivityKind.Producer);
                activity?.SetTag("commitmenttracker.alert.id", alert.Id);
                activity?.SetTag("commitmenttracker.alert.level", alert.Level.ToString());
                try
                {
                    var deal = deals.GetValueOrDefault(alert.DealId);
                    await session.SendAsync(AlertMails.Alert(links, mail.From, recipient, alert, deal?.Title ?? "a deal", deal?.Account,
                        plans.TryGetValue(alert.CommitmentId, out var planId) ? planId : null), cancellationToken);
                }
                catch (Exception ex) when (MailSender.IsDeliveryFailure(ex))
                {
                    activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
                    await FailAsync(db, alert, ex.Message, cancellationToken);
                    continue;
                }
                await SentAsync(db, alert, cancellationToken);
            }
        }
        finally
        {
            if (session is not null)
                await session.DisposeAsync();
        }
        return claimed.Count;
    }

    private async Task SentAsync(AppDbContext db, Alert alert, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow().ToUniversalTime();
        // The mail is out: record it even if the caller gives up now, else it would go out twice.
        await db.Alerts.Where(a => a.Id == alert.Id).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.EmailedAt, at)
            .SetProperty(a => a.EmailAttempts, a => a.EmailAttempts + 1)
            .SetProperty(a => a.EmailError, (string?)null)
            .SetProperty(a => a.EmailNextAttemptAt, (DateTimeOffset?)null), CancellationToken.None);
        Observability.Telemetry.AlertMailLatency.Record((at - alert.DetectedAt).TotalSeconds, new KeyValuePair<string, object?>("level", alert.Level.ToString()));
        logger.LogInformation("Alert {AlertId} mailed to {RecipientId} {Latency} after detection", alert.Id, alert.RecipientId, at - alert.DetectedAt);
    }

    private async Task FailAsync(AppDbContext db, Alert alert, string error, CancellationToken cancellationToken)
    {
        var attempts = alert.EmailAttempts + 1;
        var next = clock.GetUtcNow().ToUniversalTime() + Backoff(attempts);
        var message = Shorten(error);
        Observability.Telemetry.MailFailures.Add(1, new KeyValuePair<string, object?>("mail", "alert"));
        await db.Alerts.Where(a => a.Id == alert.Id).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.EmailAttempts, attempts)
            .SetProperty(a => a.EmailError, message)
            .SetProperty(a => a.EmailNextAttemptAt, next), cancellationToken);
        if (attempts >= MaxAttempts)
            logger.LogError("Alert {AlertId} to {RecipientId} not mailed after {Attempts} tries, giving up: {Error}", alert.Id, alert.RecipientId, attempts, error);
        else
            logger.LogWarning("Alert {AlertId} to {RecipientId} not mailed (try {Attempts}), trying again at {Next}: {Error}", alert.Id, alert.RecipientId, attempts, next, error);
    }

    private async Task GiveUpAsync(AppDbContext db, Alert alert, string error, CancellationToken cancellationToken)
    {
        await db.Alerts.Where(a => a.Id == alert.Id).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.EmailAttempts, MaxAttempts)
            .SetProperty(a => a.EmailError, error)
            .SetProperty(a => a.EmailNextAttemptAt, (DateTimeOffset?)null), cancellationToken);
        logger.LogWarning("Alert {AlertId} not mailed: {Error} (recipient {RecipientId})", alert.Id, error, alert.RecipientId);
    }

    private static string Shorten(string text) => text.Length > FieldLengths.Text ? text[..FieldLengths.Text] : text;

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}

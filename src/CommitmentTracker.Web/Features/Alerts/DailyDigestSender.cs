using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Features.Alerts;

/// <summary>
/// Sends each manager their team's at-risk list once a day, from <see cref="EmailOptions.DigestHourUtc"/>. A row per
/// manager and day remembers what was handled, and one instance at a time sends (a PostgreSQL advisory lock), so
/// restarts and several instances still send one digest a day.
/// </summary>
public sealed class DailyDigestSender(
    IDbContextFactory<AppDbContext> dbFactory, DigestService digests, MailSender mail, TimeProvider clock,
    IOptions<EmailOptions> options, PublicAddress links, ILogger<DailyDigestSender> logger) : BackgroundService
{
    private const long AdvisoryLockKey = 0x4354446967657374; // "CTDigest"

    /// <summary>How often it looks whether digests are due; a failed send is tried again at the next look.</summary>
    private static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, clock);
        do
        {
            try
            {
                await SendDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // one failed round must not stop tomorrow's digests
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Sending the daily digests failed; trying again in {Interval}", CheckEvery);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Sends today's digest to every active manager of a team who has not had it yet, once the digest hour has come;
    /// returns how many mails went out. A manager with nothing at risk gets no mail, and the day counts as done.
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (now.UtcDateTime.Hour < Math.Clamp(options.Value.DigestHourUtc, 0, 23))
            return 0;
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        await using var lockDb = await dbFactory.CreateDbContextAsync(cancellationToken);
        await lockDb.Database.OpenConnectionAsync(cancellationToken);
        var locked = await lockDb.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({AdvisoryLockKey}) AS \"Value\"").SingleAsync(cancellationToken);
        if (!locked)
            return 0;
        MailSession? session = null;
        var sent = 0;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var due = await db.ActiveManagers().Select(m => m.Id)
                .Where(id => !db.DailyDigests.Any(d => d.ManagerId == id && d.Date == today))
                .ToListAsync(cancellationToken);
            foreach (var managerId in due)
            {
                var digest = await digests.BuildAsync(managerId, now, cancellationToken);
                if (digest is null)
                    continue;
                if (digest.Promises.Count > 0 && !string.IsNullOrWhiteSpace(digest.Email))
                {
                    session ??= await mail.OpenAsync(cancellationToken);
                    await session.SendAsync(AlertMails.Digest(links, mail.From, digest), cancellationToken);
                    sent++;
                }
                db.DailyDigests.Add(new DailyDigest { ManagerId = managerId, Date = today, SentAt = now.ToUniversalTime(), Promises = digest.Promises.Count });
                // Recorded per manager at once: a failure later in the round does not send this one again.
                await db.SaveChangesAsync(CancellationToken.None);
            }
            if (sent > 0)
                logger.LogInformation("Daily digest sent to {Count} managers", sent);
            return sent;
        }
        catch (Exception ex) when (MailSender.IsDeliveryFailure(ex))
        {
            Observability.Telemetry.MailFailures.Add(1, new KeyValuePair<string, object?>("mail", "digest"));
            logger.LogWarning(ex, "A daily digest could not be sent; trying again in {Interval}", CheckEvery);
            return sent;
        }
        finally
        {
            if (session is not null)
                await session.DisposeAsync();
            await lockDb.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }
}

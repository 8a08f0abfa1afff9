using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Features.Risk;

/// <summary>Settings of the periodic risk sweep (section "Risk").</summary>
public sealed class RiskSweepOptions
{
    public const string Section = "Risk";

    /// <summary>How often promises are re-evaluated for what time alone changes (a date passing, a milestone going stale).</summary>
    public int SweepIntervalMinutes { get; set; } = 10;

    public bool SweepEnabled { get; set; } = true;
}

/// <summary>
/// Re-evaluates, on a timer, the promises that time alone can move: those whose review day (stored with every assessment)
/// has come, or every open promise once after the thresholds changed. Only rows whose assessment changed are written, so
/// pages left open keep their row versions; what it writes is audited and announced like any save. One instance at a time
/// sweeps (a PostgreSQL advisory lock), so several web instances do not alert twice.
/// </summary>
public sealed class RiskSweep(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, IOptions<RiskSweepOptions> options, ILogger<RiskSweep> logger) : BackgroundService
{
    private const long AdvisoryLockKey = 0x436F6D6D69745377; // "CommitSw"
    private const int DealsPerBatch = 200;
    private const int AttemptsPerBatch = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SweepEnabled)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.Value.SweepIntervalMinutes)), clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // one failed sweep must not stop the next
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Risk sweep failed; it runs again at the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// One sweep over the promises due for review, then over overdue recovery steps (escalated once); returns how many
    /// promises changed level.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await using var lockDb = await dbFactory.CreateDbContextAsync(cancellationToken);
        await lockDb.Database.OpenConnectionAsync(cancellationToken);
        var locked = await lockDb.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({AdvisoryLockKey}) AS \"Value\"").SingleAsync(cancellationToken);
        if (!locked)
            return 0;
        using var activity = Observability.Telemetry.Source.StartActivity("risk sweep");
        var started = clock.GetTimestamp();
        try
        {
            var settings = await lockDb.RiskSettings.AsNoTracking()
                .Select(s => new { s.ReviewAllPending, Version = EF.Property<uint>(s, AppDbContext.Version) }).SingleOrDefaultAsync(cancellationToken);
            var reviewAll = settings?.ReviewAllPending == true;
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var (changed, deals) = (0, 0);
            Guid? after = null;
            while (true)
            {
                var batch = await DueDealsAsync(lockDb, reviewAll, today, after, cancellationToken);
                if (batch.Count == 0)
                    break;
                changed += await ReviewAsync(batch, cancellationToken);
                (deals, after) = (deals + batch.Count, batch[^1]);
            }
            if (reviewAll)
            {
                // Cleared only if no admin changed the thresholds again meanwhile (then the next sweep reviews all again).
                await lockDb.RiskSettings.Where(s => EF.Property<uint>(s, AppDbContext.Version) == settings!.Version)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.ReviewAllPending, false), cancellationToken);
            }
            activity?.SetTag("commitmenttracker.sweep.deals", deals);
            activity?.SetTag("commitmenttracker.sweep.promises_changed", changed);
            Observability.Telemetry.SweepPromisesChanged.Add(changed);
            if (deals > 0)
                logger.LogInformation("Risk sweep: reviewed {Deals} deals, {Changed} promises changed level", deals, changed);
            var escalated = await Recovery.RecoveryEscalation.RunOnceAsync(dbFactory, clock.GetUtcNow(), cancellationToken);
            if (escalated > 0)
                logger.LogInformation("Risk sweep: {Escalated} overdue recovery steps escalated", escalated);
            return changed;
        }
        finally
        {
            Observability.Telemetry.SweepDuration.Record(clock.GetElapsedTime(started).TotalSeconds);
            await lockDb.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>The next deals (by id, after <paramref name="after"/>) with an open promise of ours whose review day has come.</summary>
    private static Task<List<Guid>> DueDealsAsync(AppDbContext db, bool reviewAll, DateOnly today, Guid? after, CancellationToken cancellationToken)
    {
        var due = reviewAll
            ? db.Commitments.Where(c => c.Direction == CommitmentDirection.Ours && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken))
            : db.Commitments.Where(c => c.RiskReviewOn <= today);
        if (after is { } last)
            due = due.Where(c => c.DealId > last);
        return due.Select(c => c.DealId).Distinct().OrderBy(id => id).Take(DealsPerBatch).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Re-evaluates the deals' promises and saves what changed. A user saving one of them meanwhile wins (their save
    /// re-evaluated it too): the batch is read again and retried, so the pass is never abandoned for it.
    /// </summary>
    private async Task<int> ReviewAsync(IReadOnlyCollection<Guid> dealIds, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.ChangedAt = now;
            // Thousands of tracked rows per batch: detect changes once, here, not on every look at the change tracker
            // (the save's interceptors detect them again explicitly before they read).
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await RiskReevaluation.ApplyBeforeSaveAsync(db, dealIds, now, cancellationToken);
            db.ChangeTracker.DetectChanges();
            var changed = db.ChangeTracker.Entries<Commitment>().Count(e => e.Property(c => c.RiskLevel).IsModified);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return changed;
            }
            catch (DbUpdateConcurrencyException)
            {
                if (attempt < AttemptsPerBatch)
                    continue;
                // Still busy: these deals keep their review day, so the next pass takes them up again.
                logger.LogInformation("Risk sweep: deals changed by users throughout {Attempts} attempts were left for the next pass", AttemptsPerBatch);
                return 0;
            }
        }
    }
}

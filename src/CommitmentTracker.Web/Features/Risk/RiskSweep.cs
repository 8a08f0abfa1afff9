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

    /// <summary>The instance recorded with each run (set from <c>App:InstanceName</c>).</summary>
    public string Instance { get; set; } = AppInstance.DefaultName;

    public TimeSpan Interval => TimeSpan.FromMinutes(Math.Max(1, SweepIntervalMinutes));
}

/// <summary>
/// Re-evaluates, on a timer, the promises that time alone can move: those whose review day (stored with every assessment)
/// has come, or every open promise once after the thresholds changed. Only rows whose assessment changed are written, so
/// pages left open keep their row versions; what it writes is audited and announced like any save. With several web
/// instances, one at a time sweeps (a PostgreSQL advisory lock held for the run), and each run is recorded in
/// <c>risk_sweep_runs</c>: an instance whose timer ticks within 90% of the interval after another's run skips its turn,
/// so the instances share one timetable and the sweep runs once per interval, not once per instance.
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
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                await RunIfDueAsync(stoppingToken);
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
    /// The timer's turn: sweeps unless an instance (this or another) started a sweep within 90% of the interval, or is
    /// sweeping now. Returns the run, or null when it was skipped.
    /// </summary>
    public async Task<RiskSweepRun?> RunIfDueAsync(CancellationToken cancellationToken = default)
    {
        var gap = options.Value.Interval * 0.9;
        return await RunLockedAsync(async lockDb =>
        {
            var now = clock.GetUtcNow();
            var last = await lockDb.RiskSweepRuns.AsNoTracking().Where(r => r.StartedAt <= now)
                .OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(cancellationToken);
            if (last is not null && now - last.StartedAt < gap)
            {
                logger.LogInformation("Risk sweep skipped by {Instance}: {LastInstance} ran one at {LastStartedAt}", options.Value.Instance, last.Instance, last.StartedAt);
                return false;
            }
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// One sweep over the promises due for review, then over overdue recovery steps (escalated once); returns how many
    /// promises changed level (0 when another instance is sweeping right now). Recorded in <c>risk_sweep_runs</c>.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default) =>
        (await RunLockedAsync(_ => Task.FromResult(true), cancellationToken))?.PromisesChanged ?? 0;

    /// <summary>Holds the sweep's advisory lock (or returns null at once if another instance holds it), asks <paramref name="due"/>, and runs.</summary>
    private async Task<RiskSweepRun?> RunLockedAsync(Func<AppDbContext, Task<bool>> due, CancellationToken cancellationToken)
    {
        await using var lockDb = await dbFactory.CreateDbContextAsync(cancellationToken);
        await lockDb.Database.OpenConnectionAsync(cancellationToken);
        // Session-level, on this one open connection: held for the whole run, however many transactions it makes.
        var locked = await lockDb.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({AdvisoryLockKey}) AS \"Value\"").SingleAsync(cancellationToken);
        if (!locked)
        {
            logger.LogInformation("Risk sweep skipped by {Instance}: another instance is sweeping", options.Value.Instance);
            return null;
        }
        try
        {
            if (!await due(lockDb))
                return null;
            using var activity = Observability.Telemetry.Source.StartActivity("risk sweep");
            var started = clock.GetTimestamp();
            var run = new RiskSweepRun { StartedAt = clock.GetUtcNow().ToUniversalTime(), Instance = options.Value.Instance };
            lockDb.RiskSweepRuns.Add(run);
            await lockDb.SaveChangesAsync(cancellationToken);
            var changed = await SweepAsync(lockDb, cancellationToken);
            var finishedAt = clock.GetUtcNow().ToUniversalTime();
            activity?.SetTag("commitmenttracker.sweep.instance", options.Value.Instance);
            activity?.SetTag("commitmenttracker.sweep.promises_changed", changed);
            Observability.Telemetry.SweepPromisesChanged.Add(changed);
            Observability.Telemetry.SweepDuration.Record(clock.GetElapsedTime(started).TotalSeconds);
            await lockDb.RiskSweepRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.FinishedAt, finishedAt)
                .SetProperty(r => r.PromisesChanged, changed), CancellationToken.None);
            run.FinishedAt = finishedAt;
            run.PromisesChanged = changed;
            return run;
        }
        finally
        {
            await lockDb.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private async Task<int> SweepAsync(AppDbContext lockDb, CancellationToken cancellationToken)
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
        System.Diagnostics.Activity.Current?.SetTag("commitmenttracker.sweep.deals", deals);
        if (deals > 0)
            logger.LogInformation("Risk sweep: reviewed {Deals} deals, {Changed} promises changed level", deals, changed);
        var escalated = await Recovery.RecoveryEscalation.RunOnceAsync(dbFactory, clock.GetUtcNow(), cancellationToken);
        if (escalated > 0)
            logger.LogInformation("Risk sweep: {Escalated} overdue recovery steps escalated", escalated);
        return changed;
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

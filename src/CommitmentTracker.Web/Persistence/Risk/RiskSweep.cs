using CommitmentTracker.Domain.Commitments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Persistence.Risk;

/// <summary>Settings of the periodic risk sweep (section "Risk").</summary>
public sealed class RiskSweepOptions
{
    public const string Section = "Risk";

    /// <summary>How often promises are re-evaluated for what time alone changes (a date passing, a milestone going stale).</summary>
    public int SweepIntervalMinutes { get; set; } = 10;

    public bool SweepEnabled { get; set; } = true;
}

/// <summary>
/// Re-evaluates every open promise of ours on a timer: time alone moves a promise to Late or Watch. One instance
/// at a time sweeps (a PostgreSQL advisory lock), so several web instances do not alert twice.
/// </summary>
public sealed class RiskSweep(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, IOptions<RiskSweepOptions> options, ILogger<RiskSweep> logger) : BackgroundService
{
    private const long AdvisoryLockKey = 0x436F6D6D69745377; // "CommitSw"
    private const int BatchSize = 100;

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
    /// One sweep over every deal with open promises of ours, then over overdue recovery steps (escalated once);
    /// returns how many promises changed level.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await using var lockDb = await dbFactory.CreateDbContextAsync(cancellationToken);
        await lockDb.Database.OpenConnectionAsync(cancellationToken);
        var locked = await lockDb.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({AdvisoryLockKey}) AS \"Value\"").SingleAsync(cancellationToken);
        if (!locked)
            return 0;
        try
        {
            await using var read = await dbFactory.CreateDbContextAsync(cancellationToken);
            var dealIds = await read.Commitments.AsNoTracking()
                .Where(c => c.Direction == CommitmentDirection.Ours && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken))
                .Select(c => c.DealId).Distinct().ToListAsync(cancellationToken);
            var changed = 0;
            foreach (var batch in dealIds.Chunk(BatchSize))
            {
                var now = clock.GetUtcNow();
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                db.ChangedAt = now;
                await RiskReevaluation.ApplyAsync(db, batch, now, cancellationToken);
                changed += db.ChangeTracker.Entries<Commitment>().Count(e => e.Property(c => c.RiskLevel).IsModified);
                await db.SaveChangesAsync(cancellationToken);
            }
            if (changed > 0)
                logger.LogInformation("Risk sweep: {Changed} promises changed level across {Deals} deals", changed, dealIds.Count);
            var escalated = await Features.Recovery.RecoveryEscalation.RunOnceAsync(dbFactory, clock.GetUtcNow(), cancellationToken);
            if (escalated > 0)
                logger.LogInformation("Risk sweep: {Escalated} overdue recovery steps escalated", escalated);
            return changed;
        }
        finally
        {
            await lockDb.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }
}

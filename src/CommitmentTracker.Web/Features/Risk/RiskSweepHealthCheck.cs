using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Features.Risk;

/// <summary>
/// The risk sweep's last run, by any instance (<c>risk_sweep_runs</c>): when, where, how many promises changed. Degraded
/// (still ready) when no run has started for three intervals, or the last one never finished and has been going that long:
/// promises then stop turning late by themselves.
/// </summary>
internal sealed class RiskSweepHealthCheck(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, IOptions<RiskSweepOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var last = await db.RiskSweepRuns.AsNoTracking().OrderByDescending(r => r.StartedAt).FirstOrDefaultAsync(cancellationToken);
        var overdueAfter = options.Value.Interval * 3;
        if (last is null)
            return HealthCheckResult.Healthy("The risk sweep has not run yet.", new Dictionary<string, object> { ["intervalMinutes"] = options.Value.Interval.TotalMinutes });
        var data = new Dictionary<string, object>
        {
            ["lastStartedAt"] = last.StartedAt,
            ["instance"] = last.Instance,
            ["intervalMinutes"] = options.Value.Interval.TotalMinutes,
        };
        if (last.FinishedAt is { } finished)
            data["lastFinishedAt"] = finished;
        if (last.PromisesChanged is { } changed)
            data["promisesChanged"] = changed;
        var age = clock.GetUtcNow() - last.StartedAt;
        if (age > overdueAfter)
            return HealthCheckResult.Degraded($"The risk sweep last started {age.TotalMinutes:0} minutes ago (every {options.Value.Interval.TotalMinutes:0} expected).", data: data);
        return HealthCheckResult.Healthy(last.FinishedAt is null
            ? $"The risk sweep is running on {last.Instance}."
            : $"The risk sweep last ran on {last.Instance}: {last.PromisesChanged} promises changed level.", data);
    }
}

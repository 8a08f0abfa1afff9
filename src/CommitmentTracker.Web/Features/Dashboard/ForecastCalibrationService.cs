using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Dashboard;

/// <summary>How often promises made with an 80% chance or more were kept, for one kind and department.</summary>
public sealed record CalibrationRow(CommitmentKind Kind, Department Department, int Promises, int Kept, decimal AverageChance)
{
    public double KeptShare => Promises == 0 ? 0 : (double)Kept / Promises;
}

/// <summary>A promise of the team made on a date the history gave less than the minimum chance.</summary>
public sealed record LowChancePromise(Guid DealId, string DealTitle, string RepName, CommitmentKind Kind, string Description, DateOnly PromisedDate, decimal Chance, AggressiveApproval Approval);

/// <summary>The forecast's part of the dashboard.</summary>
public sealed record ForecastCalibrationView(
    bool HasTeam, decimal MinimumChance, IReadOnlyList<CalibrationRow> Calibration, int BelowMinimumCount, IReadOnlyList<LowChancePromise> BelowMinimum);

/// <summary>
/// Whether the forecast tells the truth (promises made at 80% or more: kept how often, judged against their first date)
/// and the team's promises made below the minimum chance, both counted by PostgreSQL over the dashboard's scope.
/// </summary>
public sealed class ForecastCalibrationService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Promises made in this many days count.</summary>
    public const int WindowDays = 365;

    public const int ListSize = 10;

    public async Task<ForecastCalibrationView> GetAsync(Actor actor, Guid? teamId, CancellationToken cancellationToken = default)
    {
        DashboardScope.EnsureAllowed(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var minimum = (await Forecasts.ForecastCurves.SettingsAsync(db, cancellationToken)).MinimumProbability;
        var scope = await DashboardScope.ResolveAsync(db, actor, teamId, cancellationToken);
        if (!scope.HasTeam)
            return new ForecastCalibrationView(false, minimum, [], 0, []);
        var since = clock.GetUtcNow().AddDays(-WindowDays);
        var made = scope.Commitments(db).Where(c => c.Direction == CommitmentDirection.Ours && c.ForecastProbability != null && c.CreatedAt >= since);

        // Settled: kept, kept late or broken. Kept means done by the first date promised (a renegotiation does not make it kept).
        var calibration = await made
            .Where(c => c.ForecastProbability >= 0.8m
                && (c.Status == CommitmentStatus.Kept || c.Status == CommitmentStatus.KeptLate || c.Status == CommitmentStatus.Broken))
            .GroupBy(c => new { c.Kind, c.Department })
            .Select(g => new CalibrationRow(
                g.Key.Kind,
                g.Key.Department,
                g.Count(),
                g.Count(c => c.CompletedOn != null && c.CompletedOn <= c.OriginalPromisedDate),
                g.Average(c => c.ForecastProbability!.Value)))
            .ToListAsync(cancellationToken);

        var below = made.Where(c => c.ForecastProbability < minimum);
        var count = await below.CountAsync(cancellationToken);
        var list = count == 0 ? [] : await (
            from c in below
            join d in db.Deals on c.DealId equals d.Id
            join u in db.Users on c.DealOwnerId equals u.Id
            orderby c.CreatedAt descending
            select new LowChancePromise(d.Id, d.Title, u.DisplayName, c.Kind, c.Description, c.PromisedDate, c.ForecastProbability!.Value, c.AggressiveApproval))
            .Take(ListSize).ToListAsync(cancellationToken);
        return new ForecastCalibrationView(true, minimum, [.. calibration.OrderBy(r => r.Kind).ThenBy(r => r.Department)], count, list);
    }
}

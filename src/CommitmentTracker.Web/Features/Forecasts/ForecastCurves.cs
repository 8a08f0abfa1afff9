using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Forecasts;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Forecasts;

/// <summary>Reads the precomputed curves a forecast needs: a few rows by primary key.</summary>
public static class ForecastCurves
{
    public static ForecastSubject SubjectOf(CommitmentKind kind, Department department, decimal dealValue, int milestoneCount) =>
        new(kind, department, ReferenceGroup.BandOf(dealValue), ReferenceGroup.CappedMilestones(milestoneCount));

    /// <summary>The curves of every group of the subjects' chains, by group key (missing groups have no history).</summary>
    public static Task<Func<ReferenceGroup, SurvivalCurve?>> LoadAsync(AppDbContext db, IEnumerable<ForecastSubject> subjects, CancellationToken cancellationToken) =>
        LoadAsync(db, subjects.Select(s => (s, (PlanStage?)null)), cancellationToken);

    /// <summary>As above, for open promises: also the chains timed from the stage each one's plan is at.</summary>
    public static async Task<Func<ReferenceGroup, SurvivalCurve?>> LoadAsync(
        AppDbContext db, IEnumerable<(ForecastSubject Subject, PlanStage? Stage)> subjects, CancellationToken cancellationToken)
    {
        var keys = subjects
            .SelectMany(s => s.Stage is null or PlanStage.NotStarted ? ReferenceGroup.ChainFor(s.Subject) : [.. ReferenceGroup.ChainFor(s.Subject), .. ReferenceGroup.ChainFor(s.Subject, s.Stage)])
            .Select(g => g.Key).Distinct().ToList();
        var rows = keys.Count == 0 ? [] : await db.ForecastCurves.AsNoTracking().Where(c => keys.Contains(c.GroupKey)).ToListAsync(cancellationToken);
        var curves = rows.ToDictionary(r => r.GroupKey, r => r.ToCurve());
        return group => curves.GetValueOrDefault(group.Key);
    }

    public static async Task<ForecastSettings> SettingsAsync(AppDbContext db, CancellationToken cancellationToken) =>
        (await db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new RiskSettingsRecord()).ToForecastSettings();

    /// <summary>The number of milestones a new promise of the kind will be planned with: its template's steps (none without one).</summary>
    public static async Task<int> TemplateMilestonesAsync(AppDbContext db, CommitmentKind kind, CancellationToken cancellationToken)
    {
        var template = await db.MilestoneTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Kind == kind, cancellationToken);
        return template?.Steps.Count ?? 0;
    }
}

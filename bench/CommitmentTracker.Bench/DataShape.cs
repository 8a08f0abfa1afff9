using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Bench;

/// <summary>What the generated data looks like, for the results file: a reader can tell it is realistic, not trivial.</summary>
internal static class DataShape
{
    public static IEnumerable<string> Describe()
    {
        var saved = new RiskBenchmarks();
        saved.SetUpSave();
        yield return $"- Per save: {Shape(saved.SavedDeal)}.";

        var sweep = new RiskBenchmarks();
        sweep.SetUpSweep();
        yield return $"- Sweep: {sweep.SweptDeals.Count:N0} deals; {Shape([.. sweep.SweptDeals])}.";

        var recovery = new RecoveryBenchmarks();
        recovery.SetUpRanking();
        yield return $"- Ranking: {RecoveryBenchmarks.Candidates:N0} candidates, "
            + $"{recovery.RankTenThousandReshuffleCandidates().Count:N0} of them can give the 7 days.";

        recovery.SetUpMetrics();
        var figures = recovery.RecoveryMetricsOfTwoThousandClosedPlans();
        yield return $"- Recovery metrics: {figures.ClosedPlans:N0} plans closed in the window, {figures.ByRootCause.Count} root causes, "
            + $"{figures.Compensation.Sum(c => c.Plans):N0} compensated in {figures.Compensation.Count} currencies.";
    }

    private static string Shape(params Deal[] deals)
    {
        var ours = deals.SelectMany(d => d.Commitments).Where(c => c.Direction == CommitmentDirection.Ours).ToList();
        var milestones = ours.SelectMany(c => c.Milestones).ToList();
        var levels = deals
            .SelectMany(d => d.Commitments.Where(c => c.Direction == CommitmentDirection.Ours).Select(c => RiskEvaluator.Evaluate(
                c, d.Commitments.Where(t => t.Direction == CommitmentDirection.Theirs), RiskSettings.Defaults, SampleData.Now)))
            .GroupBy(a => a.Level)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Count():N0} {g.Key}");
        return $"{ours.Count:N0} promises of ours ({string.Join(", ", levels)}; {ours.Count(c => c.DateHistory.Count > 0):N0} renegotiated), "
            + $"{milestones.Count:N0} milestones with {milestones.Sum(m => m.Updates.Count):N0} updates, "
            + $"{deals.Sum(d => d.Commitments.Count(c => c.Direction == CommitmentDirection.Theirs)):N0} promises of the customers'";
    }
}

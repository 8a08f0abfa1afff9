using BenchmarkDotNet.Attributes;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Recovery;

namespace CommitmentTracker.Bench;

/// <summary>
/// The recovery pages' in-memory work: ranking the promises that could give up days for one in trouble (the Options
/// step), and the dashboard's "what the recovery plans teach" over a year of closed plans.
/// </summary>
[MemoryDiagnoser]
public class RecoveryBenchmarks
{
    public const int Candidates = 10_000;
    public const int ClosedPlans = 2_000;

    private ReshuffleCandidateInput[] _candidates = [];
    private RecoveryPlanFacts[] _closedPlans = [];

    [GlobalSetup(Target = nameof(RankTenThousandReshuffleCandidates))]
    public void SetUpRanking()
    {
        var data = new SampleData(seed: 3);
        _candidates = [.. Enumerable.Range(0, Candidates).Select(_ => data.ReshuffleCandidate())];
    }

    [GlobalSetup(Target = nameof(RecoveryMetricsOfTwoThousandClosedPlans))]
    public void SetUpMetrics()
    {
        var data = new SampleData(seed: 4);
        _closedPlans = [.. Enumerable.Range(0, ClosedPlans).Select(_ => data.ClosedRecoveryPlan())];
    }

    /// <summary>A delivery that needs 7 days, against 10,000 other promises of every kind (about a sixth are deliveries).</summary>
    [Benchmark]
    public IReadOnlyList<ReshuffleCandidate> RankTenThousandReshuffleCandidates() =>
        ReshuffleRanking.Candidates(7, CommitmentKind.Delivery, _candidates, excludingCommitmentId: _candidates[0].CommitmentId);

    /// <summary>The root-cause Pareto, department split, compensation and durations of 2,000 plans closed in the last year.</summary>
    [Benchmark]
    public RecoveryFigures RecoveryMetricsOfTwoThousandClosedPlans() =>
        RecoveryMetrics.Of(_closedPlans, SampleData.Now.AddDays(-365));
}

using BenchmarkDotNet.Attributes;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Bench;

/// <summary>
/// Risk evaluation as the app runs it (Persistence/Risk/RiskReevaluation.cs): every save re-evaluates each promise of
/// the deals it touched against the deal's customer promises, and the periodic sweep does the same for every deal.
/// </summary>
[MemoryDiagnoser]
public class RiskBenchmarks
{
    public const int SweepDeals = 500;

    private Deal _savedDeal = null!;
    private Deal[] _sweptDeals = [];

    internal Deal SavedDeal => _savedDeal;
    internal IReadOnlyList<Deal> SweptDeals => _sweptDeals;

    [GlobalSetup(Target = nameof(EvaluateDealOnSave))]
    public void SetUpSave() => _savedDeal = new SampleData(seed: 1).Deal(promisesOfOurs: 10, milestonesEach: 6);

    [GlobalSetup(Target = nameof(SweepFiveThousandPromises))]
    public void SetUpSweep()
    {
        var data = new SampleData(seed: 2);
        _sweptDeals = [.. Enumerable.Range(0, SweepDeals).Select(_ => data.Deal(promisesOfOurs: 10, milestonesEach: 6))];
    }

    /// <summary>One save: a deal with 10 promises of ours of 6 milestones each (and their update history), plus 3 of the customer's.</summary>
    [Benchmark]
    public int EvaluateDealOnSave() => Evaluate(_savedDeal);

    /// <summary>The sweep's in-memory work: 500 such deals, 5,000 promises of ours.</summary>
    [Benchmark]
    public int SweepFiveThousandPromises()
    {
        var notOnTrack = 0;
        foreach (var deal in _sweptDeals)
            notOnTrack += Evaluate(deal);
        return notOnTrack;
    }

    /// <summary>The loop of RiskReevaluation for one deal; returns how many promises are not on track.</summary>
    private static int Evaluate(Deal deal)
    {
        var customers = deal.Commitments.Where(c => c.Direction == CommitmentDirection.Theirs).ToList();
        var notOnTrack = 0;
        foreach (var commitment in deal.Commitments)
        {
            if (RiskEvaluator.Evaluate(commitment, customers, RiskSettings.Defaults, SampleData.Now).Level != RiskLevel.OnTrack)
                notOnTrack++;
        }
        return notOnTrack;
    }
}

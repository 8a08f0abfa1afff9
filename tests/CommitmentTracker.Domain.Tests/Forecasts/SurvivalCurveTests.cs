using CommitmentTracker.Domain.Forecasts;

namespace CommitmentTracker.Domain.Tests.Forecasts;

/// <summary>The Kaplan-Meier estimate: exact on small cases, accurate on generated histories with a known distribution.</summary>
public sealed class SurvivalCurveTests
{
    [Fact]
    public void A_promise_censored_on_a_day_is_still_at_risk_on_that_day()
    {
        // Four promises: done on day 1, done on day 2, open and seen undone after day 2, done on day 3.
        var curve = SurvivalCurve.Estimate([new(1, true), new(2, true), new(2, false), new(3, true)]);

        Assert.Equal([1, 2, 3], curve.Days);
        Assert.Equal(0.75, curve.UndoneAfter(1), 9);
        Assert.Equal(0.75 * 2 / 3, curve.UndoneAfter(2), 9);
        Assert.Equal(0.0, curve.UndoneAfter(3), 9);
        Assert.Equal((4, 3), (curve.Promises, curve.Completed));
    }

    [Fact]
    public void Before_the_first_completion_nothing_is_done_and_a_share_never_reached_has_no_date()
    {
        var curve = SurvivalCurve.Estimate([new(5, true), new(10, false), new(10, false)]);

        Assert.Equal(0.0, curve.DoneWithin(4));
        Assert.Equal(5, curve.DaysFor(1.0 / 3));
        Assert.Null(curve.DaysFor(0.5));
    }

    [Fact]
    public void A_promise_still_open_at_an_age_is_judged_only_against_those_undone_at_that_age()
    {
        // Ten promises done on days 1..10: undone after day 5 are 50%, after day 8 are 20%.
        var curve = SurvivalCurve.Estimate(Enumerable.Range(1, 10).Select(d => new PromiseObservation(d, true)));

        Assert.Equal(0.8, curve.DoneWithin(8), 9);
        Assert.Equal(0.6, curve.DoneWithin(8, age: 5)!.Value, 9);
        Assert.Equal(0.0, curve.DoneWithin(4, age: 5)!.Value, 9);
        Assert.Equal(9, curve.DaysFor(0.8, age: 5)); // (0.5 - 0.1) / 0.5
    }

    [Theory]
    [InlineData(1000, 11)]
    [InlineData(3000, 12)]
    public void The_80_percent_date_lies_within_5_percent_of_the_true_quantile(int promises, int seed)
    {
        var curve = SurvivalCurve.Estimate(new GeneratedHistory(seed).Completed(promises));

        var truth = GeneratedHistory.TrueQuantile(0.8);
        var estimate = curve.DaysFor(0.8)!.Value;

        Assert.InRange(estimate, truth * 0.95, truth * 1.05);
    }

    [Fact]
    public void Thirty_percent_open_promises_do_not_bias_the_estimate_while_counting_only_completed_ones_does()
    {
        var history = new GeneratedHistory(seed: 7).Staggered(3000, windowDays: 110);
        var open = history.Count(o => !o.Completed) / (double)history.Count;
        Assert.InRange(open, 0.27, 0.33);
        var truth = GeneratedHistory.TrueQuantile(0.8);

        var survival = SurvivalCurve.Estimate(history).DaysFor(0.8)!.Value;
        var completedOnly = SurvivalCurve.Estimate(history.Where(o => o.Completed)).DaysFor(0.8)!.Value;

        Assert.InRange(survival, truth * 0.95, truth * 1.05);
        // Leaving the open ones out keeps only the quick ones that finished already: the date comes out far too early.
        Assert.True(completedOnly < truth * 0.90, $"completed-only 80% date {completedOnly} vs true {truth:F1}");
    }

    [Fact]
    public void Promises_dated_at_the_80_percent_estimate_are_kept_80_percent_of_the_time_later()
    {
        // Learn from a history with open promises, then promise 2,000 new ones at the estimated 80% date.
        var curve = SurvivalCurve.Estimate(new GeneratedHistory(seed: 21).Staggered(2000, windowDays: 110));
        var days80 = curve.DaysFor(0.8)!.Value;
        var later = new GeneratedHistory(seed: 22);

        var kept = Enumerable.Range(0, 2000).Count(_ => later.Days() <= days80) / 2000.0;

        Assert.InRange(kept, 0.75, 0.85);
    }

    [Fact]
    public void The_chance_of_a_date_matches_the_true_chance()
    {
        var curve = SurvivalCurve.Estimate(new GeneratedHistory(seed: 5).Staggered(3000, windowDays: 110));

        foreach (var days in new[] { 20, 30, 45, 60 })
            Assert.InRange(curve.DoneWithin(days), GeneratedHistory.TrueDoneWithin(days) - 0.04, GeneratedHistory.TrueDoneWithin(days) + 0.04);
    }
}

using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Tests;

/// <summary>The day time alone could next change a promise's risk: the sweep looks only at promises whose day has come.</summary>
public sealed class RiskReviewDayTests
{
    private static DateOnly? ReviewOn(Commitment promise, DateOnly today, params Commitment[] customers)
    {
        var now = Build.At(today);
        return RiskEvaluator.ReviewOn(promise, customers, RiskSettings.Defaults, RiskEvaluator.Evaluate(promise, customers, RiskSettings.Defaults, now), now);
    }

    [Fact]
    public void A_promise_without_milestones_is_next_looked_at_the_day_after_its_promised_date()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(40)));

        Assert.Equal(Build.Day(41), ReviewOn(promise, Build.Today));
    }

    [Fact]
    public void The_earliest_of_a_milestone_falling_behind_plan_and_the_schedule_check_comes_first()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(40)));
        promise.AddMilestone("Order parts", null, Build.Day(10));
        promise.AddMilestone("Ship", null, Build.Day(35));

        // The first milestone falls behind plan on day 11; 75% of 40 days passes on day 30.
        Assert.Equal(Build.Day(11), ReviewOn(promise, Build.Today));
        Build.Update(promise, promise.Milestones[0], Build.Done(Build.Day(5)), Build.Day(5));
        Assert.Equal(Build.Day(30), ReviewOn(promise, Build.Day(5)));
    }

    [Fact]
    public void A_customer_promise_falling_due_brings_the_review_forward()
    {
        var deal = Build.Deal();
        var ours = Build.Promise(deal, Build.Ours(promised: Build.Day(40)));
        var theirs = Build.Promise(deal, Build.Theirs(promised: Build.Day(7)));

        Assert.Equal(Build.Day(8), ReviewOn(ours, Build.Today, theirs));
    }

    [Fact]
    public void A_reason_that_counts_days_is_looked_at_again_tomorrow()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(5)));

        Assert.Equal(Build.Day(11), ReviewOn(promise, Build.Day(10)));
    }

    [Fact]
    public void Closed_promises_and_the_customers_own_are_never_swept()
    {
        var deal = Build.Deal();
        var theirs = Build.Promise(deal, Build.Theirs(promised: Build.Day(7)));
        var waived = Build.Promise(draft: Build.Ours(promised: Build.Day(40)));
        waived.Waive("Customer cancelled the training", Build.Rep, Build.Now);

        Assert.Null(ReviewOn(theirs, Build.Today));
        Assert.Null(ReviewOn(waived, Build.Today));
    }
}

/// <summary>The review day is exact: nothing changes before it, and on it the assessment does change.</summary>
public sealed class RiskReviewDayPropertyTests
{
    private static readonly RiskSettings Settings = RiskSettings.Defaults;

    [Fact]
    public void Before_the_review_day_the_assessment_stays_and_on_it_the_assessment_changes()
    {
        var random = new Random(20261204);
        for (var sample = 0; sample < 300; sample++)
        {
            var deal = Build.Deal();
            var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(random.Next(5, 90))));
            var customers = random.Next(3) == 0 ? new[] { Build.Promise(deal, Build.Theirs(promised: Build.Day(random.Next(1, 60)))) } : [];
            var milestones = Enumerable.Range(1, random.Next(0, 4))
                .Select(m => promise.AddMilestone($"Step {m}", null, Build.Day(random.Next(1, 100)))).ToList();
            foreach (var milestone in milestones)
            {
                switch (random.Next(4))
                {
                    case 0: Build.Update(promise, milestone, Build.InProgress(Build.Day(random.Next(1, 100))), Build.Today); break;
                    case 1: Build.Update(promise, milestone, Build.Done(Build.Today), Build.Today); break;
                    default: break;
                }
            }
            var day = Build.Day(random.Next(0, 40));
            var assessment = Evaluate(promise, customers, day);
            var reviewOn = RiskEvaluator.ReviewOn(promise, customers, Settings, assessment, Build.At(day));
            var horizon = reviewOn ?? day.AddDays(120);
            for (var d = day.AddDays(1); d < horizon; d = d.AddDays(1))
                Assert.True(Same(assessment, Evaluate(promise, customers, d)), $"Sample {sample}: the assessment changed on {d} before its review day {reviewOn}.");
            if (reviewOn is { } review)
                Assert.False(Same(assessment, Evaluate(promise, customers, review)), $"Sample {sample}: nothing changed on the review day {review}.");
        }
    }

    private static RiskAssessment Evaluate(Commitment promise, Commitment[] customers, DateOnly day)
    {
        var today = day;
        promise.RefreshStatus(today);
        return RiskEvaluator.Evaluate(promise, customers, Settings, Build.At(day));
    }

    private static bool Same(RiskAssessment a, RiskAssessment b) => a.Level == b.Level && a.Reasons.SequenceEqual(b.Reasons);
}

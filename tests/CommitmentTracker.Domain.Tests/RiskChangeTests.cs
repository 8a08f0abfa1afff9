using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Tests;

/// <summary>Storing assessments on a promise: the level's start time, and exactly one alert per rise into AtRisk or Late.</summary>
public sealed class RiskChangeTests
{
    private static Commitment Promise() =>
        Build.Promise(draft: Build.Ours(promised: Build.Day(20), aggressiveReason: "Stock on hand"));

    private static RiskAssessment At(RiskLevel level) => level == RiskLevel.OnTrack
        ? RiskAssessment.OnTrack
        : new(level, [new RiskReason(RuleFor(level), $"Because it is {level}", Build.Today)]);

    private static string RuleFor(RiskLevel level) => level switch
    {
        RiskLevel.Watch => RiskRule.Stale,
        RiskLevel.AtRisk => RiskRule.Blocked,
        _ => RiskRule.Late,
    };

    [Fact]
    public void A_new_promise_is_on_track_and_not_yet_evaluated()
    {
        var promise = Promise();

        Assert.Equal(RiskLevel.OnTrack, promise.RiskLevel);
        Assert.Empty(promise.RiskReasons);
        Assert.Null(promise.RiskSince);
        Assert.Null(promise.RiskEvaluatedAt);
    }

    [Theory]
    [InlineData(RiskLevel.OnTrack, RiskLevel.AtRisk, true)]
    [InlineData(RiskLevel.OnTrack, RiskLevel.Late, true)]
    [InlineData(RiskLevel.Watch, RiskLevel.AtRisk, true)]
    [InlineData(RiskLevel.Watch, RiskLevel.Late, true)]
    [InlineData(RiskLevel.AtRisk, RiskLevel.Late, true)]
    [InlineData(RiskLevel.OnTrack, RiskLevel.Watch, false)]
    [InlineData(RiskLevel.OnTrack, RiskLevel.OnTrack, false)]
    [InlineData(RiskLevel.Watch, RiskLevel.Watch, false)]
    [InlineData(RiskLevel.AtRisk, RiskLevel.AtRisk, false)]
    [InlineData(RiskLevel.Late, RiskLevel.Late, false)]
    [InlineData(RiskLevel.Late, RiskLevel.AtRisk, false)]
    [InlineData(RiskLevel.AtRisk, RiskLevel.Watch, false)]
    [InlineData(RiskLevel.Late, RiskLevel.OnTrack, false)]
    public void Only_a_rise_into_AtRisk_or_Late_calls_for_an_alert(RiskLevel from, RiskLevel to, bool alert)
    {
        var promise = Promise();
        promise.ApplyRisk(At(from), Build.At(Build.Day(1)));

        var change = promise.ApplyRisk(At(to), Build.At(Build.Day(2)));

        Assert.Equal(new RiskChange(from, to, alert), change);
        Assert.Equal(from != to, change.LevelChanged);
    }

    [Fact]
    public void Applying_an_assessment_stores_level_reasons_and_times()
    {
        var promise = Promise();
        var assessment = At(RiskLevel.AtRisk);
        var now = Build.At(Build.Day(3), 14, 30);

        var change = promise.ApplyRisk(assessment, now);

        Assert.Equal(new RiskChange(RiskLevel.OnTrack, RiskLevel.AtRisk, true), change);
        Assert.Equal(RiskLevel.AtRisk, promise.RiskLevel);
        Assert.Equal(assessment.Reasons, promise.RiskReasons);
        Assert.Equal(now, promise.RiskSince);
        Assert.Equal(now, promise.RiskEvaluatedAt);
    }

    [Fact]
    public void The_first_evaluation_starts_the_clock_even_when_on_track()
    {
        var promise = Promise();

        var change = promise.ApplyRisk(RiskAssessment.OnTrack, Build.At(Build.Day(1)));

        Assert.False(change.RoseToAlertLevel);
        Assert.Equal(Build.At(Build.Day(1)), promise.RiskSince);
    }

    [Fact]
    public void Re_evaluating_at_the_same_level_keeps_when_it_began_but_refreshes_the_reasons()
    {
        var promise = Promise();
        promise.ApplyRisk(At(RiskLevel.AtRisk), Build.At(Build.Day(1)));
        var newer = new RiskAssessment(RiskLevel.AtRisk, [new RiskReason(RiskRule.ForecastPastPromise, "Install forecast 25 Mar is 3 days past the promised 22 Mar", Build.Day(2))]);

        var change = promise.ApplyRisk(newer, Build.At(Build.Day(2)));

        Assert.False(change.RoseToAlertLevel);
        Assert.Equal(Build.At(Build.Day(1)), promise.RiskSince);
        Assert.Equal(Build.At(Build.Day(2)), promise.RiskEvaluatedAt);
        Assert.Equal(newer.Reasons, promise.RiskReasons);
    }

    [Fact]
    public void A_new_level_restarts_when_it_began()
    {
        var promise = Promise();
        promise.ApplyRisk(At(RiskLevel.AtRisk), Build.At(Build.Day(1)));

        promise.ApplyRisk(At(RiskLevel.Late), Build.At(Build.Day(21)));

        Assert.Equal(Build.At(Build.Day(21)), promise.RiskSince);
    }

    [Fact]
    public void Dropping_and_rising_again_alerts_again()
    {
        var promise = Promise();
        RiskLevel[] levels = [RiskLevel.OnTrack, RiskLevel.Watch, RiskLevel.AtRisk, RiskLevel.AtRisk, RiskLevel.Watch, RiskLevel.AtRisk, RiskLevel.Late, RiskLevel.Late];

        var alerts = levels.Select((level, day) => promise.ApplyRisk(At(level), Build.At(Build.Day(day))).RoseToAlertLevel).ToList();

        Assert.Equal([false, false, true, false, false, true, true, false], alerts);
    }

    [Fact]
    public void A_daily_sweep_alerts_once_when_a_block_appears_and_once_when_the_promise_goes_late()
    {
        var promise = Promise();
        var ship = promise.AddMilestone("Ship", Build.ServiceUser, Build.Day(15));
        var alerts = new List<(int Day, RiskLevel Level)>();

        for (var day = 0; day <= 25; day++)
        {
            if (day == 5)
                Build.UpdateOn(promise, ship, Build.Blocked("Parts held at customs"), Build.Day(day));
            var now = Build.At(Build.Day(day), 6);
            // The sweep runs twice a day: the second run must stay silent.
            foreach (var run in new[] { now, now.AddHours(12) })
            {
                var change = promise.ApplyRisk(RiskEvaluator.Evaluate(promise, [], RiskSettings.Defaults, run), run);
                if (change.RoseToAlertLevel)
                    alerts.Add((day, change.NewLevel));
            }
        }

        Assert.Equal([(5, RiskLevel.AtRisk), (21, RiskLevel.Late)], alerts);
        Assert.Equal(Build.At(Build.Day(21), 6), promise.RiskSince);
    }
}

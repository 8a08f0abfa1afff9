using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Forecasts;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Tests.Forecasts;

/// <summary>A date the history gives too little chance is aggressive like a short lead time; a low chance adds a risk reason.</summary>
public sealed class AggressiveChanceTests
{
    [Fact]
    public void A_date_below_the_minimum_chance_needs_approval_like_a_short_lead_time()
    {
        var promise = Build.Deal().AddCommitment(Build.Ours(), LeadTimes.Defaults, Build.Rep, Build.Now, Build.Today, new ForecastChance(0.55, 0.70m));

        Assert.True(promise.IsAggressive);
        Assert.Equal((AggressiveApproval.Pending, AggressiveCause.LowChance), (promise.AggressiveApproval, promise.AggressiveCause));
        Assert.Equal(0.55m, promise.ForecastProbability);
    }

    [Fact]
    public void A_date_below_the_minimum_chance_with_a_written_reason_is_accepted_with_it()
    {
        var draft = Build.Ours(aggressiveReason: "Installer reserved for us");

        var promise = Build.Deal().AddCommitment(draft, LeadTimes.Defaults, Build.Rep, Build.Now, Build.Today, new ForecastChance(0.5, 0.70m));

        Assert.Equal((AggressiveApproval.ReasonGiven, "Installer reserved for us"), (promise.AggressiveApproval, promise.AggressiveReason));
    }

    [Theory]
    [InlineData(0.70, false)]
    [InlineData(0.6996, false)] // shown as 70.0%
    [InlineData(0.6994, true)]
    public void The_minimum_chance_itself_is_not_aggressive(double probability, bool aggressive)
    {
        var promise = Build.Deal().AddCommitment(Build.Ours(), LeadTimes.Defaults, Build.Rep, Build.Now, Build.Today, new ForecastChance(probability, 0.70m));

        Assert.Equal(aggressive, promise.IsAggressive);
    }

    [Fact]
    public void Inside_the_lead_time_and_below_the_chance_says_both()
    {
        var promise = Build.Deal().AddCommitment(Build.Ours(promised: Build.Day(3)), LeadTimes.Defaults, Build.Rep, Build.Now, Build.Today, new ForecastChance(0.1, 0.70m));

        Assert.Equal(AggressiveCause.Both, promise.AggressiveCause);
    }

    [Fact]
    public void A_promise_of_the_customers_is_never_aggressive_by_chance()
    {
        var promise = Build.Deal().AddCommitment(Build.Theirs(), LeadTimes.Defaults, Build.Rep, Build.Now, Build.Today, new ForecastChance(0.1, 0.70m));

        Assert.Equal((false, (decimal?)null), (promise.IsAggressive, promise.ForecastProbability));
    }

    [Fact]
    public void A_low_chance_of_keeping_adds_a_watch_reason_beside_the_rules()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(20), aggressiveReason: "Stock"));
        var milestone = promise.AddMilestone("Ship", Build.ServiceUser, Build.Day(5));
        Build.Update(promise, milestone, Build.InProgress());

        var assessment = RiskEvaluator.Evaluate(promise, [], RiskSettings.Defaults, Build.At(Build.Day(10)), new KeepingChance(0.35, 0.70m));

        Assert.Equal(RiskLevel.Watch, assessment.Level);
        Assert.Equal([RiskRule.MilestoneBehindPlan, RiskRule.Stale, RiskRule.UnlikelyInTime], assessment.Reasons.Select(r => r.Rule));
        Assert.Equal("Only 35% of similar promises still open at this age finished by their date", assessment.Reasons[^1].Sentence);
    }

    [Fact]
    public void A_low_chance_estimated_at_the_plans_stage_says_so()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(20)));

        var assessment = RiskEvaluator.Evaluate(promise, [], RiskSettings.Defaults, Build.At(Build.Day(1)), new KeepingChance(0.35, 0.70m, PlanStage.HalfDone));

        Assert.Equal("Only 35% of similar promises with half of their milestones done finished by their date", Assert.Single(assessment.Reasons).Sentence);
    }

    [Fact]
    public void A_good_chance_of_keeping_adds_nothing()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(20)));

        var assessment = RiskEvaluator.Evaluate(promise, [], RiskSettings.Defaults, Build.At(Build.Day(1)), new KeepingChance(0.9, 0.70m));

        Assert.Equal(RiskAssessment.OnTrack, assessment);
    }
}

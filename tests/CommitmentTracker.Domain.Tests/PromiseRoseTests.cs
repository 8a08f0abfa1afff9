using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Tests;

/// <summary>A rise into AtRisk or Late is a fact the promise records; an unchanged assessment changes nothing.</summary>
public sealed class PromiseRoseTests
{
    private static Commitment Promise() =>
        Build.Promise(draft: Build.Ours(promised: Build.Day(20), aggressiveReason: "Stock on hand"));

    private static RiskAssessment Blocked(string sentence = "Ship is blocked since 2 Mar") =>
        new(RiskLevel.AtRisk, [new RiskReason(RiskRule.Blocked, sentence, Build.Today)]);

    [Fact]
    public void A_rise_into_at_risk_records_one_event_with_the_levels_and_reasons()
    {
        var promise = Promise();
        var at = Build.At(Build.Day(3));

        promise.ApplyRisk(Blocked(), at);

        var rose = Assert.IsType<PromiseRose>(Assert.Single(promise.DomainEvents));
        Assert.Equal((promise.Id, promise.DealId, promise.OwnerId, RiskLevel.OnTrack, RiskLevel.AtRisk, at),
            (rose.CommitmentId, rose.DealId, rose.OwnerId, rose.From, rose.To, rose.OccurredAt));
        Assert.Equal("Ship is blocked since 2 Mar.", rose.ReasonsText);
    }

    [Fact]
    public void Staying_at_risk_or_falling_records_no_event_and_a_further_rise_to_late_records_another()
    {
        var promise = Promise();
        promise.ApplyRisk(Blocked(), Build.At(Build.Day(1)));
        promise.ClearDomainEvents();

        promise.ApplyRisk(Blocked("Ship is blocked since 2 Mar: no parts"), Build.At(Build.Day(2)));
        promise.ApplyRisk(RiskAssessment.OnTrack, Build.At(Build.Day(3)));
        Assert.Empty(promise.DomainEvents);

        promise.ApplyRisk(new RiskAssessment(RiskLevel.Late, [new RiskReason(RiskRule.Late, "Not done", Build.Day(21))]), Build.At(Build.Day(21)));
        Assert.Equal(RiskLevel.Late, Assert.IsType<PromiseRose>(Assert.Single(promise.DomainEvents)).To);
    }

    [Fact]
    public void Re_applying_the_same_assessment_leaves_the_stored_one_untouched()
    {
        var promise = Promise();
        promise.ApplyRisk(Blocked(), Build.At(Build.Day(1)), reviewOn: Build.Day(21));
        promise.ClearDomainEvents();

        var change = promise.ApplyRisk(Blocked(), Build.At(Build.Day(2)), reviewOn: Build.Day(21));

        Assert.False(change.LevelChanged);
        Assert.Equal((Build.At(Build.Day(1)), Build.At(Build.Day(1)), (DateOnly?)Build.Day(21)),
            (promise.RiskEvaluatedAt!.Value, promise.RiskSince!.Value, promise.RiskReviewOn));
        Assert.Empty(promise.DomainEvents);
    }
}

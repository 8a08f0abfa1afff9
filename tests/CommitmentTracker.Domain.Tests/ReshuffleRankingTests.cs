using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Recovery;

namespace CommitmentTracker.Domain.Tests;

/// <summary>Which other promises can give up days, and in which order they are suggested.</summary>
public sealed class ReshuffleRankingTests
{
    private static ReshuffleCandidateInput Other(
        int forecastDay, int promisedDay, int? needDay = null, decimal dealValue = 50_000m,
        CommitmentKind kind = CommitmentKind.Delivery, CommitmentStatus status = CommitmentStatus.Open, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), kind, status, Build.Day(promisedDay), needDay is { } n ? Build.Day(n) : null, Build.Day(forecastDay), dealValue);

    private static IReadOnlyList<ReshuffleCandidate> Rank(int needDays, params ReshuffleCandidateInput[] others) =>
        ReshuffleRanking.Candidates(needDays, CommitmentKind.Delivery, others);

    [Fact]
    public void Slack_is_the_need_date_else_the_promised_date_minus_the_forecast()
    {
        var withNeed = Other(forecastDay: 10, promisedDay: 20, needDay: 25);
        var withoutNeed = Other(forecastDay: 10, promisedDay: 20);

        var ranked = Rank(5, withNeed, withoutNeed);

        Assert.Equal([15, 10], ranked.Select(c => c.SlackDays));
        Assert.Equal([10, 5], ranked.Select(c => c.SlackAfterDays));
        Assert.Equal(Build.Day(15), ranked[0].NewForecast);
    }

    [Fact]
    public void Only_open_promises_of_the_same_kind_are_candidates()
    {
        var fits = Other(10, 30);

        var ranked = Rank(
            3,
            fits,
            Other(10, 30, kind: CommitmentKind.Installation),
            Other(10, 30, status: CommitmentStatus.Kept),
            Other(10, 30, status: CommitmentStatus.Waived),
            Other(10, 30, status: CommitmentStatus.Broken));

        Assert.Equal([fits.CommitmentId], ranked.Select(c => c.CommitmentId));
    }

    [Fact]
    public void The_promise_itself_is_not_its_own_candidate()
    {
        var self = Other(10, 30);

        Assert.Empty(ReshuffleRanking.Candidates(3, CommitmentKind.Delivery, [self], excludingCommitmentId: self.CommitmentId));
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    [InlineData(11, true)]
    public void Slack_must_cover_the_days_needed(int slack, bool candidate)
    {
        var other = Other(forecastDay: 10, promisedDay: 10 + slack);

        Assert.Equal(candidate, Rank(10, other).Count == 1);
    }

    [Fact]
    public void A_promise_that_would_become_at_risk_is_excluded_even_when_its_need_date_leaves_slack()
    {
        // Need date day 40 leaves 30 days of slack, but the promised date day 15 is only 5 days after the forecast:
        // taking 10 days pushes its forecast past what we promised that customer.
        var wouldSlip = Other(forecastDay: 10, promisedDay: 15, needDay: 40);
        var exactlyOnPromise = Other(forecastDay: 10, promisedDay: 20, needDay: 40);

        var ranked = Rank(10, wouldSlip, exactlyOnPromise);

        Assert.Equal([exactlyOnPromise.CommitmentId], ranked.Select(c => c.CommitmentId));
        Assert.Equal(Build.Day(20), ranked[0].NewForecast);
    }

    [Fact]
    public void A_need_date_before_the_promise_limits_the_slack()
    {
        var tightNeed = Other(forecastDay: 10, promisedDay: 30, needDay: 12);

        Assert.Empty(Rank(5, tightNeed));
    }

    [Fact]
    public void Ranked_by_slack_then_by_the_smaller_deal()
    {
        var most = Other(10, 40, dealValue: 900_000m);
        var bigDeal = Other(10, 30, dealValue: 200_000m);
        var smallDeal = Other(10, 30, dealValue: 20_000m);

        var ranked = Rank(5, bigDeal, smallDeal, most);

        Assert.Equal([most.CommitmentId, smallDeal.CommitmentId, bigDeal.CommitmentId], ranked.Select(c => c.CommitmentId));
    }

    [Fact]
    public void Full_ties_are_ordered_by_id_whatever_the_input_order()
    {
        var low = Guid.Parse("00000000-0000-0000-0000-000000000001");
        var high = Guid.Parse("00000000-0000-0000-0000-000000000002");
        var a = Other(10, 30, dealValue: 20_000m, id: high);
        var b = Other(10, 30, dealValue: 20_000m, id: low);

        Assert.Equal([low, high], Rank(5, a, b).Select(c => c.CommitmentId));
        Assert.Equal([low, high], Rank(5, b, a).Select(c => c.CommitmentId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void At_least_one_day_must_be_needed(int needDays)
    {
        Assert.Throws<DomainException>(() => Rank(needDays, Other(10, 30)));
    }

    [Fact]
    public void No_candidates_give_an_empty_list()
    {
        Assert.Empty(Rank(5));
    }
}

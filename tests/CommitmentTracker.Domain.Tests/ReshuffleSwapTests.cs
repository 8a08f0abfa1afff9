using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;

namespace CommitmentTracker.Domain.Tests;

/// <summary>Carrying a reshuffle out on both promises: the dates, the notes, the touchpoint, and what is refused.</summary>
public sealed class ReshuffleSwapTests
{
    /// <summary>A delivery promised on day 20 whose one milestone is forecast <paramref name="forecastOffset"/>.</summary>
    private static (Deal Deal, Commitment Promise) Delivery(int forecastOffset, int promised = 20, int? need = null, CommitmentKind kind = CommitmentKind.Delivery)
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal, Build.Ours(kind, Build.Day(promised), need is null ? null : Build.Day(need.Value)));
        var milestone = promise.AddMilestone("Ship", null, Build.Day(10));
        Build.Update(promise, milestone, Build.InProgress(Build.Day(forecastOffset)));
        return (deal, promise);
    }

    [Fact]
    public void The_forecast_is_the_latest_expected_date_of_the_unfinished_milestones()
    {
        var (_, promise) = Delivery(forecastOffset: 25);
        var done = promise.AddMilestone("Order parts", null, Build.Day(40));
        Build.Update(promise, done, Build.Done(Build.Today));

        Assert.Equal(Build.Day(25), promise.Forecast);
        Assert.Null(Build.Promise().Forecast);
    }

    [Fact]
    public void The_days_needed_are_the_forecast_past_the_promised_date()
    {
        Assert.Equal(5, Reshuffle.DaysNeeded(Delivery(forecastOffset: 25, promised: 20).Promise, Build.Today));
        Assert.Equal(1, Reshuffle.DaysNeeded(Delivery(forecastOffset: 15, promised: 20).Promise, Build.Today));
    }

    [Fact]
    public void A_late_promise_needs_the_days_from_today_to_its_forecast_since_its_date_is_gone()
    {
        var (_, promise) = Delivery(forecastOffset: 25, promised: 20);

        Assert.Equal(2, Reshuffle.DaysNeeded(promise, Build.Day(23)));
    }

    [Fact]
    public void After_taking_the_days_the_forecast_moves_earlier_but_never_before_today()
    {
        var (_, promise) = Delivery(forecastOffset: 25, promised: 20);

        Assert.Equal(Build.Day(20), Reshuffle.ForecastAfter(promise, 5, Build.Today));
        Assert.Equal(Build.Today, Reshuffle.ForecastAfter(promise, 40, Build.Today));
    }

    [Fact]
    public void A_blocked_promise_is_not_helped_by_a_reshuffle()
    {
        var (_, ours) = Delivery(forecastOffset: 25, promised: 20);
        Build.Update(ours, ours.Milestones[0], Build.Blocked("Waiting for the customer to release the vans", Build.Day(25)));
        var (otherDeal, other) = Delivery(forecastOffset: 5, promised: 60, need: 70);

        var error = Assert.Throws<DomainException>(() => Reshuffle.Swap(ours, otherDeal, other.Id, 5, Build.Manager, Build.Now, Build.Today));

        Assert.StartsWith("\"Ship\" is blocked", error.Message);
        Assert.Equal(Build.Day(5), other.Forecast);
        Assert.Null(Reshuffle.WhyItCannotHelp(Delivery(forecastOffset: 25, promised: 20).Promise));
    }

    [Fact]
    public void A_swap_replans_both_promises_and_asks_the_rep_to_tell_the_other_customer()
    {
        var (_, ours) = Delivery(forecastOffset: 25, promised: 20);
        var (otherDeal, other) = Delivery(forecastOffset: 12, promised: 30, need: 40);

        Reshuffle.Swap(ours, otherDeal, other.Id, 5, Build.Manager, Build.Now, Build.Today);

        Assert.Equal(Build.Day(20), ours.Forecast);
        Assert.Equal(Build.Day(17), other.Forecast);
        Assert.StartsWith("Reshuffle: 5 days taken", ours.Milestones[0].Updates[^1].Note);
        Assert.StartsWith("Reshuffle: 5 days given", other.Milestones[0].Updates[^1].Note);
        var task = Assert.Single(otherDeal.Touchpoints, t => t.Kind == TouchpointKind.InformOfReshuffle);
        Assert.Equal(other.Id, task.CommitmentId);
        Assert.Equal(Build.Today, task.DueOn);
    }

    [Fact]
    public void A_swap_never_replans_a_milestone_into_the_past()
    {
        var (_, ours) = Delivery(forecastOffset: 25, promised: 20);
        var (otherDeal, other) = Delivery(forecastOffset: 2, promised: 60);

        Reshuffle.Swap(ours, otherDeal, other.Id, 40, Build.Manager, Build.Now, Build.Today);

        Assert.Equal(Build.Today, ours.Forecast);
    }

    [Fact]
    public void A_swap_that_would_put_the_other_promise_at_risk_is_refused_and_changes_nothing()
    {
        var (_, ours) = Delivery(forecastOffset: 25, promised: 20);
        var (otherDeal, other) = Delivery(forecastOffset: 18, promised: 20, need: 40);

        var error = Assert.Throws<DomainException>(() => Reshuffle.Swap(ours, otherDeal, other.Id, 5, Build.Manager, Build.Now, Build.Today));

        Assert.Equal("The other promise does not have 5 days of slack to give without becoming at risk itself.", error.Message);
        Assert.Equal(Build.Day(25), ours.Forecast);
        Assert.Equal(Build.Day(18), other.Forecast);
        Assert.DoesNotContain(otherDeal.Touchpoints, t => t.Kind == TouchpointKind.InformOfReshuffle);
    }

    [Fact]
    public void A_promise_that_is_at_risk_itself_gives_up_no_days_even_with_slack()
    {
        var (_, ours) = Delivery(forecastOffset: 25, promised: 20);
        var (otherDeal, other) = Delivery(forecastOffset: 5, promised: 60, need: 70);
        other.ApplyRisk(new Risk.RiskAssessment(Risk.RiskLevel.AtRisk, []), Build.Now);

        var error = Assert.Throws<DomainException>(() => Reshuffle.Swap(ours, otherDeal, other.Id, 5, Build.Manager, Build.Now, Build.Today));

        Assert.Equal("The other promise is at risk itself now, so it cannot give up days. Choose another option.", error.Message);
        Assert.Equal(Build.Day(5), other.Forecast);
    }

    [Fact]
    public void A_swap_takes_days_only_from_a_promise_of_the_same_kind()
    {
        var (_, ours) = Delivery(forecastOffset: 25, promised: 20);
        var (otherDeal, other) = Delivery(forecastOffset: 5, promised: 60, kind: CommitmentKind.Training);

        Assert.Throws<DomainException>(() => Reshuffle.Swap(ours, otherDeal, other.Id, 5, Build.Manager, Build.Now, Build.Today));
    }

    [Fact]
    public void A_promise_without_unfinished_milestones_has_nothing_to_replan()
    {
        var (_, ours) = Delivery(forecastOffset: 25, promised: 20);
        var otherDeal = Build.Deal();
        var other = Build.Promise(otherDeal, Build.Ours(promised: Build.Day(60)));

        Assert.Null(Reshuffle.InputOf(other, 1000m));
        Assert.Throws<DomainException>(() => Reshuffle.Swap(ours, otherDeal, other.Id, 5, Build.Manager, Build.Now, Build.Today));
    }
}

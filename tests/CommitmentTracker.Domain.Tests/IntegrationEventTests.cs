using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Tests;

/// <summary>The facts webhooks tell of are recorded by the aggregates themselves, once per change.</summary>
public sealed class IntegrationEventTests
{
    [Fact]
    public void A_stage_move_records_the_stage_it_left_and_the_one_it_entered()
    {
        var deal = Build.Deal();
        Assert.Empty(deal.DomainEvents);

        deal.MarkLost(LostReason.NoBudget, null, Build.Rep, Build.Now);

        var moved = Assert.IsType<DealStageChanged>(Assert.Single(deal.DomainEvents));
        Assert.Equal((deal.Id, deal.AccountId, DealStage.Verbal, DealStage.Lost, Build.Now), (moved.DealId, moved.AccountId, moved.From, moved.To, moved.OccurredAt));
    }

    [Fact]
    public void A_promise_completed_on_time_records_kept_and_one_completed_late_records_kept_late()
    {
        var onTime = Build.Promise(draft: Build.Ours(promised: Build.Day(30), aggressiveReason: "Stock"));
        onTime.Complete(Build.Today, Build.Today, now: Build.Now);
        var kept = Assert.IsType<PromiseStatusChanged>(Assert.Single(onTime.DomainEvents));
        Assert.Equal((CommitmentStatus.Open, CommitmentStatus.Kept, true, Build.Now), (kept.From, kept.To, kept.IsKept, kept.OccurredAt));

        var late = Build.Promise(draft: Build.Ours(promised: Build.Day(1), aggressiveReason: "Stock"));
        late.RefreshStatus(Build.Day(3), Build.At(Build.Day(3)));
        late.Complete(Build.Day(3), Build.Day(3));
        Assert.Equal([CommitmentStatus.Broken, CommitmentStatus.KeptLate], late.DomainEvents.OfType<PromiseStatusChanged>().Select(e => e.To));
        // Only the day was known: the event is placed at its start (UTC).
        Assert.Equal(new DateTimeOffset(Build.Day(3).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), late.DomainEvents.OfType<PromiseStatusChanged>().Last().OccurredAt);
    }

    [Fact]
    public void A_promise_breaks_once_when_its_date_passes_and_re_checking_records_nothing_more()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(1), aggressiveReason: "Stock"));
        Assert.False(promise.RefreshStatus(Build.Day(1), Build.At(Build.Day(1))));
        Assert.Empty(promise.DomainEvents);

        Assert.True(promise.RefreshStatus(Build.Day(2), Build.At(Build.Day(2))));
        Assert.False(promise.RefreshStatus(Build.Day(3), Build.At(Build.Day(3))));

        var broken = Assert.IsType<PromiseStatusChanged>(Assert.Single(promise.DomainEvents));
        Assert.Equal((CommitmentStatus.Open, CommitmentStatus.Broken, false, Build.At(Build.Day(2))), (broken.From, broken.To, broken.IsKept, broken.OccurredAt));
    }

    [Fact]
    public void A_recovery_plan_records_its_opening_and_its_closing()
    {
        var plan = Build.RecoveryPlan(level: RiskLevel.Late);
        var opened = Assert.IsType<RecoveryPlanOpened>(Assert.Single(plan.DomainEvents));
        Assert.Equal((plan.Id, plan.CommitmentId, plan.DealId, RiskLevel.Late), (opened.PlanId, opened.CommitmentId, opened.DealId, opened.Level));
        plan.ClearDomainEvents();

        var later = Build.Now.AddDays(3);
        plan.Close(RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, "Order parts earlier", later);

        var closed = Assert.IsType<RecoveryPlanClosed>(Assert.Single(plan.DomainEvents));
        Assert.Equal((RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, later), (closed.RootCause, closed.Department, closed.OccurredAt));
    }
}

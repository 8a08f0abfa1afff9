using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Tests;

public sealed class MilestoneStatusTests
{
    /// <summary>A delivery promised in ten days, planned as build then ship.</summary>
    private static (Commitment Promise, Milestone Build, Milestone Ship) TwoStepDelivery()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(10), aggressiveReason: "Stock on hand"));
        return (promise, promise.AddMilestone("Build", Build.ServiceUser, Build.Day(5)), promise.AddMilestone("Ship", Build.ServiceUser, Build.Day(10)));
    }

    private static (Commitment Promise, Milestone Work, Milestone Acceptance) OutcomeWithAcceptance()
    {
        var promise = Build.Promise(draft: Build.Ours(CommitmentKind.Outcome, promised: Build.Day(10), aggressiveReason: "Pilot"));
        return (promise, promise.AddMilestone("Tune the line", Build.ServiceUser, Build.Day(8)), promise.AddMilestone("Customer acceptance", null, Build.Day(10), isCustomerAcceptance: true));
    }

    [Fact]
    public void A_promise_finished_on_its_promised_date_is_kept()
    {
        var (promise, build, ship) = TwoStepDelivery();

        Build.Update(promise, build, Build.Done(Build.Day(4)), Build.Day(4));
        Build.Update(promise, ship, Build.Done(Build.Day(10)), Build.Day(10));

        Assert.Equal((CommitmentStatus.Kept, Build.Day(10)), (promise.Status, promise.CompletedOn!.Value));
        Assert.True(promise.IsClosed);
    }

    [Fact]
    public void A_promise_finished_a_day_after_its_promised_date_is_kept_late()
    {
        var (promise, build, ship) = TwoStepDelivery();

        Build.Update(promise, build, Build.Done(Build.Day(4)), Build.Day(4));
        Build.Update(promise, ship, Build.Done(Build.Day(11)), Build.Day(11));

        Assert.Equal((CommitmentStatus.KeptLate, Build.Day(11)), (promise.Status, promise.CompletedOn!.Value));
    }

    [Fact]
    public void A_promise_is_not_done_while_a_milestone_is_unfinished()
    {
        var (promise, build, _) = TwoStepDelivery();

        Build.Update(promise, build, Build.Done(Build.Day(4)), Build.Day(4));

        Assert.Equal(CommitmentStatus.Open, promise.Status);
        Assert.Null(promise.CompletedOn);
    }

    [Fact]
    public void Skipped_last_milestones_do_not_hold_up_a_promise()
    {
        var (promise, build, ship) = TwoStepDelivery();

        Build.Update(promise, build, Build.Done(Build.Day(4)), Build.Day(4));
        Build.Update(promise, ship, Build.Skipped("Customer collects"), Build.Day(4));

        Assert.Equal((CommitmentStatus.Kept, Build.Day(4)), (promise.Status, promise.CompletedOn!.Value));
    }

    [Fact]
    public void A_promise_whose_milestones_were_all_skipped_is_not_done()
    {
        var (promise, build, ship) = TwoStepDelivery();

        Build.Update(promise, build, Build.Skipped());
        Build.Update(promise, ship, Build.Skipped());

        Assert.Equal(CommitmentStatus.Open, promise.Status);
        promise.RefreshStatus(Build.Day(11));
        Assert.Equal(CommitmentStatus.Broken, promise.Status);
    }

    [Fact]
    public void Reopening_a_done_milestone_reopens_the_promise()
    {
        var (promise, build, ship) = TwoStepDelivery();
        Build.Update(promise, build, Build.Done(Build.Day(4)), Build.Day(4));
        Build.Update(promise, ship, Build.Done(Build.Day(5)), Build.Day(5));

        Build.Update(promise, ship, new MilestoneChange(MilestoneStatus.InProgress, Build.Day(9), Note: "Crate damaged, reshipping"), Build.Day(6));

        Assert.Equal(CommitmentStatus.Open, promise.Status);
        Assert.Null(promise.CompletedOn);
        Assert.Null(ship.CompletedOn);
    }

    [Fact]
    public void A_promise_with_work_left_breaks_the_day_after_its_promised_date()
    {
        var (promise, _, _) = TwoStepDelivery();

        Assert.False(promise.RefreshStatus(Build.Day(10)));
        Assert.Equal(CommitmentStatus.Open, promise.Status);
        Assert.True(promise.RefreshStatus(Build.Day(11)));
        Assert.Equal(CommitmentStatus.Broken, promise.Status);
    }

    [Fact]
    public void A_broken_promise_finished_later_is_kept_late()
    {
        var (promise, build, ship) = TwoStepDelivery();
        promise.RefreshStatus(Build.Day(11));

        Build.Update(promise, build, Build.Done(Build.Day(12)), Build.Day(12));
        Build.Update(promise, ship, Build.Done(Build.Day(13)), Build.Day(13));

        Assert.Equal(CommitmentStatus.KeptLate, promise.Status);
    }

    [Fact]
    public void A_promise_without_milestones_breaks_when_its_date_passes()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(3)));

        promise.RefreshStatus(Build.Day(4));

        Assert.Equal(CommitmentStatus.Broken, promise.Status);
    }

    [Fact]
    public void Evaluating_a_kept_outcome_again_keeps_its_acceptance_as_it_is()
    {
        var (promise, work, acceptance) = OutcomeWithAcceptance();
        Build.Update(promise, work, Build.Done(Build.Day(8)), Build.Day(8));
        Build.Update(promise, acceptance, Build.Accepted(Build.Day(9)), Build.Day(9));
        var stored = promise.Acceptance;

        promise.RefreshStatus(Build.Day(30));

        // The same instance: a new copy of the same value would rewrite the promise's row (and its version) at every sweep.
        Assert.Same(stored, promise.Acceptance);
        Assert.Equal(CommitmentStatus.Kept, promise.Status);
    }

    [Fact]
    public void An_outcome_is_not_done_until_the_customer_accepts_it()
    {
        var (promise, work, acceptance) = OutcomeWithAcceptance();

        Build.Update(promise, work, Build.Done(Build.Day(8)), Build.Day(8));
        Assert.Equal(CommitmentStatus.Open, promise.Status);
        Assert.False(promise.SatisfiesDelivery);

        Build.Update(promise, acceptance, Build.Accepted(Build.Day(9)), Build.Day(9));
        Assert.Equal(CommitmentStatus.Kept, promise.Status);
        Assert.Equal("Eva Buyer", promise.Acceptance!.ConfirmedBy);
        Assert.True(promise.SatisfiesDelivery);
    }

    [Fact]
    public void An_outcome_without_an_acceptance_step_is_not_done_when_its_work_is()
    {
        var promise = Build.Promise(draft: Build.Ours(CommitmentKind.Outcome));
        var work = promise.AddMilestone("Tune the line", Build.ServiceUser, Build.Day(60));

        Build.Update(promise, work, Build.Done(Build.Today));

        Assert.Equal(CommitmentStatus.Open, promise.Status);
    }

    [Fact]
    public void Customer_acceptance_needs_who_confirmed_when_and_how()
    {
        var (promise, _, acceptance) = OutcomeWithAcceptance();

        Assert.Throws<DomainException>(() => Build.Update(promise, acceptance, Build.Done(Build.Today)));
        Assert.Throws<DomainException>(() => Build.Update(promise, acceptance, Build.Done(Build.Today) with { Acceptance = new(" ", Build.Today, CommunicationChannel.Email) }));
        Assert.Equal(MilestoneStatus.NotStarted, acceptance.Status);
    }

    [Fact]
    public void Customer_acceptance_cannot_be_skipped()
    {
        var (promise, _, acceptance) = OutcomeWithAcceptance();

        var ex = Assert.Throws<DomainException>(() => Build.Update(promise, acceptance, Build.Skipped("Customer is busy")));

        Assert.Contains("cannot be skipped", ex.Message, StringComparison.Ordinal);
        Assert.Empty(acceptance.Updates);
    }

    [Fact]
    public void An_outcome_of_the_customers_needs_no_acceptance()
    {
        var promise = Build.Promise(draft: Build.Theirs() with { Kind = CommitmentKind.Outcome });
        var step = promise.AddMilestone("Assign a project lead", null, Build.Day(5));

        Build.Update(promise, step, Build.Done(Build.Today));

        Assert.Equal(CommitmentStatus.Kept, promise.Status);
    }

    [Theory]
    [InlineData(MilestoneStatus.Blocked, "blocked")]
    [InlineData(MilestoneStatus.Skipped, "skipped")]
    public void Blocking_or_skipping_a_milestone_needs_a_reason(MilestoneStatus status, string word)
    {
        var (promise, build, _) = TwoStepDelivery();

        var ex = Assert.Throws<DomainException>(() => Build.Update(promise, build, new MilestoneChange(status, null, Reason: "  ")));

        Assert.Contains($"\"Build\" is {word}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(MilestoneStatus.NotStarted, build.Status);
    }

    [Fact]
    public void The_blocking_reason_is_kept_until_the_milestone_moves_on()
    {
        var (promise, build, _) = TwoStepDelivery();

        Build.Update(promise, build, new MilestoneChange(MilestoneStatus.Blocked, Build.Day(7), Reason: "Waiting for site access"));
        Assert.Equal("Waiting for site access", build.StatusReason);

        Build.Update(promise, build, new MilestoneChange(MilestoneStatus.InProgress, Build.Day(7)));
        Assert.Null(build.StatusReason);
    }

    [Fact]
    public void A_done_milestone_needs_its_completion_date()
    {
        var (promise, build, _) = TwoStepDelivery();

        var ex = Assert.Throws<DomainException>(() => Build.Update(promise, build, new MilestoneChange(MilestoneStatus.Done, null)));

        Assert.Contains("\"Build\" was completed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_completion_date_cannot_be_in_the_future()
    {
        var (promise, build, _) = TwoStepDelivery();

        var ex = Assert.Throws<DomainException>(() => Build.Update(promise, build, Build.Done(Build.Day(1))));

        Assert.Contains("future", ex.Message, StringComparison.Ordinal);
        Assert.Equal(MilestoneStatus.NotStarted, build.Status);
    }

    [Fact]
    public void Every_milestone_update_records_who_when_and_the_old_and_new_status_and_forecast()
    {
        var (promise, build, _) = TwoStepDelivery();
        var at = Build.Now.AddHours(2);

        promise.UpdateMilestone(build.Id, new MilestoneChange(MilestoneStatus.InProgress, Build.Day(6), Note: "Started"), Build.ServiceUser, Build.Now, Build.Today);
        promise.UpdateMilestone(build.Id, new MilestoneChange(MilestoneStatus.Blocked, Build.Day(8), Reason: "Part on back order"), "service-ed", at, Build.Today);

        Assert.Equal(2, build.Updates.Count);
        var first = build.Updates[0];
        Assert.Equal((MilestoneStatus.NotStarted, MilestoneStatus.InProgress, (DateOnly?)null, (DateOnly?)Build.Day(6), "Started"), (first.OldStatus, first.NewStatus, first.OldForecast, first.NewForecast, first.Note));
        var second = build.Updates[1];
        Assert.Equal((MilestoneStatus.InProgress, MilestoneStatus.Blocked, (DateOnly?)Build.Day(6), (DateOnly?)Build.Day(8), "Part on back order"), (second.OldStatus, second.NewStatus, second.OldForecast, second.NewForecast, second.Note));
        Assert.Equal(("service-ed", at), (second.ByUserId, second.At));
        Assert.Equal(("service-ed", at), (build.LastUpdatedBy!, build.LastUpdatedAt!.Value));
        Assert.Equal(Build.Day(8), build.ExpectedDate);
    }

    [Fact]
    public void A_promise_without_milestones_is_kept_when_completed_on_time()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(3)));

        promise.Complete(Build.Day(3), Build.Day(3));

        Assert.Equal(CommitmentStatus.Kept, promise.Status);
    }

    [Fact]
    public void A_promise_without_milestones_completed_after_its_date_is_kept_late()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(3)));

        promise.Complete(Build.Day(4), Build.Day(5));

        Assert.Equal((CommitmentStatus.KeptLate, Build.Day(4)), (promise.Status, promise.CompletedOn!.Value));
    }

    [Fact]
    public void A_promise_cannot_be_completed_in_the_future()
    {
        var promise = Build.Promise();

        Assert.Throws<DomainException>(() => promise.Complete(Build.Day(1), Build.Today));
        Assert.Equal(CommitmentStatus.Open, promise.Status);
    }

    [Fact]
    public void A_promise_with_milestones_is_completed_through_them()
    {
        var (promise, _, _) = TwoStepDelivery();

        var ex = Assert.Throws<DomainException>(() => promise.Complete(Build.Today, Build.Today));

        Assert.Contains("milestones", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_outcome_promise_is_completed_only_with_the_customers_acceptance()
    {
        var promise = Build.Promise(draft: Build.Ours(CommitmentKind.Outcome));

        Assert.Throws<DomainException>(() => promise.Complete(Build.Today, Build.Today));
        promise.Complete(Build.Today, Build.Today, new CustomerAcceptance("Eva Buyer", Build.Today, CommunicationChannel.Meeting));

        Assert.Equal(CommitmentStatus.Kept, promise.Status);
        Assert.True(promise.SatisfiesDelivery);
    }
}

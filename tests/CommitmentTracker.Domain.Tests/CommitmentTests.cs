using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;

namespace CommitmentTracker.Domain.Tests;

public sealed class CommitmentTests
{
    [Fact]
    public void A_promise_of_ours_is_logged_open_with_its_dates()
    {
        var deal = Build.Deal();

        var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(30), need: Build.Day(35)));

        Assert.Same(promise, deal.Commitment(promise.Id));
        Assert.Equal((CommitmentStatus.Open, Build.Day(30), Build.Day(30), Build.Day(35)), (promise.Status, promise.PromisedDate, promise.OriginalPromisedDate, promise.NeedDate!.Value));
        Assert.Equal((deal.Id, Build.Rep, Build.Now), (promise.DealId, promise.CreatedBy, promise.CreatedAt));
        Assert.Equal(0, promise.SlipDays);
    }

    [Fact]
    public void A_promise_of_ours_cannot_belong_to_the_customer_department()
    {
        var draft = Build.Ours() with { Department = Department.Customer };

        var ex = Assert.Throws<DomainException>(() => Build.Promise(draft: draft));

        Assert.Contains("one of our departments", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Department.Sales)]
    [InlineData(Department.Service)]
    public void A_promise_of_the_customers_belongs_to_the_customer_department(Department department)
    {
        var draft = Build.Theirs() with { Department = department };

        var ex = Assert.Throws<DomainException>(() => Build.Promise(draft: draft));

        Assert.Contains("Customer department", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_promise_of_the_customers_is_accepted_in_the_customer_department()
    {
        var promise = Build.Promise(draft: Build.Theirs());

        Assert.Equal((CommitmentDirection.Theirs, Department.Customer), (promise.Direction, promise.Department));
    }

    [Fact]
    public void A_promised_date_may_be_today_but_not_in_the_past()
    {
        var ex = Assert.Throws<DomainException>(() => Build.Promise(draft: Build.Ours(promised: Build.Day(-1))));

        Assert.Contains("promised date", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Build.Today, Build.Promise(draft: Build.Ours(promised: Build.Today)).PromisedDate);
    }

    [Fact]
    public void A_need_date_in_the_past_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() => Build.Promise(draft: Build.Ours(need: Build.Day(-1))));

        Assert.Contains("need date", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "svc", "Description")]
    [InlineData("Ship it", "  ", "Owner")]
    public void A_promise_needs_a_description_and_an_owner(string description, string owner, string missing)
    {
        var draft = Build.Ours() with { Description = description, OwnerId = owner };

        Assert.Equal($"{missing} is required.", Assert.Throws<DomainException>(() => Build.Promise(draft: draft)).Message);
    }

    [Theory]
    [InlineData(1, null)]
    [InlineData(0, "No buffer")]
    [InlineData(-1, "1 day after the customer's need date")]
    [InlineData(-3, "3 days after the customer's need date")]
    public void Buffer_is_the_need_date_minus_the_promised_date_and_warns_without_room(int needMinusPromised, string? warning)
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(30), need: Build.Day(30 + needMinusPromised)));

        Assert.Equal(needMinusPromised, promise.BufferDays);
        if (warning is null)
            Assert.Null(promise.BufferWarning);
        else
            Assert.Contains(warning, promise.BufferWarning, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_need_date_the_buffer_is_unknown_and_warned_about()
    {
        var promise = Build.Promise(draft: Build.Ours() with { NeedDate = null });

        Assert.Null(promise.BufferDays);
        Assert.Contains("No need date", promise.BufferWarning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CommitmentKind.Delivery, 21)]
    [InlineData(CommitmentKind.Installation, 28)]
    [InlineData(CommitmentKind.Training, 14)]
    [InlineData(CommitmentKind.Support, 7)]
    [InlineData(CommitmentKind.Outcome, 60)]
    [InlineData(CommitmentKind.Other, 7)]
    public void A_promise_exactly_the_lead_time_away_is_not_aggressive(CommitmentKind kind, int leadDays)
    {
        var promise = Build.Promise(draft: Build.Ours(kind, promised: Build.Day(leadDays)));

        Assert.Equal(leadDays, LeadTimes.Defaults.For(kind));
        Assert.False(promise.IsAggressive);
        Assert.Equal(AggressiveApproval.NotNeeded, promise.AggressiveApproval);
    }

    [Theory]
    [InlineData(CommitmentKind.Delivery, 21)]
    [InlineData(CommitmentKind.Installation, 28)]
    [InlineData(CommitmentKind.Training, 14)]
    [InlineData(CommitmentKind.Support, 7)]
    [InlineData(CommitmentKind.Outcome, 60)]
    [InlineData(CommitmentKind.Other, 7)]
    public void A_promise_one_day_sooner_than_the_lead_time_is_aggressive(CommitmentKind kind, int leadDays)
    {
        var promise = Build.Promise(draft: Build.Ours(kind, promised: Build.Day(leadDays - 1)));

        Assert.True(promise.IsAggressive);
    }

    [Fact]
    public void Lead_times_set_by_the_admin_decide_what_is_aggressive()
    {
        var leadTimes = new LeadTimes(new Dictionary<CommitmentKind, int> { [CommitmentKind.Delivery] = 5 });

        Assert.True(leadTimes.IsAggressive(CommitmentKind.Delivery, Build.Day(4), Build.Today));
        Assert.False(leadTimes.IsAggressive(CommitmentKind.Delivery, Build.Day(5), Build.Today));
        Assert.False(leadTimes.IsAggressive(CommitmentKind.Training, Build.Today, Build.Today));
        Assert.Equal(Build.Day(5), leadTimes.EarliestComfortableDate(CommitmentKind.Delivery, Build.Today));
    }

    [Fact]
    public void A_negative_lead_time_is_refused()
    {
        Assert.Throws<DomainException>(() => new LeadTimes(new Dictionary<CommitmentKind, int> { [CommitmentKind.Support] = -1 }));
    }

    [Fact]
    public void An_aggressive_promise_without_a_reason_waits_for_a_managers_approval()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(5)));

        Assert.Equal(AggressiveApproval.Pending, promise.AggressiveApproval);
        Assert.Null(promise.AggressiveReason);
    }

    [Fact]
    public void An_aggressive_promise_with_a_written_reason_needs_no_approval()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(5), aggressiveReason: " Parts already in stock "));

        Assert.Equal(AggressiveApproval.ReasonGiven, promise.AggressiveApproval);
        Assert.Equal("Parts already in stock", promise.AggressiveReason);
    }

    [Fact]
    public void A_reason_on_a_comfortable_promise_is_not_kept()
    {
        var promise = Build.Promise(draft: Build.Ours(aggressiveReason: "Just in case"));

        Assert.Equal(AggressiveApproval.NotNeeded, promise.AggressiveApproval);
        Assert.Null(promise.AggressiveReason);
    }

    [Fact]
    public void Only_promises_of_ours_can_be_aggressive()
    {
        var promise = Build.Promise(draft: Build.Theirs(Build.Today));

        Assert.False(promise.IsAggressive);
        Assert.Equal(AggressiveApproval.NotNeeded, promise.AggressiveApproval);
    }

    [Fact]
    public void A_manager_approves_a_pending_aggressive_date()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(5)));

        promise.ApproveAggressiveDate(Build.Manager, Build.Now);

        Assert.Equal((AggressiveApproval.Approved, Build.Manager, Build.Now), (promise.AggressiveApproval, promise.AggressiveDecidedBy!, promise.AggressiveDecidedAt!.Value));
        Assert.Throws<DomainException>(() => promise.RejectAggressiveDate("manager-2", "Changed my mind", Build.Now));
        Assert.Equal(AggressiveApproval.Approved, promise.AggressiveApproval);
    }

    [Fact]
    public void A_manager_rejects_a_pending_aggressive_date_with_a_reason()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(5)));

        Assert.Throws<DomainException>(() => promise.RejectAggressiveDate(Build.Manager, " ", Build.Now));
        Assert.Equal(AggressiveApproval.Pending, promise.AggressiveApproval);
        promise.RejectAggressiveDate(Build.Manager, "Supplier needs three weeks", Build.Now);

        Assert.Equal((AggressiveApproval.Rejected, "Supplier needs three weeks"), (promise.AggressiveApproval, promise.AggressiveReason!));
    }

    [Theory]
    [InlineData(70, null)]
    [InlineData(5, "Parts in stock")]
    public void Only_a_pending_aggressive_date_can_be_approved_or_rejected(int promisedInDays, string? reason)
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(promisedInDays), aggressiveReason: reason));

        Assert.Contains("not waiting for approval", Assert.Throws<DomainException>(() => promise.ApproveAggressiveDate(Build.Manager, Build.Now)).Message, StringComparison.Ordinal);
        Assert.Throws<DomainException>(() => promise.RejectAggressiveDate(Build.Manager, "No", Build.Now));
        Assert.Null(promise.AggressiveDecidedBy);
    }

    [Fact]
    public void A_promise_made_while_the_deal_is_verbal_is_not_a_late_addition()
    {
        Assert.False(Build.Promise(Build.Deal()).IsLateAddition);
    }

    [Theory]
    [InlineData(DealStage.Ordered)]
    [InlineData(DealStage.Delivered)]
    public void A_promise_added_after_the_deal_left_verbal_is_a_late_addition(DealStage stage)
    {
        Assert.True(Build.Promise(Build.DealAt(stage)).IsLateAddition);
    }

    [Theory]
    [InlineData(DealStage.Paid, "paid")]
    [InlineData(DealStage.Lost, "lost")]
    public void A_closed_deal_takes_no_new_promises(DealStage stage, string word)
    {
        var deal = stage == DealStage.Paid ? Build.PaidDeal() : Build.Deal();
        if (stage == DealStage.Lost)
            deal.MarkLost(LostReason.NoBudget, null, Build.Rep, Build.Now);
        var before = deal.Commitments.Count;

        var ex = Assert.Throws<DomainException>(() => Build.Promise(deal));

        Assert.Contains($"{word} deal takes no new promises", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, deal.Commitments.Count);
    }

    [Fact]
    public void A_promise_of_ours_gets_a_check_in_three_days_before_its_date()
    {
        var deal = Build.Deal();

        var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(30)));

        var checkIn = Assert.Single(deal.Touchpoints, t => t.CommitmentId == promise.Id);
        Assert.Equal((TouchpointKind.CheckInBeforePromisedDate, Build.Day(27)), (checkIn.Kind, checkIn.DueOn));
    }

    [Fact]
    public void A_check_in_that_would_fall_in_the_past_is_due_today()
    {
        var deal = Build.Deal();

        var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(1)));

        Assert.Equal(Build.Today, Assert.Single(deal.Touchpoints, t => t.CommitmentId == promise.Id).DueOn);
    }

    [Fact]
    public void A_promise_of_the_customers_gets_no_check_in()
    {
        var deal = Build.Deal();

        var promise = Build.Promise(deal, Build.Theirs());

        Assert.DoesNotContain(deal.Touchpoints, t => t.CommitmentId == promise.Id);
    }

    [Fact]
    public void A_promise_from_another_deal_is_not_found()
    {
        var other = Build.Promise(Build.Deal());

        Assert.Throws<DomainException>(() => Build.Deal().Commitment(other.Id));
    }

    [Fact]
    public void The_customer_acknowledgement_of_a_promise_is_recorded_but_not_in_the_future()
    {
        var promise = Build.Promise();

        Assert.Throws<DomainException>(() => promise.RecordAcknowledgement(new("Eva Buyer", Build.Now.AddHours(1), CommunicationChannel.Email), Build.Now));
        Assert.Throws<DomainException>(() => promise.RecordAcknowledgement(new(" ", Build.Now, CommunicationChannel.Email), Build.Now));
        Assert.Null(promise.Acknowledgement);

        var acknowledgement = new CustomerAcknowledgement("Eva Buyer", Build.Now, CommunicationChannel.Phone);
        promise.RecordAcknowledgement(acknowledgement, Build.Now);
        Assert.Equal(acknowledgement, promise.Acknowledgement);
    }

    [Fact]
    public void A_refused_description_change_leaves_the_promise_as_it_was()
    {
        var promise = Build.Promise();

        Assert.Throws<DomainException>(() => promise.Describe("Ship two cells", " ", null));

        Assert.Equal(("Ship the robot cell", Build.ServiceUser), (promise.Description, promise.OwnerId));
    }

    [Fact]
    public void A_kept_promise_can_no_longer_be_described_differently()
    {
        var promise = Build.Promise();
        promise.Complete(Build.Today, Build.Today);

        var ex = Assert.Throws<DomainException>(() => promise.Describe("Something else", Build.Rep, null));

        Assert.Contains("kept", ex.Message, StringComparison.Ordinal);
        Assert.Equal("Ship the robot cell", promise.Description);
    }

    [Fact]
    public void The_customers_own_promise_has_no_buffer_and_no_buffer_warning()
    {
        var theirs = Build.Promise(draft: Build.Theirs());

        Assert.False(theirs.HasBuffer);
        Assert.Null(theirs.BufferDays);
        Assert.Null(theirs.BufferWarning);
    }

    [Fact]
    public void Our_promise_without_a_need_date_still_warns_that_its_room_is_unknown()
    {
        var ours = Build.Promise(draft: Build.Ours() with { NeedDate = null });

        Assert.True(ours.HasBuffer);
        Assert.Null(ours.BufferDays);
        Assert.NotNull(ours.BufferWarning);
    }
}

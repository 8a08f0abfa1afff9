using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;

namespace CommitmentTracker.Domain.Tests;

public sealed class RenegotiationTests
{
    private static void Renegotiate(Deal deal, Commitment promise, DateOnly newDate, DateOnly? today = null, string agreedWith = "Eva Buyer", string reason = "Supplier slipped") =>
        deal.RenegotiateCommitment(promise.Id, newDate, agreedWith, Build.Now, reason, Build.Rep, Build.Now, today ?? Build.Today);

    [Fact]
    public void Renegotiation_keeps_every_date_the_promise_ever_had()
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(30)));

        Renegotiate(deal, promise, Build.Day(40));
        Renegotiate(deal, promise, Build.Day(45), reason: "Customer moved the site date");

        Assert.Equal(Build.Day(45), promise.PromisedDate);
        Assert.Equal(Build.Day(30), promise.OriginalPromisedDate);
        Assert.Equal(15, promise.SlipDays);
        Assert.Equal(
            new[] { (Build.Day(30), Build.Day(40), "Supplier slipped"), (Build.Day(40), Build.Day(45), "Customer moved the site date") },
            promise.DateHistory.Select(h => (h.OldDate, h.NewDate, h.Reason)));
        Assert.All(promise.DateHistory, h => Assert.Equal(("Eva Buyer", Build.Rep, Build.Now), (h.AgreedWith, h.ByUserId, h.At)));
    }

    [Fact]
    public void A_promise_can_be_renegotiated_on_its_promised_day()
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(5)));

        Renegotiate(deal, promise, Build.Day(12), today: Build.Day(5));

        Assert.Equal(Build.Day(12), promise.PromisedDate);
    }

    [Fact]
    public void A_promise_cannot_be_renegotiated_the_day_after_its_promised_date()
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(5)));

        var ex = Assert.Throws<DomainException>(() => Renegotiate(deal, promise, Build.Day(12), today: Build.Day(6)));

        Assert.Contains("already passed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(Build.Day(5), promise.PromisedDate);
        Assert.Empty(promise.DateHistory);
    }

    [Fact]
    public void A_broken_promise_cannot_be_renegotiated()
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(5)));
        promise.RefreshStatus(Build.Day(6));

        var ex = Assert.Throws<DomainException>(() => Renegotiate(deal, promise, Build.Day(12), today: Build.Day(6)));

        Assert.Contains("broken", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kept_or_waived_promise_cannot_be_renegotiated()
    {
        var deal = Build.Deal();
        var kept = Build.Promise(deal);
        kept.Complete(Build.Today, Build.Today);
        var waived = Build.Promise(deal);
        deal.WaiveCommitment(waived.Id, "Dropped by agreement", Build.Rep, Build.Now);

        Assert.Contains("kept promise cannot be renegotiated", Assert.Throws<DomainException>(() => Renegotiate(deal, kept, Build.Day(80))).Message, StringComparison.Ordinal);
        Assert.Contains("waived promise cannot be renegotiated", Assert.Throws<DomainException>(() => Renegotiate(deal, waived, Build.Day(80))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_paid_deals_open_promise_is_settled_with_it_neither_renegotiated_nor_waived()
    {
        var deal = Build.OrderedDeal();
        var theirs = Build.Promise(deal, Build.Theirs(promised: Build.Day(20)));
        Build.Promise(deal).Complete(Build.Today, Build.Today);
        deal.MarkDelivered(Build.Rep, Build.Now, Build.Today);
        deal.MarkPaid(Build.Today, "BANK-2026-03-02", Build.Rep, Build.Now, Build.Today);

        Assert.Equal(deal.WhyCannotRenegotiate(theirs), Assert.Throws<DomainException>(() => Renegotiate(deal, theirs, Build.Day(30))).Message);
        Assert.Equal(deal.WhyCannotWaive(theirs), Assert.Throws<DomainException>(() => deal.WaiveCommitment(theirs.Id, "Moot", Build.Rep, Build.Now)).Message);
        Assert.Equal("This deal is paid and can no longer be changed.", deal.WhyCannotWaive(theirs));
        Assert.Equal((CommitmentStatus.Open, Build.Day(20)), (theirs.Status, theirs.PromisedDate));
    }

    [Fact]
    public void The_same_date_is_not_a_renegotiation()
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(30)));

        var ex = Assert.Throws<DomainException>(() => Renegotiate(deal, promise, Build.Day(30)));

        Assert.Contains("same", ex.Message, StringComparison.Ordinal);
        Assert.Empty(promise.DateHistory);
    }

    [Fact]
    public void A_renegotiated_date_cannot_be_in_the_past()
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(30)));

        Assert.Throws<DomainException>(() => Renegotiate(deal, promise, Build.Day(9), today: Build.Day(10)));
        Assert.Equal(Build.Day(30), promise.PromisedDate);
    }

    [Theory]
    [InlineData(" ", "Supplier slipped", "Who agreed the new date")]
    [InlineData("Eva Buyer", "", "Reason")]
    public void A_renegotiation_says_who_agreed_and_why(string agreedWith, string reason, string missing)
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal);

        var ex = Assert.Throws<DomainException>(() => Renegotiate(deal, promise, Build.Day(80), agreedWith: agreedWith, reason: reason));

        Assert.Equal($"{missing} is required.", ex.Message);
    }

    [Fact]
    public void An_agreement_cannot_be_dated_in_the_future()
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal);

        Assert.Throws<DomainException>(() => deal.RenegotiateCommitment(
            promise.Id, Build.Day(80), "Eva Buyer", Build.Now.AddHours(2), "Slip", Build.Rep, Build.Now, Build.Today));
    }

    [Fact]
    public void Renegotiation_moves_the_open_check_in_to_three_days_before_the_new_date()
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(30)));

        Renegotiate(deal, promise, Build.Day(50));

        Assert.Equal(Build.Day(47), Assert.Single(deal.Touchpoints, t => t.CommitmentId == promise.Id).DueOn);
    }

    [Fact]
    public void Renegotiation_leaves_a_completed_check_in_where_it_was()
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(30)));
        var checkIn = Assert.Single(deal.Touchpoints, t => t.CommitmentId == promise.Id);
        deal.CompleteTouchpoint(checkIn.Id, Guid.NewGuid(), Build.Rep, Build.Now);

        Renegotiate(deal, promise, Build.Day(50));

        Assert.Equal(Build.Day(27), checkIn.DueOn);
    }
}

public sealed class WaiverTests
{
    [Fact]
    public void Waiving_a_promise_records_who_why_and_when()
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal);

        deal.WaiveCommitment(promise.Id, " Customer dropped training ", Build.Manager, Build.Now);

        Assert.Equal(CommitmentStatus.Waived, promise.Status);
        Assert.True(promise.IsClosed);
        Assert.Equal(("Customer dropped training", Build.Manager, Build.Now), (promise.WaivedReason!, promise.WaivedBy!, promise.WaivedAt!.Value));
    }

    [Fact]
    public void Waiving_needs_a_reason()
    {
        var promise = Build.Promise();

        Assert.Throws<DomainException>(() => promise.Waive("  ", Build.Rep, Build.Now));
        Assert.Equal(CommitmentStatus.Open, promise.Status);
    }

    [Fact]
    public void A_kept_promise_cannot_be_waived()
    {
        var promise = Build.Promise();
        promise.Complete(Build.Today, Build.Today);

        Assert.Throws<DomainException>(() => promise.Waive("Changed our mind", Build.Rep, Build.Now));
        Assert.Equal(CommitmentStatus.Kept, promise.Status);
    }

    [Fact]
    public void A_broken_promise_can_still_be_waived_by_agreement()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(1)));
        promise.RefreshStatus(Build.Day(2));

        promise.Waive("Customer no longer needs it", Build.Rep, Build.Now);

        Assert.Equal(CommitmentStatus.Waived, promise.Status);
    }

    [Fact]
    public void Waiving_cancels_the_promises_check_in()
    {
        var deal = Build.Deal();
        var promise = Build.Promise(deal);

        deal.WaiveCommitment(promise.Id, "Dropped", Build.Rep, Build.Now);

        Assert.True(Assert.Single(deal.Touchpoints, t => t.CommitmentId == promise.Id).IsCancelled);
        Assert.All(deal.Touchpoints.Where(t => t.CommitmentId is null), t => Assert.True(t.IsOpen));
    }

    [Fact]
    public void A_waived_promise_stays_waived_when_its_date_passes()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(1)));
        promise.Waive("Dropped", Build.Rep, Build.Now);

        Assert.False(promise.RefreshStatus(Build.Day(10)));
        Assert.Equal(CommitmentStatus.Waived, promise.Status);
    }

    [Fact]
    public void The_milestones_of_a_waived_promise_are_closed()
    {
        var promise = Build.Promise();
        var milestone = promise.AddMilestone("Ship", Build.ServiceUser, Build.Day(60));
        var done = promise.AddMilestone("Order parts", Build.ServiceUser, Build.Day(30));
        Build.Update(promise, done, Build.Done(Build.Today));
        promise.Waive("Dropped", Build.Rep, Build.Now);

        var ex = Assert.Throws<DomainException>(() => Build.Update(promise, milestone, Build.Done(Build.Today)));

        Assert.Contains("waived", ex.Message, StringComparison.Ordinal);
        // The unfinished milestone leaves the fulfilment queue as skipped, with the reason in its history; the done one stays done.
        Assert.Equal((MilestoneStatus.Skipped, Milestone.WaivedPromiseReason), (milestone.Status, milestone.StatusReason));
        Assert.Equal((MilestoneStatus.NotStarted, MilestoneStatus.Skipped, Build.Rep), (milestone.Updates[^1].OldStatus, milestone.Updates[^1].NewStatus, milestone.Updates[^1].ByUserId));
        Assert.Equal(MilestoneStatus.Done, done.Status);
    }
}

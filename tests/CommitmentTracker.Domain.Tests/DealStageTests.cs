using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using static CommitmentTracker.Domain.Tests.Build;

namespace CommitmentTracker.Domain.Tests;

public sealed class DealStageTests
{
    [Fact]
    public void What_is_missing_before_a_move_leaves_out_the_moves_own_inputs()
    {
        var deal = Deal();

        var beforeOrdered = deal.WhatIsMissingBefore(DealStage.Ordered);

        Assert.Equal(DealStage.Ordered, deal.NextStage);
        Assert.Contains(beforeOrdered, m => m.Contains("\"Outcome\"", StringComparison.Ordinal));
        Assert.DoesNotContain(beforeOrdered, m => m.Contains("purchase-order", StringComparison.Ordinal));
        Assert.Contains(deal.WhyCannotAdvance(DealStage.Ordered), m => m.Contains("purchase-order", StringComparison.Ordinal));
        Assert.Null(PaidDeal().NextStage);
    }

    [Fact]
    public void Losing_a_deal_waives_its_open_promises_and_keeps_the_kept_ones()
    {
        var deal = OrderedDeal();
        var open = deal.AddCommitment(Ours(promised: Day(40)), LeadTimes.Defaults, Rep, Now, Today);
        var kept = deal.AddCommitment(Ours(promised: Day(30), description: "Train the team"), LeadTimes.Defaults, Rep, Now, Today);
        kept.Complete(Today, Today);

        deal.MarkLost(LostReason.WentToCompetitor, "Chose a bundle", Rep, Now);

        Assert.Equal(CommitmentStatus.Waived, open.Status);
        Assert.Contains("lost", open.WaivedReason, StringComparison.Ordinal);
        Assert.Equal(CommitmentStatus.Kept, kept.Status);
    }

    private static Deal DealWithItems() => Build.Deal(Build.Checklist(
        new("Outcome", "", true), new("Technical review", "", true), new("Self-check", "", false)));

    [Fact]
    public void Advancing_to_ordered_requires_every_required_checklist_item()
    {
        var deal = DealWithItems();
        deal.AnswerChecklistItem(deal.Checklist[0].Id, "40 cases a minute", Build.Rep, Build.Now);

        var missing = deal.WhyCannotAdvance(DealStage.Ordered, "PO-1");

        var reason = Assert.Single(missing);
        Assert.Contains("\"Technical review\"", reason, StringComparison.Ordinal);
        var ex = Assert.Throws<DomainException>(() => deal.MarkOrdered("PO-1", Build.Rep, Build.Now));
        Assert.Contains("\"Technical review\"", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Self-check", ex.Message, StringComparison.Ordinal);
        Assert.Equal(DealStage.Verbal, deal.Stage);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Advancing_to_ordered_requires_a_purchase_order_reference(string? reference)
    {
        var deal = Build.AnswerRequiredItems(Build.Deal());

        Assert.Contains("purchase-order reference", Assert.Single(deal.WhyCannotAdvance(DealStage.Ordered, reference)), StringComparison.Ordinal);
        var ex = Assert.Throws<DomainException>(() => deal.MarkOrdered(reference!, Build.Rep, Build.Now));
        Assert.Contains("purchase-order reference", ex.Message, StringComparison.Ordinal);
        Assert.Null(deal.PurchaseOrderReference);
    }

    [Fact]
    public void Why_cannot_advance_names_every_missing_condition_at_once()
    {
        var deal = Build.Deal();

        var missing = deal.WhyCannotAdvance(DealStage.Ordered);

        Assert.Equal(9, missing.Count); // eight required default items and the PO reference
        Assert.Contains(missing, m => m.Contains("\"Road to delivery\"", StringComparison.Ordinal));
        Assert.DoesNotContain(missing, m => m.Contains("Decision comfort", StringComparison.Ordinal));
    }

    [Fact]
    public void Optional_checklist_items_do_not_hold_up_the_order()
    {
        var deal = Build.AnswerRequiredItems(Build.Deal());

        Assert.Empty(deal.WhyCannotAdvance(DealStage.Ordered, "PO-1"));
    }

    [Fact]
    public void Marking_ordered_records_the_purchase_order_and_the_stage_change()
    {
        var deal = Build.AnswerRequiredItems(Build.Deal());
        var at = Build.Now.AddDays(3);

        deal.MarkOrdered("  PO-4711 ", Build.Manager, at);

        Assert.Equal(DealStage.Ordered, deal.Stage);
        Assert.Equal("PO-4711", deal.PurchaseOrderReference);
        Assert.Equal(at, deal.StageEnteredAt);
        var change = deal.StageHistory[^1];
        Assert.Equal((DealStage.Verbal, DealStage.Ordered, Build.Manager, at), (change.From!.Value, change.To, change.ByUserId, change.At));
    }

    [Fact]
    public void Marking_ordered_cancels_only_the_purchase_order_chase()
    {
        var deal = Build.OrderedDeal();

        var chase = Assert.Single(deal.Touchpoints, t => t.Kind == TouchpointKind.ChasePurchaseOrder);
        Assert.True(chase.IsCancelled);
        Assert.All(deal.Touchpoints.Where(t => t.Kind != TouchpointKind.ChasePurchaseOrder), t => Assert.True(t.IsOpen));
    }

    [Fact]
    public void Advancing_to_delivered_requires_every_promise_of_ours_to_be_finished()
    {
        var deal = Build.OrderedDeal();
        Build.Promise(deal, Build.Ours(description: "Install the cell")).Complete(Build.Today, Build.Today);
        Build.Promise(deal, Build.Ours(CommitmentKind.Training, description: "Train six operators"));

        var reason = Assert.Single(deal.WhyCannotAdvance(DealStage.Delivered));

        Assert.Contains("\"Train six operators\" is open", reason, StringComparison.Ordinal);
        var ex = Assert.Throws<DomainException>(() => deal.MarkDelivered(Build.Rep, Build.Now, Build.Today));
        Assert.Contains("Train six operators", ex.Message, StringComparison.Ordinal);
        Assert.Equal(DealStage.Ordered, deal.Stage);
    }

    [Fact]
    public void A_broken_promise_blocks_delivery()
    {
        var deal = Build.OrderedDeal();
        var promise = Build.Promise(deal, Build.Ours(promised: Build.Day(1), description: "Ship the cell"));
        promise.RefreshStatus(Build.Day(2));

        Assert.Contains("\"Ship the cell\" is broken", Assert.Single(deal.WhyCannotAdvance(DealStage.Delivered)), StringComparison.Ordinal);
    }

    [Fact]
    public void Promises_kept_late_or_waived_let_the_deal_be_delivered()
    {
        var deal = Build.OrderedDeal();
        Build.Promise(deal, Build.Ours(promised: Build.Day(1))).Complete(Build.Day(2), Build.Day(2));
        deal.WaiveCommitment(Build.Promise(deal, Build.Ours(CommitmentKind.Training)).Id, "Customer trains in-house", Build.Rep, Build.Now);

        deal.MarkDelivered(Build.Rep, Build.Now, Build.Day(2));

        Assert.Equal(DealStage.Delivered, deal.Stage);
    }

    [Fact]
    public void The_customers_unfinished_promises_do_not_block_delivery()
    {
        var deal = Build.OrderedDeal();
        Build.Promise(deal).Complete(Build.Today, Build.Today);
        Build.Promise(deal, Build.Theirs(Build.Day(1))).RefreshStatus(Build.Day(5));
        Build.Promise(deal, Build.Theirs(Build.Day(30), "Sign off the layout"));

        Assert.Empty(deal.WhyCannotAdvance(DealStage.Delivered));
    }

    [Fact]
    public void An_outcome_promise_blocks_delivery_until_the_customer_accepts_the_result()
    {
        var deal = Build.OrderedDeal();
        var outcome = Build.Promise(deal, Build.Ours(CommitmentKind.Outcome, description: "40 cases a minute"));
        var work = outcome.AddMilestone("Tune the line", Build.ServiceUser, Build.Day(60));
        var acceptance = outcome.AddMilestone("Customer acceptance", null, Build.Day(70), isCustomerAcceptance: true);
        Build.Update(outcome, work, Build.Done(Build.Today));

        Assert.Contains("\"40 cases a minute\"", Assert.Single(deal.WhyCannotAdvance(DealStage.Delivered)), StringComparison.Ordinal);

        Build.Update(outcome, acceptance, Build.Accepted(Build.Today));
        Assert.Empty(deal.WhyCannotAdvance(DealStage.Delivered));
    }

    [Fact]
    public void A_deal_without_promises_of_ours_cannot_be_delivered()
    {
        var deal = Build.OrderedDeal();
        Build.Promise(deal, Build.Theirs()).Complete(Build.Today, Build.Today);

        Assert.Contains("no promises of ours", Assert.Single(deal.WhyCannotAdvance(DealStage.Delivered)), StringComparison.Ordinal);
    }

    [Fact]
    public void Marking_delivered_plans_the_satisfaction_and_payment_touchpoints()
    {
        var deal = Build.OrderedDeal();
        Build.Promise(deal).Complete(Build.Today, Build.Today);

        deal.MarkDelivered(Build.Rep, Build.Now, Build.Day(3));

        Assert.Equal(Build.Day(5), Assert.Single(deal.Touchpoints, t => t.Kind == TouchpointKind.ConfirmSatisfaction).DueOn);
        Assert.Equal(Build.Day(33), Assert.Single(deal.Touchpoints, t => t.Kind == TouchpointKind.ConfirmPaymentCleared).DueOn);
    }

    [Fact]
    public void Advancing_to_paid_requires_a_payment_date_and_reference()
    {
        var deal = Build.DeliveredDeal();

        var missing = deal.WhyCannotAdvance(DealStage.Paid);

        Assert.Equal(2, missing.Count);
        Assert.Contains(missing, m => m.Contains("payment date", StringComparison.Ordinal));
        Assert.Contains(missing, m => m.Contains("payment reference", StringComparison.Ordinal));
        var ex = Assert.Throws<DomainException>(() => deal.MarkPaid(Build.Today, " ", Build.Rep, Build.Now, Build.Today));
        Assert.Contains("payment reference", ex.Message, StringComparison.Ordinal);
        Assert.Throws<DomainException>(() => deal.MarkPaid(Build.Today, new string('9', FieldLengths.Reference + 1), Build.Rep, Build.Now, Build.Today));
        Assert.Equal((DealStage.Delivered, (DateOnly?)null), (deal.Stage, deal.PaymentDate));
    }

    [Fact]
    public void A_payment_cannot_be_dated_in_the_future()
    {
        var deal = Build.DeliveredDeal();

        var ex = Assert.Throws<DomainException>(() => deal.MarkPaid(Build.Day(1), "BANK-1", Build.Rep, Build.Now, Build.Today));

        Assert.Contains("future", ex.Message, StringComparison.Ordinal);
        Assert.Equal(DealStage.Delivered, deal.Stage);
    }

    [Fact]
    public void Marking_paid_records_the_payment_closes_the_deal_and_drops_the_payment_chase()
    {
        var deal = Build.DeliveredDeal();

        deal.MarkPaid(Build.Today, " BANK-1 ", Build.Rep, Build.Now, Build.Today);

        Assert.Equal((DealStage.Paid, Build.Today, "BANK-1"), (deal.Stage, deal.PaymentDate!.Value, deal.PaymentReference!));
        Assert.True(deal.IsClosed);
        Assert.True(Assert.Single(deal.Touchpoints, t => t.Kind == TouchpointKind.ConfirmPaymentCleared).IsCancelled);
        Assert.True(Assert.Single(deal.Touchpoints, t => t.Kind == TouchpointKind.ConfirmSatisfaction).IsOpen);
    }

    [Fact]
    public void A_verbal_deal_cannot_skip_to_delivered()
    {
        var deal = Build.AnswerRequiredItems(Build.Deal());

        var ex = Assert.Throws<DomainException>(() => deal.MarkDelivered(Build.Rep, Build.Now, Build.Today));

        Assert.Contains("moves to ordered next, not delivered", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ordered_deal_cannot_skip_to_paid()
    {
        var deal = Build.OrderedDeal();

        var ex = Assert.Throws<DomainException>(() => deal.MarkPaid(Build.Today, "BANK-1", Build.Rep, Build.Now, Build.Today));

        Assert.Contains("moves to delivered next, not paid", ex.Message, StringComparison.Ordinal);
        Assert.Null(deal.PaymentDate);
    }

    [Fact]
    public void A_deal_cannot_be_ordered_twice_or_moved_back()
    {
        var deal = Build.OrderedDeal();

        Assert.Throws<DomainException>(() => deal.MarkOrdered("PO-2", Build.Rep, Build.Now));
        Assert.NotEmpty(deal.WhyCannotAdvance(DealStage.Verbal));
        Assert.Equal("PO-4711", deal.PurchaseOrderReference);
    }

    [Theory]
    [InlineData(DealStage.Paid)]
    [InlineData(DealStage.Lost)]
    public void A_closed_deal_has_no_further_stage(DealStage stage)
    {
        var deal = stage == DealStage.Lost ? Build.Deal() : Build.PaidDeal();
        if (stage == DealStage.Lost)
            deal.MarkLost(LostReason.NoBudget, null, Build.Rep, Build.Now);

        Assert.Contains("no further stage", Assert.Single(deal.WhyCannotAdvance(DealStage.Delivered)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DealStage.Verbal)]
    [InlineData(DealStage.Ordered)]
    [InlineData(DealStage.Delivered)]
    public void A_deal_can_be_lost_from_any_stage_before_paid(DealStage from)
    {
        var deal = Build.DealAt(from);
        var at = Build.Now.AddDays(1);

        deal.MarkLost(LostReason.WentToCompetitor, null, Build.Manager, at);

        Assert.Equal((DealStage.Lost, LostReason.WentToCompetitor), (deal.Stage, deal.LostReason!.Value));
        var change = deal.StageHistory[^1];
        Assert.Equal((from, DealStage.Lost, Build.Manager, at), (change.From!.Value, change.To, change.ByUserId, change.At));
    }

    [Fact]
    public void A_paid_deal_cannot_be_lost()
    {
        var deal = Build.PaidDeal();

        var ex = Assert.Throws<DomainException>(() => deal.MarkLost(LostReason.NoBudget, null, Build.Rep, Build.Now));

        Assert.Contains("already paid", ex.Message, StringComparison.Ordinal);
        Assert.Equal(DealStage.Paid, deal.Stage);
    }

    [Fact]
    public void A_lost_deal_cannot_be_lost_again()
    {
        var deal = Build.Deal();
        deal.MarkLost(LostReason.NoBudget, null, Build.Rep, Build.Now);

        Assert.Throws<DomainException>(() => deal.MarkLost(LostReason.NoLongerNeeded, null, Build.Rep, Build.Now));
        Assert.Equal(LostReason.NoBudget, deal.LostReason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void Losing_for_another_reason_needs_a_note(string? note)
    {
        var deal = Build.Deal();

        var ex = Assert.Throws<DomainException>(() => deal.MarkLost(LostReason.Other, note, Build.Rep, Build.Now));

        Assert.Contains("Other", ex.Message, StringComparison.Ordinal);
        Assert.Equal(DealStage.Verbal, deal.Stage);
    }

    [Fact]
    public void Losing_for_another_reason_keeps_the_note()
    {
        var deal = Build.Deal();

        deal.MarkLost(LostReason.Other, " Merged with a group buyer ", Build.Rep, Build.Now);

        Assert.Equal("Merged with a group buyer", deal.LostNote);
    }

    [Fact]
    public void Losing_a_deal_cancels_its_open_touchpoints_and_keeps_completed_ones()
    {
        var deal = Build.Deal();
        var done = deal.Touchpoints[0];
        deal.CompleteTouchpoint(done.Id, Guid.NewGuid(), Build.Rep, Build.Now);

        deal.MarkLost(LostReason.NoBudget, null, Build.Rep, Build.Now);

        Assert.False(done.IsCancelled);
        Assert.NotNull(done.CompletedAt);
        Assert.All(deal.Touchpoints.Skip(1), t => Assert.True(t.IsCancelled));
    }

    [Fact]
    public void Every_stage_change_is_kept_in_order_with_its_time()
    {
        var deal = Build.AnswerRequiredItems(Build.Deal());
        deal.MarkOrdered("PO-1", Build.Rep, Build.Now.AddDays(1));
        Build.Promise(deal).Complete(Build.Today, Build.Today);
        deal.MarkDelivered(Build.Rep, Build.Now.AddDays(2), Build.Today);
        deal.MarkPaid(Build.Today, "BANK-1", Build.Rep, Build.Now.AddDays(3), Build.Today);

        Assert.Equal(
            new (DealStage?, DealStage, DateTimeOffset)[]
            {
                (null, DealStage.Verbal, Build.Now),
                (DealStage.Verbal, DealStage.Ordered, Build.Now.AddDays(1)),
                (DealStage.Ordered, DealStage.Delivered, Build.Now.AddDays(2)),
                (DealStage.Delivered, DealStage.Paid, Build.Now.AddDays(3)),
            },
            deal.StageHistory.Select(c => (c.From, c.To, c.At)));
    }
}

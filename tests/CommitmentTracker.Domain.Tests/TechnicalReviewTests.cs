using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Deals;
using static CommitmentTracker.Domain.Tests.Build;

namespace CommitmentTracker.Domain.Tests;

public sealed class TechnicalReviewTests
{
    [Fact]
    public void An_approved_review_answers_the_checklists_technical_review_item()
    {
        var deal = Deal();
        var review = deal.RequestTechnicalReview("Robot cell with two grippers, delivery in 10 weeks", Rep, Now);

        deal.DecideTechnicalReview(review.Id, approved: true, "Feasible with the standard gripper", "service-1", Now);

        var item = deal.Checklist.Single(i => i.Title == Domain.Deals.Deal.TechnicalReviewItemTitle);
        Assert.Equal(TechnicalReviewOutcome.Approved, review.Outcome);
        Assert.True(item.IsAnswered);
        Assert.Contains("Feasible with the standard gripper", item.Answer, StringComparison.Ordinal);
        Assert.Equal("service-1", item.AnsweredBy);
    }

    [Fact]
    public void Concerns_need_a_comment_and_leave_the_checklist_item_open()
    {
        var deal = Deal();
        var review = deal.RequestTechnicalReview("Install in one weekend", Rep, Now);

        Assert.Throws<DomainException>(() => deal.DecideTechnicalReview(review.Id, approved: false, " ", "service-1", Now));
        deal.DecideTechnicalReview(review.Id, approved: false, "Two weekends at least", "service-1", Now);

        Assert.Equal(TechnicalReviewOutcome.ConcernsRaised, review.Outcome);
        Assert.False(deal.Checklist.Single(i => i.Title == Domain.Deals.Deal.TechnicalReviewItemTitle).IsAnswered);
    }

    [Fact]
    public void A_review_is_asked_for_only_while_the_deal_is_verbal()
    {
        var ex = Assert.Throws<DomainException>(() => OrderedDeal().RequestTechnicalReview("Too late", Rep, Now));

        Assert.Contains("verbal", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_one_review_waits_at_a_time_and_each_is_answered_once()
    {
        var deal = Deal();
        var review = deal.RequestTechnicalReview("First", Rep, Now);

        Assert.Throws<DomainException>(() => deal.RequestTechnicalReview("Second", Rep, Now));
        deal.DecideTechnicalReview(review.Id, approved: true, null, "service-1", Now);
        Assert.Throws<DomainException>(() => deal.DecideTechnicalReview(review.Id, approved: false, "Changed my mind", "service-1", Now));
        Assert.NotNull(deal.RequestTechnicalReview("Second, after the first was answered", Rep, Now));
    }

    [Fact]
    public void Answering_the_technical_review_item_in_words_asks_service_staff_for_a_review()
    {
        var deal = Deal();

        var review = deal.AnswerChecklistItem(deal.TechnicalReviewItem!.Id, "Sam looked at it on the phone", Rep, Now);

        Assert.NotNull(review);
        Assert.Equal(("Sam looked at it on the phone", TechnicalReviewOutcome.Pending), (review.Request, review.Outcome));
        Assert.Same(review, deal.LatestTechnicalReview);
    }

    [Fact]
    public void A_deal_whose_technical_review_item_was_answered_in_words_cannot_be_ordered_until_service_approves()
    {
        var deal = Deal();
        foreach (var item in deal.OpenRequiredItems.ToList())
            deal.AnswerChecklistItem(item.Id, "Agreed with the customer", Rep, Now);
        Assert.Empty(deal.OpenRequiredItems);

        var ex = Assert.Throws<DomainException>(() => deal.MarkOrdered("PO-1", Rep, Now));

        Assert.Contains("The technical review is waiting for service staff", ex.Message, StringComparison.Ordinal);
        Assert.Equal(DealStage.Verbal, deal.Stage);
        deal.DecideTechnicalReview(deal.LatestTechnicalReview!.Id, approved: true, null, ServiceUser, Now);
        deal.MarkOrdered("PO-1", Rep, Now);
        Assert.Equal(DealStage.Ordered, deal.Stage);
    }

    [Fact]
    public void Without_any_review_the_technical_review_item_is_what_is_missing()
    {
        var deal = Deal();

        Assert.Equal("Service staff have not reviewed the solution: ask them for a technical review before the order.", deal.WhyTechnicalReviewMissing());
        var missing = deal.WhatIsMissingBefore(DealStage.Ordered);
        Assert.Contains("Checklist item \"Technical review\" is required and not answered yet.", missing);
        Assert.DoesNotContain(missing, m => m.StartsWith("Service staff", StringComparison.Ordinal));
    }

    [Fact]
    public void Concerns_raised_keep_the_order_waiting_and_the_next_answer_asks_again()
    {
        var deal = Deal();
        var first = deal.AnswerChecklistItem(deal.TechnicalReviewItem!.Id, "Two cells, one controller", Rep, Now)!;
        deal.DecideTechnicalReview(first.Id, approved: false, "One controller cannot drive two cells.", ServiceUser, Now);

        Assert.Contains("Service staff raised concerns in the technical review: address them and ask for a new review.", deal.WhatIsMissingBefore(DealStage.Ordered));
        var second = deal.AnswerChecklistItem(deal.TechnicalReviewItem!.Id, "One controller per cell", Rep, Now.AddMinutes(5));
        Assert.NotNull(second);
        Assert.Same(second, deal.LatestTechnicalReview);
    }

    [Fact]
    public void An_answer_while_a_review_waits_or_after_an_approval_asks_for_no_second_review()
    {
        var deal = Deal();
        var item = deal.TechnicalReviewItem!;
        deal.RequestTechnicalReview("The cell and the dates", Rep, Now);

        Assert.Null(deal.AnswerChecklistItem(item.Id, "Asked Sam", Rep, Now));
        deal.DecideTechnicalReview(deal.LatestTechnicalReview!.Id, approved: true, null, ServiceUser, Now);
        Assert.Null(deal.AnswerChecklistItem(item.Id, "Approved by Sam, see the review", Rep, Now));
        Assert.Single(deal.TechnicalReviews);
        Assert.Null(deal.WhyTechnicalReviewMissing());
    }

    [Fact]
    public void A_checklist_whose_technical_review_item_is_optional_orders_without_a_review()
    {
        var checklist = Checklist(new ChecklistTemplateItemDraft("Outcome", "", true), new ChecklistTemplateItemDraft(Domain.Deals.Deal.TechnicalReviewItemTitle, "", false));
        var deal = Deal(checklist);
        deal.AnswerChecklistItem(deal.Checklist[0].Id, "Agreed", Rep, Now);

        deal.MarkOrdered("PO-2", Rep, Now);

        Assert.Equal(DealStage.Ordered, deal.Stage);
        Assert.Empty(deal.TechnicalReviews);
    }
}

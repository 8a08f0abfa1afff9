using CommitmentTracker.Domain;
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
}

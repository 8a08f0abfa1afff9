using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Checklist;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Features.TechnicalReviews;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.TechnicalReviews;

/// <summary>
/// The technical review cannot be skipped by typing an answer to its checklist item: the answer asks service staff for a
/// review, and the deal is ordered only once they approved it. Through the services, on PostgreSQL.
/// </summary>
public sealed class TechnicalReviewRuleTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly FakeTimeProvider Clock = new(Now);

    private readonly ChecklistService _checklist = new(
        database, Clock, new ChecklistAnswerValidator(), new ShareRiskValidator(), new ChecklistAcknowledgementValidator(Clock));

    private readonly DealsService _deals = new(database, Clock, new NewDealValidator(Clock), new DealDetailsValidator(Clock), new StageMoveValidator(Clock));

    private readonly TechnicalReviewService _reviews = new(database, Clock);

    [Fact]
    public async Task Answering_the_technical_review_item_in_words_asks_service_and_the_order_waits_for_their_approval()
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Service);
        var deal = await database.CreateDealAsync(rep);

        ChecklistAnswerSaved? reviewItemSaved = null;
        foreach (var item in deal.Checklist.Where(i => i.Required))
        {
            var saved = await _checklist.AnswerAsync(rep, deal.Id, item.Id, new ChecklistAnswerInput { Answer = $"Agreed: {item.Title}" }, null, Cancel);
            if (item.Title == Deal.TechnicalReviewItemTitle)
                reviewItemSaved = saved;
        }

        Assert.True(reviewItemSaved?.AskedForTechnicalReview);
        var review = await database.QueryAsync(db => db.Set<TechnicalReview>().AsNoTracking().SingleAsync(r => r.DealId == deal.Id, Cancel));
        Assert.Equal((TechnicalReviewOutcome.Pending, "Agreed: Technical review", rep.UserId), (review.Outcome, review.Request, review.RequestedBy));

        var refused = await Assert.ThrowsAsync<DomainException>(() => OrderAsync(rep, deal.Id));
        Assert.Contains("The technical review is waiting for service staff", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Checklist item", refused.Message, StringComparison.Ordinal);
        Assert.Equal(DealStage.Verbal, await StageAsync(deal.Id));

        await _reviews.DecideAsync(service, deal.Id, review.Id, approved: true, null, Cancel);
        await OrderAsync(rep, deal.Id);

        Assert.Equal(DealStage.Ordered, await StageAsync(deal.Id));
    }

    [Fact]
    public async Task Concerns_raised_keep_the_deal_from_being_ordered_and_a_new_answer_asks_again()
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Service);
        var deal = await database.CreateDealAsync(rep);
        var reviewItem = deal.TechnicalReviewItem!;
        foreach (var item in deal.Checklist.Where(i => i.Required && i != reviewItem))
            await _checklist.AnswerAsync(rep, deal.Id, item.Id, new ChecklistAnswerInput { Answer = "Agreed" }, null, Cancel);
        await _checklist.AnswerAsync(rep, deal.Id, reviewItem.Id, new ChecklistAnswerInput { Answer = "Two cells on one controller" }, null, Cancel);
        var first = await database.QueryAsync(db => db.Set<TechnicalReview>().AsNoTracking().SingleAsync(r => r.DealId == deal.Id, Cancel));
        await _reviews.DecideAsync(service, deal.Id, first.Id, approved: false, "One controller cannot drive two cells.", Cancel);

        var refused = await Assert.ThrowsAsync<DomainException>(() => OrderAsync(rep, deal.Id));
        Assert.Contains("Service staff raised concerns", refused.Message, StringComparison.Ordinal);

        var seen = await database.QueryAsync(db => db.DealChecklistItems.Where(i => i.Id == reviewItem.Id).Select(i => i.AnsweredAt).SingleAsync(Cancel));
        var again = await _checklist.AnswerAsync(rep, deal.Id, reviewItem.Id, new ChecklistAnswerInput { Answer = "One controller per cell" }, seen, Cancel);

        Assert.True(again.AskedForTechnicalReview);
        var reviews = await database.QueryAsync(db => db.Set<TechnicalReview>().AsNoTracking().Where(r => r.DealId == deal.Id).OrderBy(r => r.RequestedAt).ThenBy(r => r.Outcome).ToListAsync(Cancel));
        Assert.Equal([TechnicalReviewOutcome.ConcernsRaised, TechnicalReviewOutcome.Pending], reviews.Select(r => r.Outcome).OrderBy(o => o == TechnicalReviewOutcome.Pending));
        Assert.Equal(DealStage.Verbal, await StageAsync(deal.Id));
    }

    [Fact]
    public async Task A_deal_whose_technical_review_item_was_answered_in_words_before_this_rule_is_not_ordered_without_a_review()
    {
        // Stored before the rule: every required item answered, item 7 in words, no review at all.
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep, arrange: d =>
        {
            foreach (var item in d.OpenRequiredItems.ToList())
                d.AnswerChecklistItem(item.Id, "Agreed", d.OwnerId, Now);
        });
        await using (var db = database.CreateDbContext())
            await db.Set<TechnicalReview>().Where(r => r.DealId == deal.Id).ExecuteDeleteAsync(Cancel);

        var refused = await Assert.ThrowsAsync<DomainException>(() => OrderAsync(rep, deal.Id));

        Assert.Contains("Service staff have not reviewed the solution", refused.Message, StringComparison.Ordinal);
        Assert.Equal(DealStage.Verbal, await StageAsync(deal.Id));
    }

    private async Task OrderAsync(Actor rep, Guid dealId)
    {
        var version = await database.QueryAsync(db => db.Deals.Where(d => d.Id == dealId).Select(d => EF.Property<uint>(d, AppDbContext.Version)).SingleAsync(Cancel));
        await _deals.MoveAsync(rep, dealId, version, new StageMoveInput { Target = DealStage.Ordered, PurchaseOrderReference = "PO-7" }, Cancel);
    }

    private Task<DealStage> StageAsync(Guid dealId) =>
        database.QueryAsync(db => db.Deals.Where(d => d.Id == dealId).Select(d => d.Stage).SingleAsync(Cancel));
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.TechnicalReviews;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.TechnicalReviews;

/// <summary>Technical reviews: reps ask while the deal is verbal, service staff answer, an approval answers the checklist item.</summary>
public sealed class TechnicalReviewServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private TechnicalReviewService Reviews => new(database, new FakeTimeProvider(Now));

    private async Task<(Actor Rep, Guid DealId)> VerbalDealAsync(DealStage stage = DealStage.Verbal)
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep, stage: stage);
        return (rep, deal.Id);
    }

    private Task<List<TechnicalReview>> ReviewsOfAsync(Guid dealId) =>
        database.QueryAsync(db => db.Set<TechnicalReview>().AsNoTracking().Where(r => r.DealId == dealId).ToListAsync(Cancel));

    private Task<DealChecklistItem> TechnicalReviewItemAsync(Guid dealId) =>
        database.QueryAsync(async db => (await db.LoadDealAsync(dealId)).Checklist.Single(i => i.Title == Deal.TechnicalReviewItemTitle));

    private async Task<Guid> RequestedAsync(Actor rep, Guid dealId)
    {
        await Reviews.RequestAsync(rep, dealId, "Robot cell with two grippers, delivery in 10 weeks", Cancel);
        return Assert.Single(await ReviewsOfAsync(dealId)).Id;
    }

    private Task<Actor> ServiceAsync() => database.CreateAsync(AppRoles.Service, department: Department.Service);

    [Fact]
    public async Task A_rep_asks_for_a_review_while_the_deal_is_verbal_and_it_waits_for_service()
    {
        var (rep, dealId) = await VerbalDealAsync();

        await Reviews.RequestAsync(rep, dealId, "Robot cell with two grippers, delivery in 10 weeks", Cancel);

        var review = Assert.Single(await ReviewsOfAsync(dealId));
        Assert.Equal(TechnicalReviewOutcome.Pending, review.Outcome);
        Assert.Equal(rep.UserId, review.RequestedBy);
        Assert.Equal(Now, review.RequestedAt);
        var pending = Assert.Single((await Reviews.PendingAsync(await ServiceAsync(), 200, Cancel)).Items, p => p.DealId == dealId);
        Assert.Equal("Robot cell with two grippers, delivery in 10 weeks", pending.Request);
        Assert.Equal(rep.DisplayName, pending.RepName);
    }

    [Fact]
    public async Task A_review_is_asked_for_only_before_the_promise_is_made()
    {
        var (rep, dealId) = await VerbalDealAsync(DealStage.Ordered);

        var error = await Assert.ThrowsAsync<DomainException>(() => Reviews.RequestAsync(rep, dealId, "Too late?", Cancel));

        Assert.Equal("A technical review is asked for before the promise is made, while the deal is verbal.", error.Message);
        // Only the review approved before the order (which the order required) is there.
        Assert.Equal(TechnicalReviewOutcome.Approved, Assert.Single(await ReviewsOfAsync(dealId)).Outcome);
    }

    [Fact]
    public async Task A_second_request_while_one_is_waiting_is_refused()
    {
        var (rep, dealId) = await VerbalDealAsync();
        await RequestedAsync(rep, dealId);

        await Assert.ThrowsAsync<DomainException>(() => Reviews.RequestAsync(rep, dealId, "Again", Cancel));

        Assert.Single(await ReviewsOfAsync(dealId));
    }

    [Fact]
    public async Task Only_the_deals_rep_or_their_manager_asks_for_a_review()
    {
        var (_, dealId) = await VerbalDealAsync();
        var stranger = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var service = await ServiceAsync();

        await Assert.ThrowsAsync<RecordNotFoundException>(() => Reviews.RequestAsync(stranger, dealId, "Please", Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reviews.RequestAsync(service, dealId, "Please", Cancel));

        Assert.Empty(await ReviewsOfAsync(dealId));
    }

    [Fact]
    public async Task Service_approves_and_the_checklists_technical_review_item_is_answered()
    {
        var (rep, dealId) = await VerbalDealAsync();
        var reviewId = await RequestedAsync(rep, dealId);
        var service = await ServiceAsync();

        await Reviews.DecideAsync(service, dealId, reviewId, approved: true, "Gripper lead time is 6 weeks: fine", Cancel);

        var review = Assert.Single(await ReviewsOfAsync(dealId));
        Assert.Equal(TechnicalReviewOutcome.Approved, review.Outcome);
        Assert.Equal(service.UserId, review.ReviewerId);
        var item = await TechnicalReviewItemAsync(dealId);
        Assert.Equal("Approved by service on 2026-03-02: Gripper lead time is 6 weeks: fine", item.Answer);
        Assert.Equal(service.UserId, item.AnsweredBy);
        Assert.DoesNotContain((await Reviews.PendingAsync(service, 200, Cancel)).Items, p => p.DealId == dealId);
    }

    [Fact]
    public async Task Concerns_need_a_comment_and_leave_the_checklist_item_open()
    {
        var (rep, dealId) = await VerbalDealAsync();
        var reviewId = await RequestedAsync(rep, dealId);
        var service = await ServiceAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() => Reviews.DecideAsync(service, dealId, reviewId, approved: false, "  ", Cancel));
        Assert.Equal("Describe the concerns, so the rep can address them before promising.", error.Message);
        Assert.Equal(TechnicalReviewOutcome.Pending, Assert.Single(await ReviewsOfAsync(dealId)).Outcome);

        await Reviews.DecideAsync(service, dealId, reviewId, approved: false, "The floor cannot carry the cell", Cancel);

        var review = Assert.Single(await ReviewsOfAsync(dealId));
        Assert.Equal(TechnicalReviewOutcome.ConcernsRaised, review.Outcome);
        Assert.Equal("The floor cannot carry the cell", review.Comment);
        Assert.False((await TechnicalReviewItemAsync(dealId)).IsAnswered);
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Admin)]
    public async Task Only_service_staff_decide_a_review(string role)
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var deal = await database.CreateDealAsync(rep);
        var reviewId = await RequestedAsync(rep, deal.Id);
        var caller = role == AppRoles.Rep ? rep : await database.CreateAsync(role, team);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Reviews.DecideAsync(caller, deal.Id, reviewId, approved: true, null, Cancel));

        Assert.Equal(TechnicalReviewOutcome.Pending, Assert.Single(await ReviewsOfAsync(deal.Id)).Outcome);
        Assert.False((await TechnicalReviewItemAsync(deal.Id)).IsAnswered);
    }

    [Fact]
    public async Task Service_staff_are_offered_a_decision_on_a_waiting_review_and_admins_who_would_be_refused_are_not()
    {
        var (rep, dealId) = await VerbalDealAsync();
        var reviewId = await RequestedAsync(rep, dealId);
        var service = await ServiceAsync();
        var admin = await database.CreateAsync(AppRoles.Admin);

        var forService = Assert.Single((await Reviews.PendingAsync(service, 200, Cancel)).Items, p => p.ReviewId == reviewId);
        var forAdmin = Assert.Single((await Reviews.PendingAsync(admin, 200, Cancel)).Items, p => p.ReviewId == reviewId);

        Assert.Equal((true, false), (forService.CanDecide, forAdmin.CanDecide));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Reviews.DecideAsync(admin, dealId, reviewId, approved: true, null, Cancel));
        await Reviews.DecideAsync(service, dealId, reviewId, approved: true, null, Cancel);
        Assert.Equal(TechnicalReviewOutcome.Approved, Assert.Single(await ReviewsOfAsync(dealId)).Outcome);
    }

    [Fact]
    public async Task The_pending_list_is_for_service_staff_and_admins_oldest_first()
    {
        var (firstRep, firstDeal) = await VerbalDealAsync();
        var (secondRep, secondDeal) = await VerbalDealAsync();
        await new TechnicalReviewService(database, new FakeTimeProvider(Now.AddHours(1))).RequestAsync(secondRep, secondDeal, "Later request", Cancel);
        await Reviews.RequestAsync(firstRep, firstDeal, "Earlier request", Cancel);

        var forService = (await Reviews.PendingAsync(await ServiceAsync(), 200, Cancel)).Items;
        var forAdmin = (await Reviews.PendingAsync(await database.CreateAsync(AppRoles.Admin), 200, Cancel)).Items;

        Assert.Equal([firstDeal, secondDeal], forService.Where(p => p.DealId == firstDeal || p.DealId == secondDeal).Select(p => p.DealId));
        Assert.Contains(forAdmin, p => p.DealId == firstDeal);
        Assert.Empty((await Reviews.PendingAsync(firstRep, 200, Cancel)).Items);
    }
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Tests.Infrastructure;

/// <summary>Accounts and deals built through the domain on a fixed clock, for tests that need a deal in some state.</summary>
public static class TestDeals
{
    public static readonly DateOnly Today = new(2026, 3, 2);

    /// <summary>Whole seconds: PostgreSQL keeps microseconds, so a round-tripped time compares equal.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public static Task<ChecklistTemplate> ActiveChecklistAsync(this TestDatabase database) =>
        database.QueryAsync(db => db.ChecklistTemplates.AsNoTracking().SingleAsync(t => t.IsActive));

    public static async Task<Account> CreateAccountAsync(this TestDatabase database, string? name = null)
    {
        var account = Account.Create(name ?? $"Account {Guid.NewGuid():N}", "Testing", Now);
        await database.InsertAsync(account);
        return account;
    }

    /// <summary>A deal owned by <paramref name="owner"/>, moved through the domain to <paramref name="stage"/> and saved.</summary>
    public static async Task<Deal> CreateDealAsync(
        this TestDatabase database, Actor owner, string? title = null, Account? account = null, decimal value = 10_000m,
        DealStage stage = DealStage.Verbal, Action<Deal>? arrange = null)
    {
        account ??= await database.CreateAccountAsync();
        var deal = Deal.Create(
            account.Id, title ?? $"Deal {Guid.NewGuid():N}", owner.UserId, Money.Of(value, "EUR"),
            "Pack 40 cases a minute on line 3", Today, await database.ActiveChecklistAsync(), Now, Today);
        MoveTo(deal, stage);
        arrange?.Invoke(deal);
        // Saved on the test clock: risk is evaluated inside the save, against the time of the change.
        await using var db = database.CreateDbContext();
        db.ChangedAt = Now;
        db.Add(deal);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return deal;
    }

    /// <summary>A promise of ours on the deal, outside every default lead time, owned by the deal's owner.</summary>
    public static Commitment AddPromise(Deal deal, CommitmentKind kind = CommitmentKind.Delivery, int promisedInDays = 70, string description = "Ship the robot cell") =>
        deal.AddCommitment(
            new CommitmentDraft(CommitmentDirection.Ours, kind, description, deal.OwnerId, Department.Fulfilment, Today.AddDays(promisedInDays), Today.AddDays(promisedInDays + 10)),
            LeadTimes.Defaults, deal.OwnerId, Now, Today);

    /// <summary>A deal with everything it owns; milestones and checklist items in their order.</summary>
    public static Task<Deal> LoadDealAsync(this AppDbContext db, Guid dealId, bool tracked = false) =>
        (tracked ? db.Deals : db.Deals.AsNoTracking()).AsSplitQuery()
            .Include(d => d.Commitments).ThenInclude(c => c.Milestones.OrderBy(m => m.Position)).ThenInclude(m => m.Updates)
            .Include(d => d.Commitments).ThenInclude(c => c.DateHistory)
            .Include(d => d.Checklist.OrderBy(i => i.Position))
            .Include(d => d.Touchpoints)
            .Include(d => d.StageHistory)
            .Include(d => d.SharedRisks)
            .Include(d => d.TechnicalReviews)
            .SingleAsync(d => d.Id == dealId, TestContext.Current.CancellationToken);

    /// <summary>A promise with its milestones (in order), their updates and its date history.</summary>
    public static Task<Commitment> LoadCommitmentAsync(this AppDbContext db, Guid commitmentId, bool tracked = false) =>
        (tracked ? db.Commitments : db.Commitments.AsNoTracking()).AsSplitQuery()
            .Include(c => c.Milestones.OrderBy(m => m.Position)).ThenInclude(m => m.Updates)
            .Include(c => c.DateHistory)
            .SingleAsync(c => c.Id == commitmentId, TestContext.Current.CancellationToken);

    /// <summary>Asks for a technical review and approves it (which answers the checklist's item), as the order requires.</summary>
    public static void ApproveTechnicalReview(Deal deal, string reviewerId)
    {
        if (!deal.RequiresTechnicalReview || deal.WhyTechnicalReviewMissing() is null)
            return;
        var review = deal.LatestTechnicalReview is { IsPending: true } pending ? pending : deal.RequestTechnicalReview("The solution and the dates we intend to promise.", deal.OwnerId, Now);
        deal.DecideTechnicalReview(review.Id, approved: true, null, reviewerId, Now);
    }

    private static void MoveTo(Deal deal, DealStage stage)
    {
        if (stage == DealStage.Verbal)
            return;
        if (stage == DealStage.Lost)
        {
            deal.MarkLost(LostReason.NoBudget, null, deal.OwnerId, Now);
            return;
        }
        ApproveTechnicalReview(deal, deal.OwnerId);
        foreach (var item in deal.OpenRequiredItems.ToList())
            deal.AnswerChecklistItem(item.Id, $"Agreed: {item.Title}", deal.OwnerId, Now);
        deal.MarkOrdered("PO-4711", deal.OwnerId, Now);
        if (stage == DealStage.Ordered)
            return;
        AddPromise(deal, promisedInDays: 30).Complete(Today, Today);
        deal.MarkDelivered(deal.OwnerId, Now, Today);
        if (stage == DealStage.Delivered)
            return;
        deal.MarkPaid(Today, "BANK-2026-03-02", deal.OwnerId, Now, Today);
    }
}

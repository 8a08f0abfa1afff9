using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.TechnicalReviews;

/// <summary>A review waiting for service staff, and whether the user may answer it.</summary>
public sealed record PendingReview(Guid ReviewId, Guid DealId, string DealTitle, string AccountName, string RepName, string Request, DateTimeOffset RequestedAt, bool CanDecide);

/// <summary>Technical reviews: reps ask while the deal is verbal; service staff approve or raise concerns.</summary>
public sealed class TechnicalReviewService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task RequestAsync(Actor actor, Guid dealId, string request, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        deal.RequestTechnicalReview(request, actor.UserId, now);
        await db.SaveOrExplainConflictAsync("deal", cancellationToken);
    }

    public async Task DecideAsync(Actor actor, Guid dealId, Guid reviewId, bool approved, string? comment, CancellationToken cancellationToken = default)
    {
        if (!MayDecide(actor))
            throw new AccessDeniedException("Technical reviews are answered by service staff.");
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.Deals.VisibleTo(db, actor).Include(d => d.TechnicalReviews).Include(d => d.Checklist)
            .SingleOrDefaultAsync(d => d.Id == dealId, cancellationToken) ?? throw new RecordNotFoundException("deal");
        deal.DecideTechnicalReview(reviewId, approved, comment, actor.UserId, now);
        await db.SaveOrExplainConflictAsync("technical review", cancellationToken);
    }

    /// <summary>The reviews waiting, oldest first, <paramref name="take"/> of them (the panel asks for more), and how many wait.</summary>
    public async Task<Page<PendingReview>> PendingAsync(Actor actor, int take, CancellationToken cancellationToken = default)
    {
        if (!actor.IsService && !actor.IsAdmin)
            return new Page<PendingReview>([], 0);
        var mayDecide = MayDecide(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var waiting = db.Set<TechnicalReview>().AsNoTracking().Where(r => r.Outcome == TechnicalReviewOutcome.Pending);
        var total = await waiting.CountAsync(cancellationToken);
        var items = await (from r in waiting
                           join d in db.Deals on r.DealId equals d.Id
                           join a in db.Accounts on d.AccountId equals a.Id
                           join u in db.Users on d.OwnerId equals u.Id
                           orderby r.RequestedAt, r.Id
                           select new PendingReview(r.Id, d.Id, d.Title, a.Name, u.DisplayName, r.Request, r.RequestedAt, mayDecide))
            .Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
        return new Page<PendingReview>(items, total);
    }

    /// <summary>Service staff answer technical reviews (DESIGN.md, Access); admins read them.</summary>
    public static bool MayDecide(Actor actor) => actor.IsService;
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.CustomerLinks;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.CustomerLinks;

/// <summary>
/// The staff side of customers' links: those who may change a deal (its rep, their manager) create and revoke its links;
/// whoever may see the deal sees the list. A deal the user cannot see is "not found", one they can see but not change is refused.
/// </summary>
public sealed class CustomerLinkService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, CreateCustomerLinkValidator validator)
{
    /// <summary>The deal's links, newest first, with the last time the customer opened each and how often (from the audit trail).</summary>
    public async Task<CustomerLinksView> ListAsync(Actor actor, Guid dealId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Deals.VisibleTo(db, actor).AnyAsync(d => d.Id == dealId, cancellationToken))
            throw new RecordNotFoundException("deal");
        var canManage = await db.Deals.EditableBy(db, actor).AnyAsync(d => d.Id == dealId, cancellationToken);
        var now = clock.GetUtcNow();
        var links = await db.CustomerLinks.AsNoTracking().Where(l => l.DealId == dealId).OrderByDescending(l => l.CreatedAt).Take(100)
            .ToListAsync(cancellationToken);
        var ids = links.Select(l => l.Id).ToList();
        // Views are audit rows of the link (entity id = link id): one probe of the (entity_id, changed_at) index per link.
        var views = await db.AuditEntries.AsNoTracking()
            .Where(a => ids.Contains(a.EntityId) && a.EntityType == nameof(CustomerLink) && a.Action == CustomerPageService.ViewedAction)
            .GroupBy(a => a.EntityId)
            .Select(g => new { Id = g.Key, Count = g.Count(), Last = g.Max(a => a.ChangedAt) })
            .ToDictionaryAsync(v => v.Id, cancellationToken);
        var userIds = links.Select(l => l.CreatedBy).Concat(links.Select(l => l.RevokedBy).OfType<string>()).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var rows = links.Select(l => new CustomerLinkRow(
            l.Id, names.GetValueOrDefault(l.CreatedBy, "—"), l.CreatedAt, l.ExpiresAt, l.StateAt(now), l.RevokedAt,
            l.RevokedBy is null ? null : names.GetValueOrDefault(l.RevokedBy, "—"),
            views.TryGetValue(l.Id, out var v) ? v.Last : null, views.TryGetValue(l.Id, out var c) ? c.Count : 0)).ToList();
        return new CustomerLinksView(rows, canManage);
    }

    /// <summary>Creates a link for the deal; the token is returned once and only its hash is stored.</summary>
    public async Task<CustomerLinkCreated> CreateAsync(Actor actor, Guid dealId, CreateCustomerLinkInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await validator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        await EnsureMayChangeAsync(db, actor, dealId, cancellationToken);
        var (token, hash) = ShareToken.New();
        var link = CustomerLink.Create(dealId, hash, input.ExpiryDays, actor.UserId, now);
        db.CustomerLinks.Add(link);
        await db.SaveChangesAsync(cancellationToken);
        return new CustomerLinkCreated(link.Id, token, link.ExpiresAt);
    }

    /// <summary>Revokes one of the deal's links at once; the customer's page then answers that it is no longer valid.</summary>
    public async Task RevokeAsync(Actor actor, Guid dealId, Guid customerLinkId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        await EnsureMayChangeAsync(db, actor, dealId, cancellationToken);
        var link = await db.CustomerLinks.SingleOrDefaultAsync(l => l.Id == customerLinkId && l.DealId == dealId, cancellationToken)
            ?? throw new RecordNotFoundException("link");
        link.Revoke(actor.UserId, now);
        await db.SaveChangesAsync(cancellationToken);
    }

    private static async Task EnsureMayChangeAsync(AppDbContext db, Actor actor, Guid dealId, CancellationToken cancellationToken)
    {
        if (!await db.Deals.VisibleTo(db, actor).AnyAsync(d => d.Id == dealId, cancellationToken))
            throw new RecordNotFoundException("deal");
        if (!await db.Deals.EditableBy(db, actor).AnyAsync(d => d.Id == dealId, cancellationToken))
            throw new AccessDeniedException("Only the deal's rep and their manager can create or revoke the customer's links.");
    }
}

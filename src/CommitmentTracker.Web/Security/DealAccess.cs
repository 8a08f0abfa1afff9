using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Security;

/// <summary>
/// The access rules of DESIGN.md for deals, as query filters every service applies: a rep sees their own deals,
/// a manager their team's, service staff and admins read all. A deal outside the filter looks like it does not exist.
/// </summary>
public static class DealAccess
{
    public static IQueryable<Deal> VisibleTo(this IQueryable<Deal> deals, AppDbContext db, Actor actor) => actor.Role switch
    {
        AppRoles.Admin or AppRoles.Service => deals,
        _ => deals.EditableBy(db, actor),
    };

    /// <summary>Deals the actor may change: reps their own, managers their team's; admins and service staff none.</summary>
    public static IQueryable<Deal> EditableBy(this IQueryable<Deal> deals, AppDbContext db, Actor actor) => actor.Role switch
    {
        AppRoles.Rep => deals.Where(d => d.OwnerId == actor.UserId),
        AppRoles.Manager when actor.TeamId is { } teamId =>
            deals.Where(d => db.Users.Any(u => u.Id == d.OwnerId && u.TeamId == teamId)),
        _ => deals.Where(_ => false),
    };

    /// <summary>
    /// The owners whose deals the actor may change (the same rule as <see cref="EditableBy"/>): a rep themself, a manager
    /// their team's members, nobody else. A short list, so team-wide queries start from it through owner indexes.
    /// </summary>
    public static async Task<IReadOnlyList<string>> OwnersEditableByAsync(this AppDbContext db, Actor actor, CancellationToken cancellationToken = default) =>
        actor.Role switch
        {
            AppRoles.Rep => [actor.UserId],
            AppRoles.Manager when actor.TeamId is { } teamId => await db.MembersOfTeamAsync(teamId, cancellationToken),
            _ => [],
        };

    /// <summary>
    /// The owners whose deals the actor may see (the same rule as <see cref="VisibleTo"/>); null for every owner (admins and
    /// service staff read all deals). Promises are read through <c>Commitment.DealOwnerId</c> with it.
    /// </summary>
    public static async Task<IReadOnlyList<string>?> OwnersVisibleToAsync(this AppDbContext db, Actor actor, CancellationToken cancellationToken = default) =>
        actor.IsAdmin || actor.IsService ? null : await db.OwnersEditableByAsync(actor, cancellationToken);

    /// <summary>The users of a team: whose deals are the team's.</summary>
    public static async Task<IReadOnlyList<string>> MembersOfTeamAsync(this AppDbContext db, Guid teamId, CancellationToken cancellationToken = default) =>
        await db.Users.Where(u => u.TeamId == teamId).Select(u => u.Id).ToListAsync(cancellationToken);

    /// <summary>
    /// Loads a whole deal aggregate, tracked, for a change by the actor. A deal the actor cannot see is reported
    /// as not found; one they can see but not change is refused.
    /// </summary>
    public static async Task<Deal> FindEditableDealAsync(this AppDbContext db, Actor actor, Guid dealId, CancellationToken cancellationToken = default)
    {
        var deal = await db.Deals.AsSplitQuery().VisibleTo(db, actor)
            // In plan order: the domain renumbers milestones by their place in the list, and PostgreSQL returns rows in no set order.
            .Include(d => d.Commitments).ThenInclude(c => c.Milestones.OrderBy(m => m.Position)).ThenInclude(m => m.Updates)
            .Include(d => d.Commitments).ThenInclude(c => c.DateHistory)
            .Include(d => d.Checklist)
            .Include(d => d.Touchpoints)
            .Include(d => d.StageHistory)
            .Include(d => d.SharedRisks)
            .Include(d => d.TechnicalReviews)
            .SingleOrDefaultAsync(d => d.Id == dealId, cancellationToken)
            ?? throw new RecordNotFoundException("deal");
        if (!await db.Deals.EditableBy(db, actor).AnyAsync(d => d.Id == dealId, cancellationToken))
            throw new AccessDeniedException(actor.IsService
                ? "Service staff read deals; changes to a deal are made by its rep or their manager."
                : "Only the deal's rep and their manager can change it.");
        return deal;
    }
}

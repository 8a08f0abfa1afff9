using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Persistence;

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
}

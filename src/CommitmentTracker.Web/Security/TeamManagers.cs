using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Security;

/// <summary>
/// The one meaning of "the team's manager": every active user with the Manager role who belongs to the team. All of them
/// see and change the team's deals, are alerted of its at-risk promises, get its digest, work and approve its recovery
/// plans, and receive its escalations. The manager the admin appointed (<c>Team.ManagerId</c>) comes first: they own the
/// manager's steps of a new recovery plan.
/// </summary>
public static class TeamManagers
{
    /// <summary>Active users with the Manager role who belong to a team.</summary>
    public static IQueryable<AppUser> ActiveManagers(this AppDbContext db) =>
        db.Users.Where(u => u.IsActive && u.TeamId != null
            && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == AppRoles.Manager)));

    /// <summary>The managers of the team <paramref name="userId"/> belongs to, the appointed one first; empty when none.</summary>
    public static Task<List<string>> ManagersOfUsersTeamAsync(this AppDbContext db, string userId, CancellationToken cancellationToken = default)
    {
        var teamId = db.Users.Where(u => u.Id == userId).Select(u => u.TeamId);
        return (
            from m in db.ActiveManagers()
            where teamId.Contains(m.TeamId)
            orderby db.Teams.Any(t => t.Id == m.TeamId && t.ManagerId == m.Id) descending, m.DisplayName, m.Id
            select m.Id).ToListAsync(cancellationToken);
    }
}

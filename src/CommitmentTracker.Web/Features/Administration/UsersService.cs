using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Administration;

/// <summary>One user in the administration list.</summary>
public sealed record UserRow(string Id, string DisplayName, string Email, string? Role, string? TeamName, Domain.Department? Department, bool IsActive, bool IsLockedOut);

/// <summary>One team with its manager and size.</summary>
public sealed record TeamRow(Guid Id, string Name, string? ManagerName, int Members);

/// <summary>Users and teams, for admins.</summary>
public sealed class UsersService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<UserRow>> ListUsersAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return await (from u in db.Users.AsNoTracking()
                      join t in db.Teams on u.TeamId equals t.Id into teams
                      from t in teams.DefaultIfEmpty()
                      orderby u.DisplayName
                      select new UserRow(
                          u.Id, u.DisplayName, u.Email ?? "",
                          db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefault(),
                          t == null ? null : t.Name, u.Department, u.IsActive, u.LockoutEnd != null && u.LockoutEnd > now))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TeamRow>> ListTeamsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        EnsureAdmin(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Teams.AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new TeamRow(t.Id, t.Name,
                db.Users.Where(u => u.Id == t.ManagerId).Select(u => u.DisplayName).FirstOrDefault(),
                db.Users.Count(u => u.TeamId == t.Id)))
            .ToListAsync(cancellationToken);
    }

    private static void EnsureAdmin(Actor actor)
    {
        if (!actor.IsAdmin)
            throw new UnauthorizedAccessException("Only administrators manage users and teams.");
    }
}

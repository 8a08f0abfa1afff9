using System.Security.Claims;
using CommitmentTracker.Web.Persistence;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Security;

/// <summary>Resolves the signed-in user of the current circuit or request into an <see cref="Actor"/>.</summary>
public sealed class ActorAccessor(AuthenticationStateProvider authentication, IDbContextFactory<AppDbContext> dbFactory)
{
    private Actor? _actor;

    public async Task<Actor> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_actor is not null)
            return _actor;
        var state = await authentication.GetAuthenticationStateAsync();
        var userId = state.User.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new UnauthorizedAccessException("Sign in first.");
        _actor = await LoadAsync(dbFactory, userId, cancellationToken)
            ?? throw new UnauthorizedAccessException("Your account is no longer active.");
        return _actor;
    }

    /// <summary>Reads the user's role, team and department from the database, so a change applies at once.</summary>
    public static async Task<Actor?> LoadAsync(IDbContextFactory<AppDbContext> dbFactory, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.IsActive)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.TeamId,
                u.Department,
                Role = db.UserRoles.Where(ur => ur.UserId == u.Id)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name)
                    .FirstOrDefault(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return user?.Role is null ? null : new Actor(user.Id, user.DisplayName, user.Role, user.TeamId, user.Department);
    }
}

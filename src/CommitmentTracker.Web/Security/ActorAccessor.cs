using System.Security.Claims;
using CommitmentTracker.Web.Persistence;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Security;

/// <summary>
/// Resolves the signed-in user of the current circuit or request into an <see cref="Actor"/>, afresh from the database at
/// every call (one query by primary key): an administrator's change of role, team or department, or a deactivation, applies
/// at the user's next click. Nothing is cached: a circuit lives for hours, and a cached actor would outlive the access it
/// describes. When the record no longer matches the sign-in, <see cref="AccessChanged"/> tells the open pages once.
/// </summary>
public sealed class ActorAccessor(AuthenticationStateProvider authentication, IDbContextFactory<AppDbContext> dbFactory)
{
    private readonly Lock _gate = new();

    /// <summary>Raised (once per kind) when the user's access no longer matches their sign-in; may come from any thread.</summary>
    public event Action<AccessChange>? AccessChanged;

    /// <summary>The change noticed in this circuit, if any: <see cref="AccessChange.Deactivated"/> outranks a change.</summary>
    public AccessChange? Change { get; private set; }

    /// <summary>The current actor; throws <see cref="AccessChangedException"/> when the account is no longer active.</summary>
    public async Task<Actor> GetAsync(CancellationToken cancellationToken = default)
    {
        var principal = (await authentication.GetAuthenticationStateAsync()).User;
        var userId = principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new AccessChangedException(AccessChange.Deactivated);
        var actor = await LoadAsync(dbFactory, userId, cancellationToken);
        if (actor is null)
        {
            Report(AccessChange.Deactivated);
            throw new AccessChangedException(AccessChange.Deactivated);
        }

        if (!AccessClaims.Match(principal, actor))
            Report(AccessChange.Changed);
        return actor;
    }

    /// <summary>Tells the open pages that the user's access changed; each kind is told once.</summary>
    public void Report(AccessChange change)
    {
        lock (_gate)
        {
            if (Change == change || Change == AccessChange.Deactivated)
                return;
            Change = change;
        }

        AccessChanged?.Invoke(change);
    }

    /// <summary>Reads the user's role, team and department from the database, so a change applies at once.</summary>
    public static async Task<Actor?> LoadAsync(IDbContextFactory<AppDbContext> dbFactory, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dbFactory);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await LoadAsync(db, userId, cancellationToken);
    }

    /// <summary>The active user with their role, or null when they are unknown, deactivated or without a role.</summary>
    public static async Task<Actor?> LoadAsync(AppDbContext db, string userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
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

    /// <summary>
    /// Refuses to act for an actor whose record changed since it was read (deactivated, or another role, team or
    /// department): a page may hold an actor from before an administrator's change; the save must not use it.
    /// </summary>
    public static async Task EnsureCurrentAsync(AppDbContext db, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var current = await LoadAsync(db, actor.UserId, cancellationToken)
            ?? throw new AccessChangedException(AccessChange.Deactivated);
        if (!current.HasSameAccessAs(actor))
            throw new AccessChangedException(AccessChange.Changed);
    }
}

using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Administration;

/// <summary>One user in the administration list.</summary>
public sealed record UserRow(
    string Id, string DisplayName, string Email, string? Role, Guid? TeamId, string? TeamName, Domain.Department? Department,
    bool IsActive, bool IsLockedOut, string? ConcurrencyStamp, string? TimeZone = null);

/// <summary>One team with its manager and size.</summary>
public sealed record TeamRow(Guid Id, string Name, string? ManagerId, string? ManagerName, int Members, uint Version);

/// <summary>
/// Users and teams, for admins: create users, set their role, team and department, reset passwords, deactivate
/// and reactivate; create and rename teams and appoint their managers.
/// </summary>
public sealed class UsersService(
    IDbContextFactory<AppDbContext> dbFactory,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    NewUserValidator newUserValidator,
    UserAssignmentValidator assignmentValidator,
    PasswordResetValidator passwordValidator,
    TeamValidator teamValidator)
{
    private const string What = "users and teams";

    public async Task<IReadOnlyList<UserRow>> ListUsersAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return await (from u in db.Users.AsNoTracking()
                      join t in db.Teams on u.TeamId equals t.Id into teams
                      from t in teams.DefaultIfEmpty()
                      orderby u.DisplayName
                      select new UserRow(
                          u.Id, u.DisplayName, u.Email ?? "",
                          db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).FirstOrDefault(),
                          u.TeamId, t == null ? null : t.Name, u.Department, u.IsActive, u.LockoutEnd != null && u.LockoutEnd > now,
                          u.ConcurrencyStamp, u.TimeZone))
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TeamRow>> ListTeamsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Teams.AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new TeamRow(t.Id, t.Name, t.ManagerId,
                db.Users.Where(u => u.Id == t.ManagerId).Select(u => u.DisplayName).FirstOrDefault(),
                db.Users.Count(u => u.TeamId == t.Id),
                EF.Property<uint>(t, AppDbContext.Version)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Creates a user who can sign in at once with the password the admin chose; returns the user's id.</summary>
    public async Task<string> CreateUserAsync(Actor actor, NewUserInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await newUserValidator.EnsureValidAsync(input, cancellationToken);
        return await InTransactionAsync(actor, async (users, db) =>
        {
            await EnsureTeamExistsAsync(db, input.TeamId, nameof(NewUserInput.TeamId), cancellationToken);
            var email = input.Email.Trim();
            if (await users.FindByEmailAsync(email) is not null)
                throw Invalid(nameof(NewUserInput.Email), "A user with this email address already exists.");
            var user = new AppUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = input.DisplayName.Trim(),
                TeamId = input.TeamId,
                Department = input.Department,
            };
            Ensure(await users.CreateAsync(user, input.Password), nameof(NewUserInput.Password));
            Ensure(await users.AddToRoleAsync(user, input.Role), nameof(NewUserInput.Password));
            return user.Id;
        }, cancellationToken);
    }

    /// <summary>
    /// Changes a user's role, team and department. <paramref name="concurrencyStamp"/> is the one the admin saw.
    /// The change applies at the user's next action (every action reads the actor afresh); their open pages say their
    /// access changed and reload with a sign-in reissued for the new role (see <c>ActorAccessor</c>, decision 14).
    /// </summary>
    public async Task AssignAsync(Actor actor, string userId, string? concurrencyStamp, UserAssignmentInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await assignmentValidator.EnsureValidAsync(input, cancellationToken);
        await InTransactionAsync(actor, async (users, db) =>
        {
            var user = await FindUserAsync(users, userId, concurrencyStamp);
            var roles = await users.GetRolesAsync(user);
            var roleChanges = !(roles.Count == 1 && roles[0] == input.Role);
            if (roleChanges && user.Id == actor.UserId)
                throw new AccessDeniedException("You cannot change your own role: ask another administrator.");
            await EnsureTeamExistsAsync(db, input.TeamId, nameof(UserAssignmentInput.TeamId), cancellationToken);

            user.TeamId = input.TeamId;
            user.Department = input.Department;
            user.TimeZone = Components.Shared.TimeZoneIds.Normalize(input.TimeZone);
            // A manager who leaves the role or the team no longer leads it.
            var led = await db.Teams.Where(t => t.ManagerId == user.Id).ToListAsync(cancellationToken);
            foreach (var team in led.Where(t => input.Role != AppRoles.Manager || t.Id != input.TeamId))
                team.AppointManager(null);
            Ensure(await users.UpdateAsync(user));
            if (roleChanges)
            {
                Ensure(await users.RemoveFromRolesAsync(user, roles));
                Ensure(await users.AddToRoleAsync(user, input.Role));
                // No new security stamp: that would end the sign-in instead of letting the open pages move to the new role.
            }
            return true;
        }, cancellationToken);
    }

    /// <summary>Sets a new password chosen by the admin, lifts a lockout, and signs the user out everywhere.</summary>
    public async Task ResetPasswordAsync(Actor actor, string userId, PasswordResetInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await passwordValidator.EnsureValidAsync(input, cancellationToken);
        await InTransactionAsync(actor, async (users, _) =>
        {
            var user = await FindUserAsync(users, userId, concurrencyStamp: null);
            Ensure(await users.RemovePasswordAsync(user));
            Ensure(await users.AddPasswordAsync(user, input.NewPassword), nameof(PasswordResetInput.NewPassword));
            Ensure(await users.SetLockoutEndDateAsync(user, null));
            Ensure(await users.ResetAccessFailedCountAsync(user));
            Ensure(await users.UpdateSecurityStampAsync(user));
            return true;
        }, cancellationToken);
    }

    /// <summary>A deactivated user cannot sign in and loses their session at the next check; their records stay.</summary>
    public Task DeactivateAsync(Actor actor, string userId, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        if (userId == actor.UserId)
            throw new AccessDeniedException("You cannot deactivate your own account: ask another administrator.");
        return SetActiveAsync(actor, userId, active: false, cancellationToken);
    }

    /// <summary>Lets a deactivated user sign in again, with the password they had.</summary>
    public Task ReactivateAsync(Actor actor, string userId, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        return SetActiveAsync(actor, userId, active: true, cancellationToken);
    }

    /// <summary>Creates a team, with its manager if one is chosen; returns the team's id.</summary>
    public async Task<Guid> CreateTeamAsync(Actor actor, TeamInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await teamValidator.EnsureValidAsync(input, cancellationToken);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        await EnsureTeamNameFreeAsync(db, input.Name, null, cancellationToken);
        var team = Team.Create(input.Name, null);
        db.Teams.Add(team);
        await AppointAsync(db, team, input.ManagerId, cancellationToken);
        await db.SaveOrExplainConflictAsync("team", cancellationToken);
        return team.Id;
    }

    /// <summary>Renames a team and appoints its manager; <paramref name="version"/> is the one the admin saw.</summary>
    public async Task UpdateTeamAsync(Actor actor, Guid teamId, uint version, TeamInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await teamValidator.EnsureValidAsync(input, cancellationToken);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var team = await db.Teams.SingleOrDefaultAsync(t => t.Id == teamId, cancellationToken) ?? throw new RecordNotFoundException("team");
        db.ExpectVersion(team, version);
        await EnsureTeamNameFreeAsync(db, input.Name, teamId, cancellationToken);
        team.Rename(input.Name);
        await AppointAsync(db, team, input.ManagerId, cancellationToken);
        await db.SaveOrExplainConflictAsync("team", cancellationToken);
    }

    private async Task SetActiveAsync(Actor actor, string userId, bool active, CancellationToken cancellationToken) =>
        await InTransactionAsync(actor, async (users, _) =>
        {
            var user = await FindUserAsync(users, userId, concurrencyStamp: null);
            if (user.IsActive == active)
                return true;
            user.IsActive = active;
            // A new security stamp makes the revalidation drop the deactivated user's cookie and open circuits.
            Ensure(await users.UpdateSecurityStampAsync(user));
            return true;
        }, cancellationToken);

    /// <summary>
    /// Appoints the team's manager: an active user with the Manager role. A manager leads one team, so appointing
    /// them here ends their appointment elsewhere and moves them into this team (managers see their own team's deals).
    /// </summary>
    private static async Task AppointAsync(AppDbContext db, Team team, string? managerId, CancellationToken cancellationToken)
    {
        managerId = string.IsNullOrWhiteSpace(managerId) ? null : managerId;
        if (managerId == team.ManagerId)
            return;
        if (managerId is not null)
        {
            var manager = await db.Users
                .Where(u => u.Id == managerId && u.IsActive
                    && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == AppRoles.Manager)))
                .SingleOrDefaultAsync(cancellationToken)
                ?? throw Invalid(nameof(TeamInput.ManagerId), "Pick an active user with the Manager role.");
            foreach (var other in await db.Teams.Where(t => t.ManagerId == managerId && t.Id != team.Id).ToListAsync(cancellationToken))
                other.AppointManager(null);
            if (manager.TeamId != team.Id)
            {
                manager.TeamId = team.Id;
                manager.ConcurrencyStamp = Guid.NewGuid().ToString();
            }
        }
        team.AppointManager(managerId);
    }

    private static async Task EnsureTeamNameFreeAsync(AppDbContext db, string name, Guid? teamId, CancellationToken cancellationToken)
    {
        // Teams are few: compare in memory, ignoring case.
        var names = await db.Teams.Where(t => t.Id != teamId).Select(t => t.Name).ToListAsync(cancellationToken);
        if (names.Any(n => string.Equals(n, name.Trim(), StringComparison.OrdinalIgnoreCase)))
            throw Invalid(nameof(TeamInput.Name), "Another team already has this name.");
    }

    private static async Task EnsureTeamExistsAsync(AppDbContext db, Guid? teamId, string field, CancellationToken cancellationToken)
    {
        if (teamId is { } id && !await db.Teams.AnyAsync(t => t.Id == id, cancellationToken))
            throw Invalid(field, "That team does not exist any more: pick another.");
    }

    private static async Task<AppUser> FindUserAsync(UserManager<AppUser> users, string userId, string? concurrencyStamp)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new RecordNotFoundException("user");
        if (concurrencyStamp is not null && user.ConcurrencyStamp != concurrencyStamp)
            throw UserChanged();
        return user;
    }

    /// <summary>
    /// Runs Identity's calls (each of which saves) as one transaction, in a scope of its own so the user store's
    /// context lives only for this operation. The retrying execution strategy requires the transaction inside it.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Actor actor, Func<UserManager<AppUser>, AppDbContext, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var probe = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await probe.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // An admin demoted or deactivated since their page read them changes nobody.
            await ActorAccessor.EnsureCurrentAsync(db, actor, ct);
            var result = await work(users, db);
            await transaction.CommitAsync(ct);
            return result;
        }, cancellationToken);
    }

    /// <summary>Turns Identity's refusals into the messages the forms show; nothing of the operation is saved.</summary>
    private static void Ensure(IdentityResult result, string passwordField = "")
    {
        if (result.Succeeded)
            return;
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
            throw UserChanged();
        throw new ValidationException(result.Errors.Select(e => new ValidationFailure(
            e.Code.StartsWith("Password", StringComparison.Ordinal) ? passwordField
                : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? nameof(NewUserInput.Email)
                : "",
            e.Description)));
    }

    private static ValidationException Invalid(string field, string message) => new([new ValidationFailure(field, message)]);

    private static ConcurrencyConflictException UserChanged() => new(
        "This user was changed by someone else since you opened it, so your change was not saved. Reload to see the latest, then apply your change again.");
}

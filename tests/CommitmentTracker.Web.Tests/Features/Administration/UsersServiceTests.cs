using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Tests.Features.Administration;

/// <summary>Users and teams: only admins manage them; bad input and stale edits save nothing.</summary>
public sealed class UsersServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string GoodPassword = "Fresh-Password-2026!";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private UsersService Service => new(
        database, database.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
        new NewUserValidator(), new UserAssignmentValidator(), new PasswordResetValidator(), new TeamValidator());

    private static NewUserInput NewUser(string role = AppRoles.Rep, Guid? teamId = null, string? email = null, string password = GoodPassword) => new()
    {
        DisplayName = "Nora Lindqvist",
        Email = email ?? $"nora-{Guid.NewGuid():N}@test.local",
        Role = role,
        TeamId = teamId,
        Department = Department.Sales,
        Password = password,
    };

    [Fact]
    public async Task An_admin_creates_a_user_who_can_sign_in_with_the_chosen_password_in_their_role_and_team()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();
        var input = NewUser(teamId: team.Id);

        var id = await Service.CreateUserAsync(admin, input, Cancel);

        await using var scope = database.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(id);
        Assert.NotNull(user);
        Assert.Equal((input.Email, "Nora Lindqvist", (Guid?)team.Id, (Department?)Department.Sales, true, true),
            (user.Email, user.DisplayName, user.TeamId, user.Department, user.IsActive, user.EmailConfirmed));
        Assert.True(await users.CheckPasswordAsync(user, GoodPassword));
        Assert.Equal([AppRoles.Rep], await users.GetRolesAsync(user));
        var actor = await ActorAccessor.LoadAsync(database, id, Cancel);
        Assert.Equal((AppRoles.Rep, (Guid?)team.Id), (actor?.Role, actor?.TeamId));
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Service)]
    public async Task Only_admins_manage_users_and_teams(string role)
    {
        var team = await database.CreateTeamAsync();
        var caller = await database.CreateAsync(role, team, Department.Service);
        var colleague = await database.CreateAsync(AppRoles.Rep, team);
        var input = NewUser(teamId: team.Id);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ListUsersAsync(caller, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ListTeamsAsync(caller, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CreateUserAsync(caller, input, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.AssignAsync(caller, colleague.UserId, null,
            new UserAssignmentInput { Role = AppRoles.Admin }, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ResetPasswordAsync(caller, colleague.UserId,
            new PasswordResetInput { NewPassword = GoodPassword }, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.DeactivateAsync(caller, colleague.UserId, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ReactivateAsync(caller, colleague.UserId, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.CreateTeamAsync(caller, new TeamInput { Name = "Takeover" }, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.UpdateTeamAsync(caller, team.Id, 0, new TeamInput { Name = "Takeover" }, Cancel));

        var stored = await database.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == colleague.UserId, Cancel));
        Assert.True(stored.IsActive);
        Assert.Equal(AppRoles.Rep, (await ActorAccessor.LoadAsync(database, colleague.UserId, Cancel))?.Role);
        Assert.False(await database.QueryAsync(db => db.Users.AnyAsync(u => u.Email == input.Email, Cancel)));
        Assert.False(await database.QueryAsync(db => db.Teams.AnyAsync(t => t.Name == "Takeover", Cancel)));
    }

    [Theory]
    [InlineData("Short-1!", "at least 12 characters")]
    [InlineData("alllowercase-2026", "upper-case letter")]
    [InlineData("No-Digits-Here!", "digit")]
    public async Task A_weak_first_password_is_refused_and_no_user_is_created(string password, string message)
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();
        var input = NewUser(teamId: team.Id, password: password);

        var error = await Assert.ThrowsAsync<ValidationException>(() => Service.CreateUserAsync(admin, input, Cancel));

        Assert.Contains(error.Errors, e => e.PropertyName == nameof(NewUserInput.Password) && e.ErrorMessage.Contains(message, StringComparison.Ordinal));
        Assert.False(await database.QueryAsync(db => db.Users.AnyAsync(u => u.Email == input.Email, Cancel)));
    }

    [Fact]
    public async Task A_bad_email_a_missing_team_for_a_rep_and_a_service_user_without_department_are_refused()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();

        var badEmail = await Assert.ThrowsAsync<ValidationException>(() => Service.CreateUserAsync(admin, NewUser(teamId: team.Id, email: "nora.example.com"), Cancel));
        var noTeam = await Assert.ThrowsAsync<ValidationException>(() => Service.CreateUserAsync(admin, NewUser(teamId: null), Cancel));
        var service = NewUser(role: AppRoles.Service);
        service.Department = null;
        var noDepartment = await Assert.ThrowsAsync<ValidationException>(() => Service.CreateUserAsync(admin, service, Cancel));

        Assert.Equal("That email address is not valid.", Assert.Single(badEmail.Errors).ErrorMessage);
        Assert.Equal(nameof(NewUserInput.TeamId), Assert.Single(noTeam.Errors).PropertyName);
        Assert.Equal(nameof(NewUserInput.Department), Assert.Single(noDepartment.Errors).PropertyName);
        Assert.False(await database.QueryAsync(db => db.Users.AnyAsync(u => u.Email == "nora.example.com" || u.Email == service.Email, Cancel)));
    }

    [Fact]
    public async Task An_email_already_in_use_is_refused()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();
        var first = NewUser(teamId: team.Id);
        await Service.CreateUserAsync(admin, first, Cancel);
        var second = NewUser(teamId: team.Id, email: first.Email.ToUpperInvariant());
        second.DisplayName = "Someone Else";

        var error = await Assert.ThrowsAsync<ValidationException>(() => Service.CreateUserAsync(admin, second, Cancel));

        Assert.Equal(nameof(NewUserInput.Email), Assert.Single(error.Errors).PropertyName);
        Assert.False(await database.QueryAsync(db => db.Users.AnyAsync(u => u.DisplayName == "Someone Else", Cancel)));
    }

    [Fact]
    public async Task Changing_the_role_team_and_department_applies_at_once_and_keeps_the_sign_in()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var north = await database.CreateTeamAsync();
        var south = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, north);
        var before = await LoadUserAsync(rep.UserId);

        await Service.AssignAsync(admin, rep.UserId, before.ConcurrencyStamp,
            new UserAssignmentInput { Role = AppRoles.Manager, TeamId = south.Id, Department = Department.Sales }, Cancel);

        var after = await LoadUserAsync(rep.UserId);
        var actor = await ActorAccessor.LoadAsync(database, rep.UserId, Cancel);
        Assert.Equal((AppRoles.Manager, (Guid?)south.Id, (Department?)Department.Sales), (actor?.Role, actor?.TeamId, actor?.Department));
        // The sign-in stays (same security stamp): every action reads the new role, and the open pages move to it
        // through /Account/RefreshAccess, which reissues the cookie (AccessChangeTests, AccessChangeFlowTests).
        Assert.Equal(before.SecurityStamp, after.SecurityStamp);
        Assert.Single(await database.QueryAsync(db => db.UserRoles.Where(r => r.UserId == rep.UserId).ToListAsync(Cancel)));
    }

    [Fact]
    public async Task A_change_to_a_user_someone_else_changed_meanwhile_is_refused()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var seen = (await LoadUserAsync(rep.UserId)).ConcurrencyStamp;
        await Service.AssignAsync(admin, rep.UserId, seen, new UserAssignmentInput { Role = AppRoles.Rep, TeamId = team.Id, Department = Department.Finance }, Cancel);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Service.AssignAsync(admin, rep.UserId, seen,
            new UserAssignmentInput { Role = AppRoles.Service, TeamId = null, Department = Department.Service }, Cancel));

        var actor = await ActorAccessor.LoadAsync(database, rep.UserId, Cancel);
        Assert.Equal((AppRoles.Rep, (Department?)Department.Finance), (actor?.Role, actor?.Department));
    }

    [Fact]
    public async Task A_rep_cannot_be_moved_out_of_every_team_and_an_admin_cannot_change_their_own_role()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);

        await Assert.ThrowsAsync<ValidationException>(() => Service.AssignAsync(admin, rep.UserId, null,
            new UserAssignmentInput { Role = AppRoles.Rep, TeamId = null }, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.AssignAsync(admin, admin.UserId, null,
            new UserAssignmentInput { Role = AppRoles.Rep, TeamId = team.Id }, Cancel));

        Assert.Equal(team.Id, (await LoadUserAsync(rep.UserId)).TeamId);
        Assert.Equal(AppRoles.Admin, (await ActorAccessor.LoadAsync(database, admin.UserId, Cancel))?.Role);
    }

    [Fact]
    public async Task A_deactivated_user_cannot_sign_in_their_deals_stay_and_reactivation_lets_them_back()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);
        var stampBefore = (await LoadUserAsync(rep.UserId)).SecurityStamp;

        await Service.DeactivateAsync(admin, rep.UserId, Cancel);

        var deactivated = await LoadUserAsync(rep.UserId);
        Assert.False(deactivated.IsActive);
        Assert.NotEqual(stampBefore, deactivated.SecurityStamp);
        Assert.False(await CanSignInAsync(rep.UserId));
        Assert.Null(await ActorAccessor.LoadAsync(database, rep.UserId, Cancel));
        var kept = await database.QueryAsync(db => db.Deals.AsNoTracking().SingleAsync(d => d.Id == deal.Id, Cancel));
        Assert.Equal(rep.UserId, kept.OwnerId);

        await Service.ReactivateAsync(admin, rep.UserId, Cancel);

        Assert.True(await CanSignInAsync(rep.UserId));
        Assert.True((await LoadUserAsync(rep.UserId)).IsActive);
    }

    [Fact]
    public async Task An_admin_cannot_deactivate_their_own_account()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.DeactivateAsync(admin, admin.UserId, Cancel));

        Assert.True((await LoadUserAsync(admin.UserId)).IsActive);
    }

    [Fact]
    public async Task A_password_reset_replaces_the_password_lifts_a_lockout_and_ends_sessions()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        await using (var scope = database.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByIdAsync(rep.UserId);
            await users.SetLockoutEndDateAsync(user!, DateTimeOffset.UtcNow.AddMinutes(15));
        }
        var stampBefore = (await LoadUserAsync(rep.UserId)).SecurityStamp;

        await Service.ResetPasswordAsync(admin, rep.UserId, new PasswordResetInput { NewPassword = GoodPassword }, Cancel);

        await using var check = database.Services.CreateAsyncScope();
        var manager = check.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var after = await manager.FindByIdAsync(rep.UserId);
        Assert.True(await manager.CheckPasswordAsync(after!, GoodPassword));
        Assert.False(await manager.CheckPasswordAsync(after!, TestUsers.Password));
        Assert.False(await manager.IsLockedOutAsync(after!));
        Assert.NotEqual(stampBefore, after!.SecurityStamp);
    }

    [Fact]
    public async Task A_weak_new_password_is_refused_and_the_old_one_still_works()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            Service.ResetPasswordAsync(admin, rep.UserId, new PasswordResetInput { NewPassword = "Short-1!" }, Cancel));

        Assert.Equal(nameof(PasswordResetInput.NewPassword), Assert.Single(error.Errors).PropertyName);
        await using var scope = database.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True(await users.CheckPasswordAsync((await users.FindByIdAsync(rep.UserId))!, TestUsers.Password));
    }

    [Fact]
    public async Task A_team_is_created_with_its_manager_who_joins_it_and_leaves_the_team_they_led()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var old = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, old);
        await Service.UpdateTeamAsync(admin, old.Id, await TeamVersionAsync(old.Id), new TeamInput { Name = old.Name, ManagerId = manager.UserId }, Cancel);

        var id = await Service.CreateTeamAsync(admin, new TeamInput { Name = $"Nordics {Guid.NewGuid():N}"[..16], ManagerId = manager.UserId }, Cancel);

        var teams = await database.QueryAsync(db => db.Teams.AsNoTracking().Where(t => t.Id == id || t.Id == old.Id).ToDictionaryAsync(t => t.Id, Cancel));
        Assert.Equal(manager.UserId, teams[id].ManagerId);
        Assert.Null(teams[old.Id].ManagerId);
        Assert.Equal(id, (await LoadUserAsync(manager.UserId)).TeamId);
        var row = Assert.Single(await Service.ListTeamsAsync(admin, Cancel), t => t.Id == id);
        Assert.Equal((manager.DisplayName, 1), (row.ManagerName, row.Members));
    }

    [Fact]
    public async Task Renaming_a_team_checks_the_name_the_manager_and_the_version()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();
        var other = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var version = await TeamVersionAsync(team.Id);

        var taken = await Assert.ThrowsAsync<ValidationException>(() =>
            Service.UpdateTeamAsync(admin, team.Id, version, new TeamInput { Name = other.Name.ToUpperInvariant() }, Cancel));
        var notAManager = await Assert.ThrowsAsync<ValidationException>(() =>
            Service.UpdateTeamAsync(admin, team.Id, version, new TeamInput { Name = "Renamed", ManagerId = rep.UserId }, Cancel));
        var empty = await Assert.ThrowsAsync<ValidationException>(() =>
            Service.UpdateTeamAsync(admin, team.Id, version, new TeamInput { Name = " " }, Cancel));
        Assert.Equal(nameof(TeamInput.Name), Assert.Single(taken.Errors).PropertyName);
        Assert.Equal(nameof(TeamInput.ManagerId), Assert.Single(notAManager.Errors).PropertyName);
        Assert.Equal(nameof(TeamInput.Name), Assert.Single(empty.Errors).PropertyName);

        await Service.UpdateTeamAsync(admin, team.Id, version, new TeamInput { Name = $"Renamed {Guid.NewGuid():N}"[..16] }, Cancel);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Service.UpdateTeamAsync(admin, team.Id, version, new TeamInput { Name = "Stale rename" }, Cancel));

        var stored = await database.QueryAsync(db => db.Teams.AsNoTracking().SingleAsync(t => t.Id == team.Id, Cancel));
        Assert.StartsWith("Renamed ", stored.Name, StringComparison.Ordinal);
        Assert.Null(stored.ManagerId);
    }

    [Fact]
    public async Task A_manager_who_becomes_a_rep_no_longer_leads_their_team()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, team);
        await Service.UpdateTeamAsync(admin, team.Id, await TeamVersionAsync(team.Id), new TeamInput { Name = team.Name, ManagerId = manager.UserId }, Cancel);

        await Service.AssignAsync(admin, manager.UserId, null, new UserAssignmentInput { Role = AppRoles.Rep, TeamId = team.Id, Department = Department.Sales }, Cancel);

        Assert.Null((await database.QueryAsync(db => db.Teams.AsNoTracking().SingleAsync(t => t.Id == team.Id, Cancel))).ManagerId);
    }

    private Task<AppUser> LoadUserAsync(string id) =>
        database.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == id, Cancel));

    private Task<uint> TeamVersionAsync(Guid id) =>
        database.QueryAsync(db => db.Teams.Where(t => t.Id == id).Select(t => EF.Property<uint>(t, AppDbContext.Version)).SingleAsync(Cancel));

    /// <summary>Asks the app's own sign-in manager whether the user may sign in.</summary>
    private async Task<bool> CanSignInAsync(string userId)
    {
        await using var scope = database.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var options = Options.Create(new IdentityOptions());
        var signIn = new AppSignInManager(
            users, new HttpContextAccessor(),
            new AppClaimsPrincipalFactory(users, scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>(), options),
            options, NullLogger<SignInManager<AppUser>>.Instance,
            new AuthenticationSchemeProvider(Options.Create(new AuthenticationOptions())),
            new DefaultUserConfirmation<AppUser>());
        return await signIn.CanSignInAsync((await users.FindByIdAsync(userId))!);
    }
}

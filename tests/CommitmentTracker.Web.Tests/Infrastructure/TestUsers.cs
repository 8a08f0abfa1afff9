using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CommitmentTracker.Web.Tests.Infrastructure;

/// <summary>Creates users with a role and a team in a test database and returns them as actors.</summary>
public static class TestUsers
{
    public const string Password = "Test-Password-2026!";

    public static async Task<Actor> CreateAsync(this TestDatabase database, string role, Team? team = null, Department? department = null, string? name = null, string? email = null)
    {
        await using var scope = database.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        var user = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = name ?? $"{role} {email[..8]}",
            TeamId = team?.Id,
            Department = department,
        };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(" ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
        return new Actor(user.Id, user.DisplayName, role, team?.Id, department);
    }

    public static async Task<Team> CreateTeamAsync(this TestDatabase database, string? name = null)
    {
        var team = Team.Create(name ?? $"Team {Guid.NewGuid():N}"[..13], null);
        await database.InsertAsync(team);
        return team;
    }
}

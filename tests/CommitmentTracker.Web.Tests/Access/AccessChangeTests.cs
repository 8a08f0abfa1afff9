using System.Security.Claims;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Features.Communications;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Access;

/// <summary>
/// An administrator's change reaches a user's already-open session at their next action: a page opened before the change
/// (its sign-in, and any actor it still holds) is refused or works in the new scope, and is told that access changed.
/// </summary>
public sealed class AccessChangeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Later = Now.AddHours(3);

    private readonly CommunicationsService _communications = new(
        database, new FakeTimeProvider(Later), new LogCommunicationValidator(new FakeTimeProvider(Later)),
        new CorrectCommunicationValidator(), new CompleteTouchpointValidator());

    private UsersService Users => new(
        database, database.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
        new NewUserValidator(), new UserAssignmentValidator(), new PasswordResetValidator(), new TeamValidator());

    [Fact]
    public async Task A_deactivated_users_open_session_is_refused_at_the_next_action_and_told_so()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var deal = await database.CreateDealAsync(rep);
        var session = OpenSession(rep);
        var opened = await session.Accessor.GetAsync(Cancel);
        Assert.Empty(session.Changes);

        await Users.DeactivateAsync(admin, rep.UserId, Cancel);

        var refused = await Assert.ThrowsAsync<AccessChangedException>(() => session.Accessor.GetAsync(Cancel));
        Assert.Equal(AccessChange.Deactivated, refused.Change);
        Assert.Equal([AccessChange.Deactivated], session.Changes);
        // A page (or dialog) still holding the actor it read before the change is refused by the save itself.
        var stale = await Assert.ThrowsAsync<AccessChangedException>(() => _communications.LogAsync(opened, deal.Id, Call(), Cancel));
        Assert.Equal(AccessChange.Deactivated, stale.Change);
        Assert.Contains("no longer active", stale.Message, StringComparison.Ordinal);
        Assert.Equal(0, await EntriesAsync(deal.Id));
    }

    [Fact]
    public async Task A_role_change_applies_to_the_next_action_of_an_open_session()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, team, Department.Sales);
        var rep = await database.CreateAsync(AppRoles.Rep, team, Department.Sales);
        var repsDeal = await database.CreateDealAsync(rep);
        var session = OpenSession(manager);
        var opened = await session.Accessor.GetAsync(Cancel);
        await _communications.LogAsync(opened, repsDeal.Id, Call(), Cancel); // as manager: the team's deal is theirs to work

        await Users.AssignAsync(admin, manager.UserId, null,
            new UserAssignmentInput { Role = AppRoles.Rep, TeamId = team.Id, Department = Department.Sales }, Cancel);

        var now = await session.Accessor.GetAsync(Cancel);
        Assert.Equal(AppRoles.Rep, now.Role);
        Assert.Equal([AccessChange.Changed], session.Changes);
        // The next action runs in the new scope: a rep works only their own deals.
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _communications.LogAsync(now, repsDeal.Id, Call(), Cancel));
        // The actor the page read as a manager is refused outright.
        Assert.Equal(AccessChange.Changed,
            (await Assert.ThrowsAsync<AccessChangedException>(() => _communications.LogAsync(opened, repsDeal.Id, Call(), Cancel))).Change);
        Assert.Equal(1, await EntriesAsync(repsDeal.Id));
    }

    [Fact]
    public async Task A_team_change_applies_to_the_next_action_of_an_open_session()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var north = await database.CreateTeamAsync();
        var south = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, north, Department.Sales);
        var northDeal = await database.CreateDealAsync(await database.CreateAsync(AppRoles.Rep, north));
        var southDeal = await database.CreateDealAsync(await database.CreateAsync(AppRoles.Rep, south));
        var session = OpenSession(manager);
        var opened = await session.Accessor.GetAsync(Cancel);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _communications.LogAsync(opened, southDeal.Id, Call(), Cancel));

        await Users.AssignAsync(admin, manager.UserId, null,
            new UserAssignmentInput { Role = AppRoles.Manager, TeamId = south.Id, Department = Department.Sales }, Cancel);

        var now = await session.Accessor.GetAsync(Cancel);
        Assert.Equal(south.Id, now.TeamId);
        Assert.Equal([AccessChange.Changed], session.Changes);
        await _communications.LogAsync(now, southDeal.Id, Call(), Cancel);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _communications.LogAsync(now, northDeal.Id, Call(), Cancel));
        await Assert.ThrowsAsync<AccessChangedException>(() => _communications.LogAsync(opened, northDeal.Id, Call(), Cancel));
        Assert.Equal((0, 1), (await EntriesAsync(northDeal.Id), await EntriesAsync(southDeal.Id)));
    }

    [Fact]
    public async Task An_admin_demoted_while_their_page_is_open_changes_nobody()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var other = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());

        await Users.AssignAsync(other, admin.UserId, null, new UserAssignmentInput { Role = AppRoles.Service, Department = Department.Service }, Cancel);

        await Assert.ThrowsAsync<AccessChangedException>(() => Users.DeactivateAsync(admin, rep.UserId, Cancel));
        await Assert.ThrowsAsync<AccessChangedException>(() => Users.CreateTeamAsync(admin, new TeamInput { Name = $"T {Guid.NewGuid():N}"[..12] }, Cancel));
        Assert.True(await database.QueryAsync(db => db.Users.Where(u => u.Id == rep.UserId).Select(u => u.IsActive).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task A_session_whose_sign_in_matches_the_record_reports_no_change()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync(), Department.Sales);
        var session = OpenSession(rep);

        Assert.Equal(rep, await session.Accessor.GetAsync(Cancel));
        Assert.Equal(rep, await session.Accessor.GetAsync(Cancel));

        Assert.Empty(session.Changes);
        Assert.Null(session.Accessor.Change);
    }

    /// <summary>A circuit signed in as <paramref name="actor"/>: the claims its cookie was issued with, and what it was told.</summary>
    private Session OpenSession(Actor actor)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, actor.UserId), new(ClaimTypes.Role, actor.Role) };
        claims.AddRange(AccessClaims.Of(actor.TeamId, actor.Department));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
        var session = new Session(new ActorAccessor(new SignedIn(principal), database));
        session.Accessor.AccessChanged += session.Changes.Add;
        return session;
    }

    private Task<int> EntriesAsync(Guid dealId) =>
        database.QueryAsync(db => db.CommunicationEntries.CountAsync(e => e.DealId == dealId, Cancel));

    private static LogCommunicationInput Call() => new()
    {
        Channel = CommunicationChannel.Phone,
        Direction = CommunicationDirection.FromCustomer,
        People = "Hannah Berg",
        Summary = "Asked for the delivery plan.",
        OccurredOn = new DateTime(2026, 3, 2),
        OccurredAt = new TimeSpan(11, 15, 0),
    };

    private sealed record Session(ActorAccessor Accessor)
    {
        public List<AccessChange> Changes { get; } = [];
    }

    private sealed class SignedIn(ClaimsPrincipal principal) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(principal));
    }
}

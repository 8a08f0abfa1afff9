using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.DeliveryRecords;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.DeliveryRecords;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Record = CommitmentTracker.Web.Features.Dashboard.DeliveryRecord;

namespace CommitmentTracker.Web.Tests.Features.DeliveryRecords;

/// <summary>
/// Public links to a delivery record on the real database: who may create, list and revoke them, and the public read
/// (<see cref="SharedRecordService"/>) stopping at expiry and at revocation. The clock moves; nothing sleeps.
/// </summary>
public sealed class SharedRecordLinkTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _clock = new(TestDeals.Now);

    private DeliveryRecordService Records => new(database, _clock, new ShareRecordValidator());

    private SharedRecordService Public => new(database, _clock);

    [Fact]
    public async Task A_link_shows_the_teams_figures_until_it_is_revoked_then_nothing()
    {
        var north = await ArrangeAsync();

        var created = await Records.CreateLinkAsync(north.Rep, new ShareRecordInput { ExpiryDays = 30, Note = "Contoso's buyer" }, Cancel);
        var shown = await Public.GetAsync(created.Token, Cancel);
        await Records.RevokeLinkAsync(north.Rep, created.Id, Cancel);
        var after = await Public.GetAsync(created.Token, Cancel);

        Assert.Equal(SharedRecordStatus.Shown, shown.Status);
        Assert.Equal(($"Team {north.Team.Name}", new Record(1, 0, 1)), (shown.Record!.Subject, shown.Record.Figures.Total));
        Assert.Equal(SharedRecordStatus.NoLongerValid, after.Status);
        Assert.Null(after.Record);
        var stored = await database.QueryAsync(db => db.SharedRecordLinks.AsNoTracking().SingleAsync(l => l.Id == created.Id, Cancel));
        Assert.Equal((north.Rep.UserId, north.Rep.UserId, TestDeals.Now), (stored.CreatedBy, stored.RevokedBy, stored.RevokedAt));
        Assert.Equal("Contoso's buyer", stored.Note);
    }

    [Fact]
    public async Task A_link_stops_when_it_expires()
    {
        var north = await ArrangeAsync();
        var created = await Records.CreateLinkAsync(north.Rep, new ShareRecordInput { ExpiryDays = 7 }, Cancel);

        _clock.Advance(TimeSpan.FromDays(7).Subtract(TimeSpan.FromMinutes(1)));
        var lastMinute = await Public.GetAsync(created.Token, Cancel);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var expired = await Public.GetAsync(created.Token, Cancel);

        Assert.Equal(SharedRecordStatus.Shown, lastMinute.Status);
        Assert.Equal(SharedRecordStatus.NoLongerValid, expired.Status);
        Assert.DoesNotContain(await Records.LinksAsync(north.Rep, Cancel), l => l.Id == created.Id);
    }

    [Fact]
    public async Task Only_the_hash_of_the_token_is_stored_and_an_unknown_or_malformed_token_shows_nothing()
    {
        var north = await ArrangeAsync();
        var created = await Records.CreateLinkAsync(north.Rep, new ShareRecordInput(), Cancel);

        var stored = await database.QueryAsync(db => db.SharedRecordLinks.AsNoTracking().SingleAsync(l => l.Id == created.Id, Cancel));
        var unknown = await Public.GetAsync(ShareToken.New().Token, Cancel);
        var malformed = await Public.GetAsync("' OR 1=1 --", Cancel);

        Assert.Equal(ShareToken.TextLength, created.Token.Length);
        Assert.Equal(ShareToken.Hash(created.Token), stored.TokenHash);
        Assert.Equal(TestDeals.Now.AddDays(SharedRecordLink.DefaultExpiryDays), stored.ExpiresAt);
        Assert.Equal(SharedRecordStatus.Unknown, unknown.Status);
        Assert.Equal(SharedRecordStatus.Unknown, malformed.Status);
    }

    [Fact]
    public async Task A_rep_shares_their_own_record_but_not_a_colleagues()
    {
        var north = await ArrangeAsync();

        var own = await Records.CreateLinkAsync(north.Rep, new ShareRecordInput { Scope = SharedRecordScope.Rep }, Cancel);
        var refused = await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Records.CreateLinkAsync(north.Rep, new ShareRecordInput { Scope = SharedRecordScope.Rep, RepId = north.Colleague.UserId }, Cancel));
        var shown = await Public.GetAsync(own.Token, Cancel);

        Assert.Contains("not a colleague's", refused.Message, StringComparison.Ordinal);
        Assert.Equal((north.Rep.DisplayName, SharedRecordScope.Rep, new Record(1, 0, 1)), (shown.Record!.Subject, shown.Record.Scope, shown.Record.Figures.Total));
        Assert.Equal(1, await CountLinksAsync(north.Team.Id));
    }

    [Fact]
    public async Task A_manager_shares_a_rep_of_their_team_but_not_of_another_team()
    {
        var north = await ArrangeAsync();

        var created = await Records.CreateLinkAsync(north.Manager, new ShareRecordInput { Scope = SharedRecordScope.Rep, RepId = north.Rep.UserId }, Cancel);
        await Assert.ThrowsAsync<RecordNotFoundException>(() =>
            Records.CreateLinkAsync(north.Manager, new ShareRecordInput { Scope = SharedRecordScope.Rep, RepId = north.SouthRep.UserId }, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Records.CreateLinkAsync(north.Admin, new ShareRecordInput(), Cancel));

        Assert.Equal(north.Rep.DisplayName, (await Public.GetAsync(created.Token, Cancel)).Record!.Subject);
        Assert.Equal(1, await CountLinksAsync(north.Team.Id));
    }

    [Fact]
    public async Task A_rep_cannot_revoke_another_persons_link_but_the_teams_manager_can()
    {
        var north = await ArrangeAsync();
        var link = await Records.CreateLinkAsync(north.Rep, new ShareRecordInput(), Cancel);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => Records.RevokeLinkAsync(north.Colleague, link.Id, Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => Records.RevokeLinkAsync(north.SouthManager, link.Id, Cancel));
        Assert.Equal(SharedRecordStatus.Shown, (await Public.GetAsync(link.Token, Cancel)).Status);
        Assert.DoesNotContain(await Records.LinksAsync(north.Colleague, Cancel), l => l.Id == link.Id);
        Assert.Contains(await Records.LinksAsync(north.Manager, Cancel), l => l.Id == link.Id && l.CanRevoke);

        await Records.RevokeLinkAsync(north.Manager, link.Id, Cancel);

        Assert.Equal(SharedRecordStatus.NoLongerValid, (await Public.GetAsync(link.Token, Cancel)).Status);
        var again = await Assert.ThrowsAsync<DomainException>(() => Records.RevokeLinkAsync(north.Rep, link.Id, Cancel));
        Assert.Equal("This link was already revoked.", again.Message);
    }

    [Fact]
    public async Task A_creator_sees_their_active_links_with_who_made_them()
    {
        var north = await ArrangeAsync();
        var first = await Records.CreateLinkAsync(north.Rep, new ShareRecordInput { Note = "Fabrikam" }, Cancel);
        var second = await Records.CreateLinkAsync(north.Rep, new ShareRecordInput { Scope = SharedRecordScope.Rep, ExpiryDays = 90 }, Cancel);
        await Records.RevokeLinkAsync(north.Rep, first.Id, Cancel);

        var links = await Records.LinksAsync(north.Rep, Cancel);

        var row = Assert.Single(links);
        Assert.Equal((second.Id, north.Rep.DisplayName, north.Rep.DisplayName, TestDeals.Now.AddDays(90), true),
            (row.Id, row.Subject, row.CreatedByName, row.ExpiresAt, row.CanRevoke));
    }

    [Fact]
    public async Task An_expiry_outside_the_range_is_refused_and_nothing_is_stored()
    {
        var north = await ArrangeAsync();

        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => Records.CreateLinkAsync(north.Rep, new ShareRecordInput { ExpiryDays = 0 }, Cancel));
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => Records.CreateLinkAsync(north.Rep, new ShareRecordInput { Note = new string('x', 101) }, Cancel));

        Assert.Equal(0, await CountLinksAsync(north.Team.Id));
    }

    [Fact]
    public async Task The_apps_database_role_cannot_delete_a_link()
    {
        var north = await ArrangeAsync();
        await Records.CreateLinkAsync(north.Rep, new ShareRecordInput(), Cancel);

        var error = await Assert.ThrowsAsync<PostgresException>(() => database.QueryAsync(db =>
            db.Database.ExecuteSqlRawAsync("DELETE FROM shared_record_links", Cancel)));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Equal(1, await CountLinksAsync(north.Team.Id));
    }

    private Task<int> CountLinksAsync(Guid teamId) =>
        database.QueryAsync(db => db.SharedRecordLinks.CountAsync(l => l.TeamId == teamId, Cancel));

    /// <summary>Team North (manager, rep, colleague) and South (manager, rep); the rep's deal has one kept and one broken promise.</summary>
    private async Task<World> ArrangeAsync()
    {
        var team = await database.CreateTeamAsync();
        var south = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team, Department.Sales);
        var world = new World(
            team,
            await database.CreateAsync(AppRoles.Manager, team, Department.Sales),
            rep,
            await database.CreateAsync(AppRoles.Rep, team, Department.Sales),
            await database.CreateAsync(AppRoles.Rep, south, Department.Sales),
            await database.CreateAsync(AppRoles.Manager, south, Department.Sales),
            await database.CreateAsync(AppRoles.Admin));
        await database.CreateDealAsync(rep, arrange: deal =>
        {
            var kept = deal.AddCommitment(
                new CommitmentDraft(CommitmentDirection.Ours, CommitmentKind.Delivery, "Ship the cell", rep.UserId, Department.Fulfilment, TestDeals.Today.AddDays(-20), null),
                LeadTimes.Defaults, rep.UserId, TestDeals.Now.AddDays(-60), TestDeals.Today.AddDays(-60));
            kept.Complete(TestDeals.Today.AddDays(-25), TestDeals.Today.AddDays(-25));
            deal.AddCommitment(
                new CommitmentDraft(CommitmentDirection.Ours, CommitmentKind.Training, "Train the operators", rep.UserId, Department.Service, TestDeals.Today.AddDays(-10), null),
                LeadTimes.Defaults, rep.UserId, TestDeals.Now.AddDays(-60), TestDeals.Today.AddDays(-60));
        });
        return world;
    }

    private sealed record World(Team Team, Actor Manager, Actor Rep, Actor Colleague, Actor SouthRep, Actor SouthManager, Actor Admin);
}

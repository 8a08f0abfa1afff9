using CommitmentTracker.Domain.DeliveryRecords;
using static CommitmentTracker.Domain.Tests.Build;

namespace CommitmentTracker.Domain.Tests;

public sealed class SharedRecordLinkTests
{
    private static readonly Guid Team = Guid.NewGuid();

    private static SharedRecordLink Link(int expiryDays = SharedRecordLink.DefaultExpiryDays, string createdBy = Rep) =>
        SharedRecordLink.Create(SharedRecordScope.Team, Team, null, ShareToken.New().Hash, expiryDays, "Contoso's buyer", createdBy, Now);

    [Fact]
    public void A_new_link_is_active_until_its_expiry_and_expired_from_that_moment()
    {
        var link = Link(expiryDays: 30);

        Assert.Equal(Now.AddDays(30), link.ExpiresAt);
        Assert.True(link.IsActiveAt(Now));
        Assert.True(link.IsActiveAt(Now.AddDays(30).AddTicks(-1)));
        Assert.Equal(SharedRecordLinkState.Expired, link.StateAt(Now.AddDays(30)));
        Assert.False(link.IsActiveAt(Now.AddDays(31)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(SharedRecordLink.MaxExpiryDays + 1)]
    public void An_expiry_outside_one_day_to_a_year_is_refused(int days)
    {
        var ex = Assert.Throws<DomainException>(() => Link(expiryDays: days));

        Assert.Contains("expires after 1 to 365 days", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_expiry_is_one_of_the_choices()
    {
        Assert.Contains(SharedRecordLink.DefaultExpiryDays, SharedRecordLink.ExpiryChoices);
        Assert.All(SharedRecordLink.ExpiryChoices, days => Assert.InRange(days, 1, SharedRecordLink.MaxExpiryDays));
    }

    [Fact]
    public void A_revoked_link_stops_at_once_and_records_who_revoked_it_and_when()
    {
        var link = Link();

        link.Revoke(Rep, oversees: false, Now.AddHours(2));

        Assert.Equal(SharedRecordLinkState.Revoked, link.StateAt(Now.AddHours(2)));
        Assert.False(link.IsActiveAt(Now.AddHours(2)));
        Assert.Equal((Rep, Now.AddHours(2)), (link.RevokedBy, link.RevokedAt));
        Assert.Equal((Rep, Now), (link.CreatedBy, link.CreatedAt));
    }

    [Fact]
    public void The_creator_or_someone_who_oversees_the_team_may_revoke_and_nobody_else()
    {
        var link = Link(createdBy: Rep);

        Assert.Null(link.WhyCannotRevoke(Rep, oversees: false, Now));
        Assert.Null(link.WhyCannotRevoke(Manager, oversees: true, Now));
        var why = link.WhyCannotRevoke("rep-colleague", oversees: false, Now);
        Assert.Equal("Only the person who created this link, or a manager of the team, can revoke it.", why);
        Assert.Throws<DomainException>(() => link.Revoke("rep-colleague", oversees: false, Now));
        Assert.Null(link.RevokedAt);

        link.Revoke(Manager, oversees: true, Now);
        Assert.Equal(Manager, link.RevokedBy);
    }

    [Fact]
    public void A_revoked_or_expired_link_cannot_be_revoked_again()
    {
        var revoked = Link();
        revoked.Revoke(Rep, false, Now);
        var expired = Link(expiryDays: 7);

        Assert.Equal("This link was already revoked.", Assert.Throws<DomainException>(() => revoked.Revoke(Rep, false, Now.AddMinutes(1))).Message);
        Assert.Contains("expired", Assert.Throws<DomainException>(() => expired.Revoke(Rep, false, Now.AddDays(8))).Message, StringComparison.Ordinal);
        Assert.Equal((Rep, Now), (revoked.RevokedBy, revoked.RevokedAt));
        Assert.Equal(SharedRecordLinkState.Revoked, revoked.StateAt(Now.AddYears(2)));
    }

    [Fact]
    public void A_reps_record_names_the_rep_and_a_teams_record_names_none()
    {
        var rep = SharedRecordLink.Create(SharedRecordScope.Rep, Team, Rep, ShareToken.New().Hash, 7, null, Rep, Now);
        var team = SharedRecordLink.Create(SharedRecordScope.Team, Team, Rep, ShareToken.New().Hash, 7, null, Rep, Now);

        Assert.Equal(Rep, rep.RepId);
        Assert.Null(team.RepId);
        Assert.Throws<DomainException>(() => SharedRecordLink.Create(SharedRecordScope.Rep, Team, " ", ShareToken.New().Hash, 7, null, Rep, Now));
        Assert.Throws<DomainException>(() => SharedRecordLink.Create(SharedRecordScope.Team, Guid.Empty, null, ShareToken.New().Hash, 7, null, Rep, Now));
    }

    [Fact]
    public void A_token_is_long_random_and_only_its_hash_matches()
    {
        var (token, hash) = ShareToken.New();
        var (other, _) = ShareToken.New();

        Assert.Equal(ShareToken.TextLength, token.Length);
        Assert.NotEqual(token, other);
        Assert.All(token, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe"));
        Assert.True(ShareToken.Matches(hash, ShareToken.Hash(token)));
        Assert.False(ShareToken.Matches(hash, ShareToken.Hash(other)));
        Assert.DoesNotContain(token, Convert.ToBase64String(hash), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Text_that_cannot_be_a_token_has_no_hash(string? text)
    {
        Assert.Null(ShareToken.Hash(text));
        Assert.False(ShareToken.Matches(ShareToken.New().Hash, ShareToken.Hash(text)));
    }
}

using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Api;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CommitmentTracker.Web.Tests.Features.Api;

/// <summary>Personal API tokens as the tokens page makes them: shown once, stored as a hash, listed without the secret, revoked by their owner or an admin.</summary>
public sealed class ApiTokensServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private readonly FakeTimeProvider _clock = new(TestDeals.Now);

    private ApiTokensService Service => new(database, _clock, new NewApiTokenValidator());

    [Fact]
    public async Task A_new_token_is_shown_once_and_only_its_hash_and_prefix_are_stored()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);

        var created = await Service.CreateAsync(rep, new NewApiTokenInput { Name = "CRM sync", ExpiryDays = 30, IsReadOnly = true }, Cancel);

        Assert.StartsWith("ct_", created.Secret, StringComparison.Ordinal);
        Assert.Equal(46, created.Secret.Length);
        var stored = await database.QueryAsync(db => db.ApiTokens.AsNoTracking().SingleAsync(t => t.Id == created.Token.Id, Cancel));
        Assert.Equal(ApiToken.HashOf(created.Secret), stored.TokenHash);
        Assert.Equal(created.Secret[..ApiToken.PrefixLength], stored.Prefix);
        Assert.True(stored.IsReadOnly);
        Assert.Equal(TestDeals.Now.AddDays(30), stored.ExpiresAt);
        var listed = Assert.Single(await Service.ListAsync(rep, cancellationToken: Cancel));
        Assert.Equal(("CRM sync", stored.Prefix), (listed.Name, listed.Prefix));
        Assert.DoesNotContain(created.Secret, System.Text.Json.JsonSerializer.Serialize(listed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_a_name_or_with_an_expiry_over_a_year_is_refused_and_nothing_is_stored()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);

        var refused = await Assert.ThrowsAsync<ValidationException>(() => Service.CreateAsync(rep, new NewApiTokenInput { Name = " ", ExpiryDays = 400 }, Cancel));

        Assert.Contains(refused.Errors, e => e.PropertyName == nameof(NewApiTokenInput.Name));
        Assert.Contains(refused.Errors, e => e.PropertyName == nameof(NewApiTokenInput.ExpiryDays));
        Assert.Empty(await Service.ListAsync(rep, cancellationToken: Cancel));
    }

    [Fact]
    public async Task A_user_revokes_their_own_token_but_another_users_is_not_found_and_an_admin_may_revoke_any()
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var colleague = await database.CreateAsync(AppRoles.Rep, team);
        var admin = await database.CreateAsync(AppRoles.Admin);
        var first = await Service.CreateAsync(rep, new NewApiTokenInput { Name = "First" }, Cancel);
        var second = await Service.CreateAsync(rep, new NewApiTokenInput { Name = "Second" }, Cancel);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => Service.RevokeAsync(colleague, first.Token.Id, Cancel));
        await Service.RevokeAsync(rep, first.Token.Id, Cancel);
        await Service.RevokeAsync(admin, second.Token.Id, Cancel);

        var tokens = await database.QueryAsync(db => db.ApiTokens.AsNoTracking().Where(t => t.UserId == rep.UserId).ToListAsync(Cancel));
        Assert.All(tokens, t => Assert.False(t.IsActiveAt(_clock.GetUtcNow())));
        Assert.Equal(rep.UserId, tokens.Single(t => t.Id == first.Token.Id).RevokedBy);
        Assert.Equal(admin.UserId, tokens.Single(t => t.Id == second.Token.Id).RevokedBy);
    }

    [Fact]
    public async Task Only_an_admin_lists_every_users_tokens()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var admin = await database.CreateAsync(AppRoles.Admin);
        await Service.CreateAsync(rep, new NewApiTokenInput { Name = "Rep's script" }, Cancel);

        var everyone = await Service.ListAsync(admin, everyone: true, Cancel);

        Assert.Contains(everyone, t => t.Name == "Rep's script" && t.UserName == rep.DisplayName);
        Assert.Empty(await Service.ListAsync(admin, cancellationToken: Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ListAsync(rep, everyone: true, Cancel));
    }
}

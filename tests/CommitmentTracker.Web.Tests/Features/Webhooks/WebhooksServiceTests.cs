using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Integrations;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Webhooks;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Tests.Features.Webhooks;

/// <summary>The admin page's service: admins only, https addresses, a secret shown once and rotated.</summary>
public sealed class WebhooksServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static WebhookInput Input(string url = "https://crm.example.com/hooks/ct") =>
        new() { Name = "CRM", Url = url, Events = [WebhookEvent.PromiseLate, WebhookEvent.PromiseBroken], IsActive = true };

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Service)]
    public async Task Only_admins_may_use_the_webhooks_service(string role)
    {
        var team = await database.CreateTeamAsync();
        var someone = await database.CreateAsync(role, team, role == AppRoles.Service ? Department.Fulfilment : null);
        var admin = await database.CreateAsync(AppRoles.Admin);
        var service = database.Service();
        var (id, _) = await service.CreateAsync(admin, Input(), Cancel);

        await Assert.ThrowsAsync<AccessDeniedException>(() => service.ListAsync(someone, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.CreateAsync(someone, Input(), Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.UpdateAsync(someone, id, 0, Input(), Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.RotateSecretAsync(someone, id, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.DeliveriesAsync(someone, id, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.AttemptsAsync(someone, Guid.NewGuid(), Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => service.SendAgainAsync(someone, Guid.NewGuid(), Cancel));
        Assert.Contains(await service.ListAsync(admin, Cancel), h => h.Id == id);
    }

    [Fact]
    public async Task Plain_http_is_refused_unless_it_is_loopback_and_the_host_allows_it()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var strict = database.Service(allowHttpLoopback: false);
        var lenient = database.Service(allowHttpLoopback: true);

        var https = await strict.CreateAsync(admin, Input("https://crm.example.com/in"), Cancel);
        Assert.NotEqual(Guid.Empty, https.Id);
        var toLoopback = await Assert.ThrowsAsync<DomainException>(() => strict.CreateAsync(admin, Input("http://127.0.0.1:5000/in"), Cancel));
        Assert.Contains("https", toLoopback.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DomainException>(() => lenient.CreateAsync(admin, Input("http://crm.example.com/in"), Cancel));
        await Assert.ThrowsAsync<DomainException>(() => lenient.CreateAsync(admin, Input("ftp://crm.example.com/in"), Cancel));
        await Assert.ThrowsAsync<DomainException>(() => lenient.CreateAsync(admin, Input("crm.example.com/in"), Cancel));
        await Assert.ThrowsAsync<FluentValidation.ValidationException>(() => lenient.CreateAsync(admin, new WebhookInput { Name = "No events", Url = "https://x.example.com" }, Cancel));
        Assert.NotEqual(Guid.Empty, (await lenient.CreateAsync(admin, Input("http://127.0.0.1:5000/in"), Cancel)).Id);
        Assert.NotEqual(Guid.Empty, (await lenient.CreateAsync(admin, Input("http://localhost:5000/in"), Cancel)).Id);
    }

    [Fact]
    public async Task The_secret_is_shown_once_and_rotating_it_replaces_it()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var service = database.Service();
        var (id, secret) = await service.CreateAsync(admin, Input(), Cancel);

        var row = Assert.Single(await service.ListAsync(admin, Cancel), h => h.Id == id);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.True(secret.Length > 40);
        Assert.StartsWith(row.SecretHint.TrimEnd('…'), secret, StringComparison.Ordinal);
        Assert.NotEqual(secret, row.SecretHint);

        var rotated = await service.RotateSecretAsync(admin, id, Cancel);

        Assert.NotEqual(secret, rotated);
        Assert.Equal(rotated, await database.QueryAsync(db => db.Webhooks.Where(h => h.Id == id).Select(h => h.Secret).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task Changing_a_hook_keeps_its_secret_and_a_stale_version_is_refused()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var service = database.Service();
        var (id, secret) = await service.CreateAsync(admin, Input(), Cancel);
        var version = Assert.Single(await service.ListAsync(admin, Cancel), h => h.Id == id).Version;

        var input = Input("https://crm.example.com/v2");
        input.Events = [WebhookEvent.RecoveryPlanOpened];
        input.IsActive = false;
        await service.UpdateAsync(admin, id, version, input, Cancel);

        var row = Assert.Single(await service.ListAsync(admin, Cancel), h => h.Id == id);
        Assert.Equal("https://crm.example.com/v2", row.Url);
        Assert.Equal([WebhookEvent.RecoveryPlanOpened], row.Events);
        Assert.False(row.IsActive);
        Assert.Equal(secret, await database.QueryAsync(db => db.Webhooks.Where(h => h.Id == id).Select(h => h.Secret).SingleAsync(Cancel)));
        await Assert.ThrowsAnyAsync<Exception>(() => service.UpdateAsync(admin, id, version, Input(), Cancel));
    }
}

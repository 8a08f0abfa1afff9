using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Persistence.Changes;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Alerts;

/// <summary>The bell in the app bar, rendered against the real database for a signed-in user.</summary>
public sealed class NotificationBellTests : IClassFixture<TestDatabase>, IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly BunitContext _ctx = new();
    private readonly ChangeFeed _changes = new();
    private readonly BunitAuthorizationContext _auth;

    public NotificationBellTests(TestDatabase database)
    {
        _database = database;
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddScoped<CommitmentTracker.Web.Components.Shared.UserTime>();
        _ctx.Services.AddLogging();
        _ctx.Services.AddSingleton<IDbContextFactory<AppDbContext>>(database);
        _ctx.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now.AddMinutes(5)));
        _ctx.Services.AddSingleton(_changes);
        _ctx.Services.AddScoped<AlertsService>();
        _ctx.Services.AddScoped<ActorAccessor>();
        _auth = _ctx.AddAuthorization();
    }

    [Fact]
    public async Task The_badge_shows_the_users_unread_count()
    {
        var scene = await _database.CreateSceneAsync();
        await _database.InsertAlertAsync(scene, scene.Rep);
        await _database.InsertAlertAsync(scene, scene.Rep);
        await _database.InsertAlertAsync(scene, scene.Manager);

        var bell = RenderFor(scene.Rep);

        bell.WaitForAssertion(() => Assert.Equal("2", bell.Find("[data-testid=alert-count]").TextContent));
    }

    [Fact]
    public async Task Without_unread_alerts_there_is_no_badge()
    {
        var scene = await _database.CreateSceneAsync();

        var bell = RenderFor(scene.Rep);

        bell.WaitForAssertion(() => Assert.NotEmpty(bell.FindAll("[data-testid=alert-bell]")));
        Assert.Empty(bell.FindAll("[data-testid=alert-count]"));
    }

    [Fact]
    public async Task A_new_alert_raises_the_count_when_a_change_is_announced_without_a_reload()
    {
        var scene = await _database.CreateSceneAsync();
        await _database.InsertAlertAsync(scene, scene.Rep);
        var bell = RenderFor(scene.Rep);
        bell.WaitForAssertion(() => Assert.Equal("1", bell.Find("[data-testid=alert-count]").TextContent));

        await _database.InsertAlertAsync(scene, scene.Rep);
        _changes.Raise(new DealsChanged([scene.Deal.Id]));

        bell.WaitForAssertion(() => Assert.Equal("2", bell.Find("[data-testid=alert-count]").TextContent));
    }

    [Fact]
    public async Task The_panel_lists_alerts_with_reasons_and_a_link_to_the_deal_and_mark_all_read_clears_the_badge()
    {
        var scene = await _database.CreateSceneAsync();
        var alert = await _database.InsertAlertAsync(scene, scene.Rep);
        var popovers = _ctx.Render<MudPopoverProvider>();
        var bell = RenderFor(scene.Rep);
        bell.WaitForAssertion(() => Assert.Single(bell.FindAll("[data-testid=alert-count]")));

        await bell.Find("[data-testid=alert-bell]").ClickAsync(new());
        popovers.WaitForAssertion(() => Assert.Single(popovers.FindAll("[data-testid=alert-item]")));

        var item = popovers.Find("[data-testid=alert-item]");
        Assert.Equal(alert.Title, item.QuerySelector("[data-testid=alert-link]")!.TextContent);
        Assert.Equal($"deals/{scene.Deal.Id}", item.QuerySelector("[data-testid=alert-link]")!.GetAttribute("href"));
        Assert.Contains(alert.Reasons, item.TextContent, StringComparison.Ordinal);
        Assert.Contains("5 min ago", item.TextContent, StringComparison.Ordinal);

        await popovers.Find("[data-testid=alert-mark-all]").ClickAsync(new());

        bell.WaitForAssertion(() => Assert.Empty(bell.FindAll("[data-testid=alert-count]")));
        Assert.NotNull((await _database.StoredAlertAsync(alert.Id)).ReadAt);
    }

    private IRenderedComponent<NotificationBell> RenderFor(Actor actor)
    {
        _auth.SetAuthorized(actor.DisplayName);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, actor.UserId));
        return _ctx.Render<NotificationBell>();
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}

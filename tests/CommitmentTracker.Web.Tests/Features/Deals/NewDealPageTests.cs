using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Deals;

/// <summary>The new-deal page, for a signed-in rep: an empty form says what is missing next to each field and logs nothing.</summary>
public sealed class NewDealPageTests : IClassFixture<TestDatabase>, IAsyncDisposable
{
    private readonly TestDatabase _database;
    private readonly BunitContext _ctx = new();
    private readonly BunitAuthorizationContext _auth;
    private string _repId = "";

    public NewDealPageTests(TestDatabase database)
    {
        _database = database;
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddScoped<CommitmentTracker.Web.Components.Shared.UserTime>();
        _ctx.Services.AddSingleton<IDbContextFactory<AppDbContext>>(database);
        _ctx.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        _ctx.Services.AddSingleton<NewDealValidator>();
        _ctx.Services.AddSingleton<DealDetailsValidator>();
        _ctx.Services.AddSingleton<StageMoveValidator>();
        _ctx.Services.AddScoped<DealsService>();
        _ctx.Services.AddScoped<ActorAccessor>();
        _auth = _ctx.AddAuthorization();
    }

    [Fact]
    public async Task Logging_an_empty_deal_shows_the_title_and_outcome_messages_next_to_their_fields_and_logs_nothing()
    {
        var page = await RenderForRepAsync();

        page.Find("[data-testid=create-deal]").Click();

        page.WaitForAssertion(() => Assert.Equal("Give the deal a title.", MessageNextTo(page, "deal-title-input")));
        Assert.Equal("Write down the outcome the customer expects, in their words.", MessageNextTo(page, "deal-outcome"));
        Assert.EndsWith("/deals/new", _ctx.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
        Assert.Equal(0, await _database.QueryAsync(db => db.Deals.CountAsync(d => d.OwnerId == _repId)));
    }

    private async Task<IRenderedComponent<NewDealPage>> RenderForRepAsync()
    {
        var team = await _database.CreateTeamAsync();
        var rep = await _database.CreateAsync(AppRoles.Rep, team);
        _repId = rep.UserId;
        _auth.SetAuthorized(rep.DisplayName);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, rep.UserId));
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("deals/new");
        _ctx.Render<MudPopoverProvider>();
        var page = _ctx.Render<NewDealPage>();
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=create-deal]").HasAttribute("disabled")));
        return page;
    }

    /// <summary>The validation message the field points to through aria-describedby.</summary>
    private static string MessageNextTo(IRenderedComponent<NewDealPage> page, string testId)
    {
        var input = page.Find($"[data-testid={testId}]");
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        return page.Find($"[id='{input.GetAttribute("aria-describedby")}']").TextContent.Trim();
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}

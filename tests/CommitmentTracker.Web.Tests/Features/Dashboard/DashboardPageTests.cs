using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Dashboard;
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

namespace CommitmentTracker.Web.Tests.Features.Dashboard;

/// <summary>
/// The dashboard page rendered against the real database for a signed-in manager: the empty state, the alarm above
/// the list, and a promise arriving in the list (and the tile rising) when a change is announced, without a reload.
/// </summary>
public sealed class DashboardPageTests : IClassFixture<TestDatabase>, IAsyncDisposable
{
    /// <summary>Longer than the page's debounce; a bound for a broken page, not a timing assertion.</summary>
    // A wait for a condition, generous for a busy machine: the page loads its figures from PostgreSQL.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancel => Xunit.TestContext.Current.CancellationToken;

    private readonly TestDatabase _database;
    private readonly BunitContext _ctx = new();
    private readonly ChangeFeed _changes = new();
    private readonly BunitAuthorizationContext _auth;

    /// <summary>Twenty days after the deals closed: a promise made for day 10 is broken by now.</summary>
    private readonly FakeTimeProvider _clock = new(Now.AddDays(20));

    public DashboardPageTests(TestDatabase database)
    {
        _database = database;
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddMudServices();
        _ctx.Services.AddScoped<CommitmentTracker.Web.Components.Shared.UserTime>();
        _ctx.Services.AddLogging();
        _ctx.Services.AddSingleton<IDbContextFactory<AppDbContext>>(database);
        _ctx.Services.AddSingleton<TimeProvider>(_clock);
        _ctx.Services.AddSingleton(_changes);
        _ctx.Services.AddScoped<DashboardService>();
        _ctx.Services.AddScoped<RecoveryInsightsService>();
        _ctx.Services.AddScoped<ForecastCalibrationService>();
        _ctx.Services.AddScoped<ActorAccessor>();
        _auth = _ctx.AddAuthorization();
    }

    [Fact]
    public async Task A_team_with_nothing_at_risk_reads_well_kept_and_raises_no_alarm()
    {
        var (manager, _, _) = await ArrangeTeamAsync(promisedInDays: 70);

        var page = RenderFor(manager);

        page.WaitForAssertion(() => Assert.Contains("Nothing at risk. Well kept.", page.Find("[data-testid=at-risk-list]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(page.FindAll("[data-testid=at-risk-row]"));
        Assert.Empty(page.FindAll("[data-testid=threshold-alarm]"));
        Assert.Equal("0", TileValue(page, "tile-at-risk"));
        Assert.Equal("1", TileValue(page, "tile-verbal"));
        Assert.Equal("deals?stage=Verbal", page.Find("[data-testid=tile-verbal]").GetAttribute("href"));
        Assert.Equal("approvals", page.Find("[data-testid=tile-approvals]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_promise_that_becomes_at_risk_appears_and_the_tile_rises_when_a_change_is_announced()
    {
        var (manager, deal, promise) = await ArrangeTeamAsync(promisedInDays: 70);
        var page = RenderFor(manager);
        page.WaitForAssertion(() => Assert.Equal("0", TileValue(page, "tile-at-risk")), Patience);

        // Service staff block the promise's only milestone: the save re-evaluates it to AtRisk.
        await using (var db = _database.CreateDbContext())
        {
            db.ChangedAt = _clock.GetUtcNow();
            var tracked = await db.LoadDealAsync(deal.Id, tracked: true);
            var commitment = tracked.Commitment(promise.Id);
            var milestone = commitment.AddMilestone("Build the cell", null, Today.AddDays(60));
            commitment.UpdateMilestone(milestone.Id, new MilestoneChange(MilestoneStatus.Blocked, null, Reason: "Waiting for the gearbox"),
                manager.UserId, _clock.GetUtcNow(), DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(Cancel);
        }
        _changes.Raise(new DealsChanged([deal.Id]));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=at-risk-row]")), Patience);
        var row = page.Find("[data-testid=at-risk-row]");
        Assert.Equal("AtRisk", row.GetAttribute("data-level"));
        Assert.Contains("Build the cell is blocked", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("1", TileValue(page, "tile-at-risk"));
    }

    [Fact]
    public async Task A_broken_promise_on_more_than_the_set_share_of_accounts_raises_the_alarm()
    {
        var (manager, _, _) = await ArrangeTeamAsync(promisedInDays: 10);

        var page = RenderFor(manager);

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=threshold-alarm]")), Patience);
        Assert.Contains("1 of 1 active accounts (100%)", page.Find("[data-testid=threshold-alarm]").TextContent, StringComparison.Ordinal);
        Assert.Equal("0%", TileValue(page, "tile-delivery-record"));
    }

    /// <summary>A new team with a manager and a rep whose verbal deal holds one promise of ours.</summary>
    private async Task<(Actor Manager, Deal Deal, Commitment Promise)> ArrangeTeamAsync(int promisedInDays)
    {
        var team = await _database.CreateTeamAsync();
        var manager = await _database.CreateAsync(AppRoles.Manager, team);
        var rep = await _database.CreateAsync(AppRoles.Rep, team);
        Commitment? promise = null;
        var deal = await _database.CreateDealAsync(rep, arrange: d => promise = AddPromise(d, promisedInDays: promisedInDays));
        return (manager, deal, promise!);
    }

    private static string TileValue(IRenderedComponent<DashboardPage> page, string testId) =>
        page.Find($"[data-testid={testId}] [data-testid=tile-value]").TextContent.Trim();

    private IRenderedComponent<DashboardPage> RenderFor(Actor actor)
    {
        _auth.SetAuthorized(actor.DisplayName);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, actor.UserId));
        _ctx.Render<MudPopoverProvider>();
        return _ctx.Render<DashboardPage>();
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}

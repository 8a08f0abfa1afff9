using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
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
/// "What the recovery plans teach" on the dashboard page against the real database: the empty Pareto, a closed plan
/// counted in the Pareto table after a change is announced (the dashboard's live refresh), and the lessons narrowed
/// to a root cause from the Pareto table.
/// </summary>
public sealed class RecoveryInsightsSectionTests : IClassFixture<TestDatabase>, IAsyncDisposable
{
    /// <summary>Longer than the page's debounce; a bound for a broken page, not a timing assertion.</summary>
    // A wait for a condition, generous for a busy machine: the page loads its figures from PostgreSQL.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancel => Xunit.TestContext.Current.CancellationToken;

    private readonly TestDatabase _database;
    private readonly BunitContext _ctx = new();
    private readonly ChangeFeed _changes = new();
    private readonly BunitAuthorizationContext _auth;
    private readonly FakeTimeProvider _clock = new(Now.AddDays(20));

    public RecoveryInsightsSectionTests(TestDatabase database)
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
    public async Task A_plan_closed_while_the_dashboard_is_open_is_counted_in_the_pareto_table_when_a_change_is_announced()
    {
        var (manager, rep, promises) = await ArrangeTeamAsync(1);
        var page = RenderFor(manager);
        page.WaitForAssertion(() => Assert.Contains("No recovery plan was closed in the last 12 months", page.Find("[data-testid=pareto-chart] [data-testid=pareto-empty]").TextContent, StringComparison.Ordinal), Patience);
        Assert.Empty(page.FindAll("[data-testid^=pareto-count-]"));

        var plan = await ClosedPlanAsync(promises[0], rep, manager, RootCause.PoorCommunication, "Confirm the trainer's calendar before promising.");
        _changes.Raise(new DealsChanged([promises[0].DealId]));

        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-testid=pareto-count-PoorCommunication]").TextContent.Trim()), Patience);
        Assert.Equal("100%", page.Find("[data-testid=pareto-cumulative-PoorCommunication]").TextContent.Trim());
        var lesson = Assert.Single(page.FindAll("[data-testid=lessons-table] [data-testid=lesson-row]"));
        Assert.Contains("Confirm the trainer's calendar before promising.", lesson.TextContent, StringComparison.Ordinal);
        Assert.Equal($"recovery/{plan.Id}", lesson.QuerySelector("[data-testid=lesson-plan-link]")!.GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=pareto-empty]"));
    }

    [Fact]
    public async Task Choosing_a_root_cause_in_the_pareto_table_narrows_the_lessons_to_it()
    {
        var (manager, rep, promises) = await ArrangeTeamAsync(3);
        await ClosedPlanAsync(promises[0], rep, manager, RootCause.PoorCommunication, "Lesson one");
        await ClosedPlanAsync(promises[1], rep, manager, RootCause.PoorCommunication, "Lesson two");
        await ClosedPlanAsync(promises[2], rep, manager, RootCause.CustomerSideDelay, "Lesson three");
        var page = RenderFor(manager);
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=lesson-row]").Count), Patience);
        Assert.Equal("2", page.Find("[data-testid=pareto-count-PoorCommunication]").TextContent.Trim());

        await page.Find("[data-testid=pareto-row-CustomerSideDelay] a").ClickAsync(new());

        var row = Assert.Single(page.FindAll("[data-testid=lesson-row]"));
        Assert.Equal(nameof(RootCause.CustomerSideDelay), row.GetAttribute("data-root-cause"));
        Assert.Contains("Lesson three", row.TextContent, StringComparison.Ordinal);
    }

    /// <summary>A new team with a manager and a rep whose verbal deal holds <paramref name="count"/> promises of ours.</summary>
    private async Task<(Actor Manager, Actor Rep, List<Commitment> Promises)> ArrangeTeamAsync(int count)
    {
        var team = await _database.CreateTeamAsync();
        var manager = await _database.CreateAsync(AppRoles.Manager, team);
        var rep = await _database.CreateAsync(AppRoles.Rep, team);
        var promises = new List<Commitment>();
        await _database.CreateDealAsync(rep, arrange: d =>
        {
            for (var i = 0; i < count; i++)
                promises.Add(AddPromise(d, description: $"Promise {i + 1}"));
        });
        return (manager, rep, promises);
    }

    private async Task<RecoveryPlan> ClosedPlanAsync(Commitment promise, Actor rep, Actor manager, RootCause cause, string lesson)
    {
        var detected = _clock.GetUtcNow().AddDays(-3);
        var plan = RecoveryPlan.Open(promise.Id, promise.DealId, detected, RiskLevel.AtRisk, RecoverySettings.Default(rep.UserId, manager.UserId), detected);
        plan.TellCustomer(Guid.NewGuid(), detected.AddHours(2));
        plan.Close(cause, Department.Sales, lesson, detected.AddDays(2));
        await _database.InsertAsync(plan);
        return plan;
    }

    private IRenderedComponent<DashboardPage> RenderFor(Actor actor)
    {
        _auth.SetAuthorized(actor.DisplayName);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, actor.UserId));
        _ctx.Render<MudPopoverProvider>();
        return _ctx.Render<DashboardPage>();
    }

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();
}

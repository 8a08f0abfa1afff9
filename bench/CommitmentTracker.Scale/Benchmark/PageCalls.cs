using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Dashboard;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Features.Home;
using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommitmentTracker.Scale.Benchmark;

/// <summary>
/// Every call the scale benchmark makes into the app's services, one small method per page, each doing what the page
/// does for one navigation (the same service methods, arguments and page sizes). Services are resolved in a fresh scope
/// per operation, as a circuit would. This is the one file to adapt when a service's signature changes. Each method
/// returns a short summary of what it got, which the report compares with the hand-written SQL's (<see cref="FloorQueries"/>).
/// </summary>
internal sealed class PageCalls(IServiceProvider services)
{
    /// <summary>The manager's dashboard: the dashboard view and what the recovery plans teach (its two services).</summary>
    public async Task<string> DashboardAsync(Actor manager, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<DashboardService>().GetAsync(manager, new DashboardFilter(), cancellationToken);
        var insights = await scope.ServiceProvider.GetRequiredService<RecoveryInsightsService>().GetAsync(manager, view.TeamId, cancellationToken: cancellationToken);
        return Summary.Dashboard(
            view.LateNow, view.AtRiskNow, view.WatchNow, view.Record.Kept, view.Record.KeptLate, view.Record.Broken, view.PendingApprovals,
            view.Verbal.Count, view.Alarm.ActiveAccounts, view.Alarm.BrokenAccounts,
            insights.Figures.ClosedPlans, insights.Figures.OpenPlans, insights.Figures.OpenPlansWithOverdueStep, insights.LessonsTotal);
    }

    /// <summary>The fulfilment queue as it opens: the default tab (assigned to me), first page of 25 by planned date, and the tab counts.</summary>
    public async Task<string> FulfilmentQueueAsync(Actor staff, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var fulfilment = scope.ServiceProvider.GetRequiredService<FulfilmentService>();
        var page = await fulfilment.QueueAsync(staff, QueueTab.AssignedToMe, new QueueFilter(), new PageRequest(0, 25, "planned"), cancellationToken);
        var counts = await fulfilment.CountsAsync(staff, cancellationToken);
        return Summary.Queue(page.TotalCount, page.Items.Count, Enum.GetValues<QueueTab>().Select(t => counts[t]));
    }

    /// <summary>
    /// One keystroke in the promise dialog: the forecast of an installation for the Service department on the deal, dated
    /// 45 days out (the access check, the deal's value, the template, the settings and the group curves).
    /// </summary>
    public async Task<string> PromiseDialogKeystrokeAsync(Actor rep, Guid dealId, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var shown = await scope.ServiceProvider.GetRequiredService<Web.Features.Forecasts.ForecastService>().ForNewPromiseAsync(
            rep, dealId, Domain.Commitments.CommitmentKind.Installation, Domain.Department.Service, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(45), cancellationToken);
        return Summary.Forecast(shown.Forecast.Group?.Key, shown.Forecast.GroupSize);
    }

    /// <summary>Recomputes every group's curve from the history (what the refresher does at start-up and every 6 hours).</summary>
    public async Task<string> RefreshForecastAsync(CancellationToken cancellationToken)
    {
        var groups = await services.GetRequiredService<Web.Features.Forecasts.ForecastRefresher>().RefreshAsync(cancellationToken);
        return $"{groups} groups";
    }

    /// <summary>A deal's page.</summary>
    public async Task<string> DealAsync(Actor rep, Guid dealId, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<DealsService>().GetAsync(rep, dealId, cancellationToken)
            ?? throw new InvalidOperationException("The typical deal is not visible to its rep.");
        return Summary.Deal(view.Deal.Commitments.Count, view.Deal.Commitments.Sum(c => c.Milestones.Count), view.Deal.Checklist.Count,
            view.Deal.Touchpoints.Count, view.Communications.Count, view.History.Count);
    }

    /// <summary>The deals list as it opens (My deals for a rep, Team deals for a manager): first page of 25, default order.</summary>
    public async Task<string> DealsListAsync(Actor actor, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var page = await scope.ServiceProvider.GetRequiredService<DealsService>().ListAsync(actor, new DealListQuery(), new PageRequest(0, 25), cancellationToken);
        return Summary.Deals(page.TotalCount, page.Items.Select(r => r.Id));
    }

    /// <summary>Today, the rep's home page.</summary>
    public async Task<string> TodayAsync(Actor rep, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var view = await scope.ServiceProvider.GetRequiredService<HomeService>().GetAsync(rep, cancellationToken);
        return Summary.Today(view.Touchpoints.Count, view.Promises.Count, view.RecoverySteps.Count);
    }

    /// <summary>One pass of the periodic risk sweep (after the caller set risk_settings.review_all_pending: every open promise).</summary>
    public async Task<string> RiskSweepAsync(CancellationToken cancellationToken)
    {
        var changed = await services.GetRequiredService<RiskSweep>().RunOnceAsync(cancellationToken);
        return $"{changed} promises changed level";
    }

    /// <summary>Unfinished milestones of open promises the service user may update (the ones their queue offers).</summary>
    public async Task<IReadOnlyList<Guid>> SaveableMilestonesAsync(Actor staff, CancellationToken cancellationToken)
    {
        await using var db = await Db.CreateDbContextAsync(cancellationToken);
        return await db.Milestones
            .Where(m => m.AssigneeId == staff.UserId && m.Status == Domain.Commitments.MilestoneStatus.InProgress && !m.IsCustomerAcceptance
                && db.Commitments.Any(c => c.Id == m.CommitmentId && c.Status == Domain.Commitments.CommitmentStatus.Open))
            .OrderBy(m => m.Id).Select(m => m.Id).Take(200).ToListAsync(cancellationToken);
    }

    /// <summary>The version a page would hold for the milestone (read before the save, as the page has it).</summary>
    public async Task<uint> MilestoneVersionAsync(Guid milestoneId, CancellationToken cancellationToken)
    {
        await using var db = await Db.CreateDbContextAsync(cancellationToken);
        return await db.Milestones.Where(m => m.Id == milestoneId)
            .Select(m => EF.Property<uint>(m, Web.Persistence.AppDbContext.Version)).SingleAsync(cancellationToken);
    }

    /// <summary>A service user notes progress on a milestone from the queue (the Update dialog's save).</summary>
    public async Task SaveMilestoneNoteAsync(Actor staff, Guid milestoneId, uint version, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<FulfilmentService>().UpdateAsync(staff, new MilestoneRef(milestoneId, version),
            new MilestoneUpdateInput { Status = Domain.Commitments.MilestoneStatus.InProgress, Note = "Checked with the carrier; on course." }, cancellationToken);
    }

    private Microsoft.EntityFrameworkCore.IDbContextFactory<Web.Persistence.AppDbContext> Db =>
        services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Web.Persistence.AppDbContext>>();

    /// <summary>The signed-in user as the services see them.</summary>
    public Task<Actor?> ActorAsync(string userId, CancellationToken cancellationToken) =>
        ActorAccessor.LoadAsync(services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Web.Persistence.AppDbContext>>(), userId, cancellationToken);
}

/// <summary>What a page showed, in the same words for the app's call and the hand-written SQL, so they can be compared.</summary>
internal static class Summary
{
    public static string Dashboard(int late, int atRisk, int watch, int kept, int keptLate, int broken, int approvals, int verbal, int activeAccounts,
        int brokenAccounts, int closedPlans, int openPlans, int overduePlans, int lessons) =>
        $"late {late}, at risk {atRisk}, watch {watch}; record {kept}/{keptLate}/{broken}; approvals {approvals}; verbal {verbal}; " +
        $"accounts {brokenAccounts}/{activeAccounts}; plans closed {closedPlans}, open {openPlans} ({overduePlans} overdue); lessons {lessons}";

    public static string Forecast(string? groupKey, int promises) => $"{groupKey ?? "lead time"} of {promises}";

    public static string Queue(int total, int shown, IEnumerable<int> tabCounts) => $"{shown} of {total}; tabs {string.Join("/", tabCounts)}";

    public static string Deal(int promises, int milestones, int checklist, int touchpoints, int communications, int history) =>
        $"{promises} promises, {milestones} milestones, {checklist} checklist items, {touchpoints} touchpoints, {communications} communications, {history} history rows";

    public static string Deals(int total, IEnumerable<Guid> firstPage) => $"{total} deals; first page {string.Join(",", firstPage.Select(id => id.ToString()[..8]))}";

    public static string Today(int touchpoints, int promises, int recoverySteps) => $"{touchpoints} touchpoints, {promises} promises, {recoverySteps} recovery steps";
}

using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Features.Dashboard;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Features.DeliveryRecords;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Features.Home;
using CommitmentTracker.Web.Features.Promises;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Tests.Performance;

/// <summary>The demo users whose pages are measured.</summary>
public sealed record DemoActors(Actor Manager, Actor Rep, Actor Service, Actor Fulfilment);

/// <summary>
/// The server work of each page as it first loads, made the way the page makes it. Every service the query-plan test
/// calls is built and called here and nowhere else, so a change to a service's signature is adapted in this one file.
/// Each method returns how many rows the page would show, so the test can tell a page that had nothing to read.
/// </summary>
public sealed class PageCalls
{
    /// <summary>The measured pages by name, in the order a user of each role meets them.</summary>
    public static IReadOnlyDictionary<string, Func<PageCalls, CancellationToken, Task<int>>> All { get; } =
        new Dictionary<string, Func<PageCalls, CancellationToken, Task<int>>>
        {
            ["Dashboard (manager)"] = (p, ct) => p.DashboardAsync(ct),
            ["Team deals (manager)"] = (p, ct) => p.TeamDealsAsync(ct),
            ["Recovery plans (manager)"] = (p, ct) => p.RecoveryPlansAsync(ct),
            ["Approvals (manager)"] = (p, ct) => p.ApprovalsAsync(ct),
            ["Today (rep)"] = (p, ct) => p.TodayAsync(ct),
            ["My deals (rep)"] = (p, ct) => p.MyDealsAsync(ct),
            ["Deal (rep)"] = (p, ct) => p.DealAsync(ct),
            ["Fulfilment queue (service)"] = (p, ct) => p.FulfilmentQueueAsync(p._actors.Service, ct),
            ["Fulfilment queue (fulfilment)"] = (p, ct) => p.FulfilmentQueueAsync(p._actors.Fulfilment, ct),
            ["Accounts (rep)"] = (p, ct) => p.AccountsAsync(p._actors.Rep, null, ct),
            ["Accounts search (manager)"] = (p, ct) => p.AccountsAsync(p._actors.Manager, "Lit", ct),
            ["Account (rep)"] = (p, ct) => p.AccountAsync(ct),
            // Searching promise texts ("telematics") is left out: on the demo company's few hundred promises the planner walks a
            // whole index rather than look up the trigrams, which it does from a few thousand rows on (decision 20).
            ["Top-bar search, two letters (manager)"] = (p, ct) => p.SearchAsync(p._actors.Manager, "Fl", ct),
            ["Alerts bell (rep)"] = (p, ct) => p.AlertsBellAsync(ct),
            ["Alerts panel (rep)"] = (p, ct) => p.AlertsPanelAsync(ct),
            ["Delivery record (manager)"] = (p, ct) => p.DeliveryRecordAsync(ct),
            ["Delivery record of a rep (rep)"] = (p, ct) => p.RepRecordAsync(ct),
            ["Shared delivery record (public)"] = (p, ct) => p.SharedRecordAsync(ct),
        };

    /// <summary>What a MudTable asks for first: page one of 25, with the column sort it starts with (none by default).</summary>
    private static PageRequest FirstPage(string? sortBy = null) => new(0, 25, sortBy, false);

    private readonly DemoActors _actors;
    private readonly Guid _repDealId;
    private readonly DashboardService _dashboard;
    private readonly RecoveryInsightsService _insights;
    private readonly DealsService _deals;
    private readonly RecoveryService _recovery;
    private readonly PromisesService _promises;
    private readonly HomeService _home;
    private readonly FulfilmentService _fulfilment;
    private readonly AlertsService _alerts;
    private readonly DeliveryRecordService _records;
    private readonly SharedRecordService _shared;
    private readonly CommitmentTracker.Web.Features.Accounts.AccountsService _accounts;
    private readonly CommitmentTracker.Web.Features.Search.SearchService _search;

    /// <param name="repDealId">A deal of the rep's, for the deal page.</param>
    public PageCalls(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, DemoActors actors, Guid repDealId)
    {
        _actors = actors;
        _repDealId = repDealId;
        _dashboard = new DashboardService(dbFactory, clock);
        _insights = new RecoveryInsightsService(dbFactory, clock);
        _deals = new DealsService(dbFactory, clock, new NewDealValidator(clock), new DealDetailsValidator(clock), new StageMoveValidator(clock));
        _recovery = new RecoveryService(dbFactory, clock, new MakeRoomValidator(), new OptionValidator(), new TellCustomerValidator(),
            new ComfortValidator(), new BossContactValidator(), new CompensationValidator(), new CloseValidator());
        _promises = new PromisesService(dbFactory, clock, new AddPromiseValidator(clock), new RenegotiateValidator(clock), new WaiveValidator(),
            new RejectAggressiveValidator());
        _home = new HomeService(dbFactory, clock);
        _fulfilment = new FulfilmentService(dbFactory, clock, new MilestoneUpdateValidator(clock), Options.Create(new FulfilmentOptions()));
        _alerts = new AlertsService(dbFactory, clock);
        _records = new DeliveryRecordService(dbFactory, clock, new ShareRecordValidator());
        _shared = new SharedRecordService(dbFactory, clock);
        _accounts = new CommitmentTracker.Web.Features.Accounts.AccountsService(dbFactory, clock, new CommitmentTracker.Web.Features.Accounts.ContactValidator());
        _search = new CommitmentTracker.Web.Features.Search.SearchService(dbFactory);
    }

    /// <summary>The accounts list as it opens: reps and managers start on their own customers, sorted by name.</summary>
    public async Task<int> AccountsAsync(Actor actor, string? search, CancellationToken cancellationToken)
    {
        var query = new CommitmentTracker.Web.Features.Accounts.AccountListQuery(Search: search, OnlyMine: search is null);
        return (await _accounts.ListAsync(actor, query, FirstPage("name"), cancellationToken)).Items.Count;
    }

    /// <summary>The account of the rep's deal: its view, then the first page of its promises.</summary>
    public async Task<int> AccountAsync(CancellationToken cancellationToken)
    {
        var deal = await _deals.GetAsync(_actors.Rep, _repDealId, cancellationToken);
        var accountId = deal!.Account.Id;
        var view = await _accounts.GetAsync(_actors.Rep, accountId, cancellationToken);
        var promises = await _accounts.PromisesAsync(_actors.Rep, accountId, null, new PageRequest(0, 10), cancellationToken);
        return (view?.Deals.Count ?? 0) + promises.Items.Count;
    }

    /// <summary>What the top bar's search asks as the user types.</summary>
    public async Task<int> SearchAsync(Actor actor, string text, CancellationToken cancellationToken) =>
        (await _search.SearchAsync(actor, text, CommitmentTracker.Web.Features.Search.SearchService.PerGroupInTopBar, cancellationToken)).All.Count();

    /// <summary>The dashboard and its recovery insights section (the manager's own team), and the rows behind a number.</summary>
    public async Task<int> DashboardAsync(CancellationToken cancellationToken)
    {
        var view = await _dashboard.GetAsync(_actors.Manager, new DashboardFilter(), cancellationToken);
        var insights = await _insights.GetAsync(_actors.Manager, null, cancellationToken: cancellationToken);
        var behind = await _dashboard.RecordRowsAsync(_actors.Manager, null, new RecordFilter(), FirstPage(), cancellationToken);
        return view.AtRisk.Count + view.Watch.Count + behind.Items.Count + insights.Lessons.Count;
    }

    public async Task<int> TeamDealsAsync(CancellationToken cancellationToken) =>
        (await _deals.ListAsync(_actors.Manager, new DealListQuery(), FirstPage(), cancellationToken)).Items.Count;

    /// <summary>The recovery plans page opens on its "Open" filter.</summary>
    public async Task<int> RecoveryPlansAsync(CancellationToken cancellationToken) =>
        (await _recovery.ListAsync(_actors.Manager, RecoveryListFilter.Open, cancellationToken)).Count;

    public async Task<int> ApprovalsAsync(CancellationToken cancellationToken) =>
        (await _promises.PendingApprovalsAsync(_actors.Manager, cancellationToken)).Count;

    public async Task<int> TodayAsync(CancellationToken cancellationToken)
    {
        var view = await _home.GetAsync(_actors.Rep, cancellationToken);
        return view.Touchpoints.Count + view.Promises.Count;
    }

    public async Task<int> MyDealsAsync(CancellationToken cancellationToken) =>
        (await _deals.ListAsync(_actors.Rep, new DealListQuery(), FirstPage(), cancellationToken)).Items.Count;

    public async Task<int> DealAsync(CancellationToken cancellationToken) =>
        (await _deals.GetAsync(_actors.Rep, _repDealId, cancellationToken))?.Deal.Commitments.Count ?? 0;

    /// <summary>The tab counts, then the first tab ("Assigned to me") sorted by its initial column, planned date ascending.</summary>
    public async Task<int> FulfilmentQueueAsync(Actor staff, CancellationToken cancellationToken)
    {
        await _fulfilment.CountsAsync(staff, cancellationToken);
        return (await _fulfilment.QueueAsync(staff, QueueTab.AssignedToMe, new QueueFilter(), FirstPage("planned"), cancellationToken)).Items.Count;
    }

    /// <summary>What the bell in the top bar asks on every page load: the unread count.</summary>
    public Task<int> AlertsBellAsync(CancellationToken cancellationToken) =>
        _alerts.UnreadCountAsync(_actors.Rep, cancellationToken);

    /// <summary>Opening the bell: the latest 20 alerts and the count again.</summary>
    public async Task<int> AlertsPanelAsync(CancellationToken cancellationToken)
    {
        var alerts = await _alerts.ListAsync(_actors.Rep, 20, cancellationToken);
        await _alerts.UnreadCountAsync(_actors.Rep, cancellationToken);
        return alerts.Count;
    }

    /// <summary>The team's record with each rep's, and the active shared links (the manager's view).</summary>
    public async Task<int> DeliveryRecordAsync(CancellationToken cancellationToken)
    {
        var view = await _records.GetAsync(_actors.Manager, null, cancellationToken);
        var links = await _records.LinksAsync(_actors.Manager, cancellationToken);
        return view.ByQuarter.Count + view.ByRep.Count + links.Count;
    }

    public async Task<int> RepRecordAsync(CancellationToken cancellationToken) =>
        (await _records.GetRepAsync(_actors.Rep, _actors.Rep.UserId, cancellationToken)).ByQuarter.Count;

    /// <summary>A visitor opening a link to the team's record (the link is created first, as the rep).</summary>
    public async Task<int> SharedRecordAsync(CancellationToken cancellationToken)
    {
        var link = await _records.CreateLinkAsync(_actors.Rep, new ShareRecordInput(), cancellationToken);
        var shown = await _shared.GetAsync(link.Token, cancellationToken);
        return shown.Record?.Figures.ByQuarter.Count ?? 0;
    }
}

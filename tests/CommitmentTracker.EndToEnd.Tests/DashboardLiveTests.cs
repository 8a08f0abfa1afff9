using System.Globalization;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// The manager's dashboard is live: a service user blocks a milestone in the fulfilment queue, and the manager, who has
/// the dashboard open in another browser, sees the promise arrive in the at-risk list, the At-risk tile and the alert
/// bell rise, without reloading.
/// </summary>
public sealed class DashboardLiveTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    // The demo's "Warehouse scanners rollout": its delivery is promised in 12 days and its WMS milestone is in progress,
    // forecast 4 days before the promised date, assigned to Femi Adeyemi (fulfilment@). The demo also has the
    // customer's site-access promise 4 days overdue, which puts every promise of the deal at risk (customer-caused):
    // the rep first waives that promise, so the delivery is on track when the manager opens the dashboard.
    private const string DealTitle = "Warehouse scanners rollout";
    private const string Delivery = "Deliver 120 handheld scanners configured for the WMS";
    private const string CustomersOverduePromise = "Give the installer access to both sites for a Wi-Fi survey";
    private const string MilestoneTitle = "Configure WMS profiles";
    private const string BlockedReason = "The customer's WMS test system is down until the vendor patches it.";

    // The change notification travels through PostgreSQL LISTEN/NOTIFY, and the dashboard debounces a burst of
    // changes: allow for a slow machine.
    private static readonly LocatorAssertionsToHaveCountOptions LiveCount = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToHaveTextOptions LiveText = new() { Timeout = 60_000 };

    [Fact]
    public async Task A_promise_pushed_to_at_risk_by_a_service_update_appears_on_the_managers_open_dashboard_with_the_bell_count_without_a_reload()
    {
        var rep = await OpenPageAsync();
        var manager = await OpenPageAsync();
        var service = await OpenPageAsync();
        await rep.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
        await service.SignInAsync(DemoUsers.Fulfilment, DemoUsers.Password);

        // Arrange: the rep waives the customer's overdue promise (the survey was done another way), which leaves the
        // delivery on track.
        await rep.GetByTestId("nav-deals").ClickAsync();
        await rep.GetByTestId("deals-table").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = DealTitle }).ClickAsync();
        await Expect(rep.GetByTestId("deal-title")).ToHaveTextAsync(DealTitle);
        // Our promises' risk reasons quote the customer's promise too: find its row by its own description.
        var customersPromise = rep.GetByTestId("promises").Locator("tbody tr").Filter(new LocatorFilterOptions
        {
            Has = rep.GetByTestId("promise-row-description").GetByText(CustomersOverduePromise, new LocatorGetByTextOptions { Exact = true }),
        });
        await customersPromise.GetByTestId("waive-promise").ClickAsync();
        await rep.GetByTestId("waive-reason").FillAsync("The installer surveyed the Wi-Fi from the floor plans; agreed with Hannah on the phone.");
        await rep.GetByTestId("waive-confirm").CheckAsync();
        await rep.SaveDialogAsync("waive-save");
        await Expect(customersPromise).ToContainTextAsync("Waived");

        // The manager lands on the dashboard: the delivery is not in the at-risk list. The figures before the change.
        await manager.SignInAsync(DemoUsers.Manager, DemoUsers.Password);
        Assert.Equal("/dashboard", manager.Path());
        await Expect(manager.GetByTestId("at-risk-list")).ToBeVisibleAsync();
        var rows = manager.GetByTestId("at-risk-row");
        var deliveryRow = rows.Filter(new LocatorFilterOptions { HasText = Delivery });
        await Expect(deliveryRow).ToHaveCountAsync(0);
        var atRiskTile = manager.GetByTestId("tile-at-risk").GetByTestId("tile-value");
        var lateTile = manager.GetByTestId("tile-late").GetByTestId("tile-value");
        var rowsBefore = await rows.CountAsync();
        var atRiskBefore = int.Parse(await atRiskTile.InnerTextAsync(), CultureInfo.InvariantCulture);
        var lateBefore = (await lateTile.InnerTextAsync()).Trim();
        // The bell shows once its count has loaded.
        await Expect(manager.GetByTestId("alert-bell")).ToBeVisibleAsync();
        var bellCount = manager.GetByTestId("alert-count");
        var bellBefore = await bellCount.CountAsync() == 0 ? 0 : int.Parse(await bellCount.InnerTextAsync(), CultureInfo.InvariantCulture);
        // Marks this document: a reload would start a new one without the mark.
        await manager.EvaluateAsync("() => { window.__ctSameDocument = true; }");

        // The service user blocks the delivery's WMS milestone from the queue; its forecast stays within the promise.
        Assert.Equal("/fulfilment", service.Path());
        await service.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Assigned to me" }).ClickAsync();
        var queueRow = service.GetByTestId("queue").Locator("tbody tr", new LocatorLocatorOptions { HasText = MilestoneTitle });
        await Expect(queueRow).ToContainTextAsync(DealTitle);
        await queueRow.Locator("[data-testid^='update-']").ClickAsync();
        await service.ChooseAsync("milestone-status", "Blocked");
        await service.GetByTestId("milestone-reason").FillAsync(BlockedReason);
        await service.SaveDialogAsync("milestone-save");
        await Expect(queueRow).ToContainTextAsync("Blocked");

        // The manager's dashboard follows without a reload: the delivery arrives at risk, the tile and the bell rise.
        await Expect(deliveryRow).ToHaveCountAsync(1, LiveCount);
        await Expect(deliveryRow).ToHaveAttributeAsync("data-level", "AtRisk");
        await Expect(deliveryRow).ToContainTextAsync(DealTitle);
        await Expect(deliveryRow.GetByTestId("at-risk-reasons")).ToContainTextAsync($"{MilestoneTitle} is blocked");
        await Expect(rows).ToHaveCountAsync(rowsBefore + 1, LiveCount);
        await Expect(atRiskTile).ToHaveTextAsync((atRiskBefore + 1).ToString(CultureInfo.InvariantCulture), LiveText);
        await Expect(lateTile).ToHaveTextAsync(lateBefore);
        await Expect(bellCount).ToHaveTextAsync((bellBefore + 1).ToString(CultureInfo.InvariantCulture), LiveText);
        await Expect(manager.GetByTestId("alert-bell")).ToHaveAttributeAsync("aria-label", $"Alerts, {bellBefore + 1} unread");

        // The newest alert names the promise and why.
        await manager.GetByTestId("alert-bell").ClickAsync();
        var newest = manager.GetByTestId("alert-item").First;
        await Expect(newest).ToContainTextAsync($"At risk: {Delivery} ({DealTitle})");
        await Expect(newest).ToContainTextAsync(BlockedReason);

        Assert.True(await manager.EvaluateAsync<bool>("() => window.__ctSameDocument === true"), "The manager's dashboard was reloaded.");
        Assert.DoesNotContain(BrowserErrors, error => error.StartsWith("page error", StringComparison.Ordinal));
    }
}

using System.Globalization;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// Live updates across browsers: a service user blocks a milestone in the fulfilment queue, and the rep, who has the
/// deal open in another browser, sees it change (and who did it) without reloading.
/// </summary>
public sealed class LiveMilestoneTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    // The demo's "Warehouse scanners rollout": its delivery is promised in 12 days, and the WMS milestone of it is
    // in progress and assigned to Femi Adeyemi (fulfilment@).
    private const string DealTitle = "Warehouse scanners rollout";
    private const string MilestoneTitle = "Configure WMS profiles";
    private const string BlockedReason = "The customer's WMS test system is down until the vendor patches it.";

    // The change notification travels through PostgreSQL LISTEN/NOTIFY: allow for a slow machine.
    private static readonly LocatorAssertionsToContainTextOptions Live = new() { Timeout = 60_000 };

    [Fact]
    public async Task A_milestone_blocked_in_the_queue_shows_on_the_reps_open_deal_page_with_who_did_it_without_a_reload()
    {
        var rep = await OpenPageAsync();
        var service = await OpenPageAsync();
        await rep.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
        await service.SignInAsync(DemoUsers.Fulfilment, DemoUsers.Password);

        // The rep opens the deal from the list.
        await rep.GetByTestId("nav-deals").ClickAsync();
        await rep.GetByTestId("deals-table").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = DealTitle }).ClickAsync();
        await Expect(rep.GetByTestId("deal-title")).ToHaveTextAsync(DealTitle);
        var milestoneOnDeal = rep.GetByTestId("milestone-line").Filter(new LocatorFilterOptions { HasText = MilestoneTitle });
        await Expect(milestoneOnDeal).ToContainTextAsync("In progress");
        await Expect(rep.GetByTestId("deal-history")).Not.ToContainTextAsync("Femi Adeyemi");
        // Marks this document: a reload would start a new one without the mark.
        await rep.EvaluateAsync("() => { window.__ctSameDocument = true; }");

        // The service user blocks the milestone from the queue, forecasting it past the promised date.
        Assert.Equal("/fulfilment", service.Path());
        await service.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Assigned to me" }).ClickAsync();
        var row = service.GetByTestId("queue").Locator("tbody tr", new LocatorLocatorOptions { HasText = MilestoneTitle });
        await Expect(row).ToContainTextAsync(DealTitle);
        var promised = DateOnly.ParseExact((await row.Locator("td[data-label='Promised']").InnerTextAsync()).Trim(), "d MMM yyyy", CultureInfo.InvariantCulture);
        var forecast = promised.AddDays(5);

        await row.Locator("[data-testid^='update-']").ClickAsync();
        await service.ChooseAsync("milestone-status", "Blocked");
        await service.GetByTestId("milestone-reason").FillAsync(BlockedReason);
        await service.GetByTestId("milestone-forecast").FillAsync(forecast.ToString("d MMM yyyy", CultureInfo.InvariantCulture));
        await service.GetByTestId("milestone-forecast").PressAsync("Tab");
        await service.SaveDialogAsync("milestone-save");
        await Expect(row).ToContainTextAsync("Blocked");

        // The rep's page follows, without a reload, and says who changed what.
        await Expect(milestoneOnDeal).ToContainTextAsync("Blocked", Live);
        await Expect(milestoneOnDeal).ToContainTextAsync(BlockedReason);
        await Expect(milestoneOnDeal).ToContainTextAsync($"forecast {forecast.ToString("d MMM yyyy", CultureInfo.InvariantCulture)}");
        var history = rep.GetByTestId("deal-history").Locator("tr", new LocatorLocatorOptions { HasText = "Femi Adeyemi" });
        await Expect(history.Filter(new LocatorFilterOptions { HasText = "Blocked" }).First).ToBeVisibleAsync();
        Assert.True(await rep.EvaluateAsync<bool>("() => window.__ctSameDocument === true"), "The rep's page was reloaded.");
        Assert.DoesNotContain(BrowserErrors, error => error.StartsWith("page error", StringComparison.Ordinal));
    }
}

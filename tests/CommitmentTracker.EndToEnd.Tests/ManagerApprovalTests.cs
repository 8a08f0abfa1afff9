using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>A manager deciding on an aggressive promise of the team, in a real browser.</summary>
public sealed class ManagerApprovalTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    // The demo's "Line monitoring pilot" promises an installation in 10 days against a standard lead time of 28.
    private const string DealTitle = "Line monitoring pilot";
    private const string AggressivePromise = "Install 12 vibration sensors on line 3";

    [Fact]
    public async Task A_manager_approves_an_aggressive_promise_which_leaves_the_list_and_shows_approved_on_the_deal()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Manager, DemoUsers.Password);

        await page.GetByTestId("nav-approvals").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Approvals");
        var row = page.GetByTestId("approvals").Locator("tbody tr", new LocatorLocatorOptions { HasText = AggressivePromise });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync(DealTitle);
        await Expect(row).ToContainTextAsync("Rita Reyes");

        await row.GetByTestId("approve-promise").ClickAsync();

        await Expect(page.GetByTestId("approval-description").Filter(new LocatorFilterOptions { HasText = AggressivePromise })).ToHaveCountAsync(0);
        await Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = $"Approved: {AggressivePromise}." })).ToBeVisibleAsync();

        // The deal shows the promise as approved, by the manager.
        await page.GotoAsync("deals");
        await page.WaitForInteractiveAsync();
        await page.GetByTestId("deals-table").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = DealTitle }).ClickAsync();
        await Expect(page.GetByTestId("deal-title")).ToHaveTextAsync(DealTitle);
        var promise = page.GetByTestId("promises").Locator("tbody tr", new LocatorLocatorOptions { HasText = AggressivePromise });
        await Expect(promise.GetByTestId("promise-aggressive-chip")).ToHaveTextAsync("Aggressive · approved");
        Assert.DoesNotContain(BrowserErrors, error => error.StartsWith("page error", StringComparison.Ordinal));
    }
}

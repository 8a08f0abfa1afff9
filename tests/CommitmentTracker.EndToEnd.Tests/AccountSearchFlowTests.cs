using System.Globalization;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>Finding a customer from the top bar, as a new rep would, and the search page Enter leads to.</summary>
public sealed class AccountSearchFlowTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    private const string SearchLabel = "Search deals, accounts and promises";

    [Fact]
    public async Task A_rep_finds_a_customer_by_typing_part_of_its_name_in_the_top_bar_opens_the_account_and_sees_every_promise_made_to_it()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);

        // Part of "Litware Energy", in another case: the list offers the account.
        var search = page.GetByTestId("global-search").Locator("input");
        await Expect(search).ToHaveAccessibleNameAsync(SearchLabel);
        await search.PressSequentiallyAsync("TWAR");
        var hit = page.Locator(".mud-popover-open").GetByText("Litware Energy", new LocatorGetByTextOptions { Exact = true });
        await hit.ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/accounts/", StringComparison.Ordinal));
        await Expect(page.GetByTestId("account-name")).ToHaveTextAsync("Litware Energy");

        // Every promise made to it: the count the account gives, each listed, the same as on its deal.
        var all = page.GetByTestId("promises-by-status").Locator(".mud-chip").First;
        await Expect(all).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^All \d+$"));
        var count = int.Parse((await all.InnerTextAsync())["All ".Length..], CultureInfo.InvariantCulture);
        Assert.True(count >= 2, $"The demo's Litware Energy has two promises; the account shows {count}.");
        var rows = page.GetByTestId("account-promises").Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(count);
        await Expect(page.GetByTestId("account-promises")).ToContainTextAsync("Deliver and fit trackers in 85 vans");
        await Expect(page.GetByTestId("account-promises")).ToContainTextAsync("Bring vans to the depot in batches of 10");
        await Expect(page.GetByTestId("account-contacts")).ToContainTextAsync("Ken Adams");
        await Expect(page.GetByTestId("account-contacts")).ToContainTextAsync("May contact their manager");

        await page.GetByTestId("account-deals").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Fleet telematics" }).ClickAsync();
        await Expect(page.GetByTestId("deal-title")).ToHaveTextAsync("Fleet telematics");
        await Expect(page.GetByTestId("promises").GetByTestId("promise-row-description")).ToHaveCountAsync(count);

        // And back to the account from the deal's header.
        await page.GetByTestId("deal-account-link").ClickAsync();
        await Expect(page.GetByTestId("account-name")).ToHaveTextAsync("Litware Energy");
    }

    [Fact]
    public async Task Enter_in_the_top_bar_search_opens_the_results_page_with_deals_accounts_and_promises()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);

        var search = page.GetByTestId("global-search").Locator("input");
        await search.PressSequentiallyAsync("telematics");
        await search.PressAsync("Enter");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/search");
        await Expect(page.GetByTestId("search-group-Deal")).ToContainTextAsync("Fleet telematics");
        await Expect(page.GetByTestId("search-page-input")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_390_px_phone_the_search_box_gives_way_to_a_search_link_in_the_navigation()
    {
        var page = await OpenPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);

        // The box takes no room in the top bar at this width.
        await Expect(page.GetByTestId("global-search")).ToBeHiddenAsync();
        await page.WaitForInteractiveAsync();
        var navSearch = page.GetByTestId("nav-search");
        // The drawer slides in; on a busy machine a toggle clicked while the page re-rendered can be lost, so it is
        // toggled again until the link is on screen.
        for (var tries = 1; ; tries++)
        {
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Show or hide the navigation" }).ClickAsync();
            try
            {
                await Expect(navSearch).ToBeInViewportAsync(new LocatorAssertionsToBeInViewportOptions { Timeout = 10_000 });
                break;
            }
            catch (PlaywrightException) when (tries < 3)
            {
            }
        }
        await navSearch.ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/search");
        await page.GetByTestId("search-page-input").FillAsync("Litware");
        await page.GetByTestId("search-page-submit").ClickAsync();
        await Expect(page.GetByTestId("search-group-Account")).ToContainTextAsync("Litware Energy");
    }

    [Fact]
    public async Task A_rep_of_another_team_finds_the_customer_but_not_the_other_teams_deal_or_promises()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep2, DemoUsers.Password);

        await page.GotoAsync("search?q=Litware");
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("search-group-Account")).ToContainTextAsync("Litware Energy");
        await Expect(page.GetByTestId("search-group-Deal")).ToContainTextAsync("None.");

        await page.GetByTestId("search-group-Account").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "Litware Energy" }).ClickAsync();
        await Expect(page.GetByTestId("account-name")).ToHaveTextAsync("Litware Energy");
        await Expect(page.GetByTestId("account-deals")).ToContainTextAsync("No deals with this customer that you can see.");
        await Expect(page.GetByTestId("account-promises")).Not.ToContainTextAsync("Deliver and fit trackers");
        await Expect(page.GetByTestId("add-contact")).ToHaveCountAsync(0);
    }
}

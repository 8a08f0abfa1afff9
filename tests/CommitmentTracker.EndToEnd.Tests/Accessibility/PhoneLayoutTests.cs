using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Security;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests.Accessibility;

/// <summary>
/// The app on a 390 x 844 phone: no page is wider than the screen, the navigation folds behind a menu button, and a
/// manager reaches an at-risk promise from the dashboard.
/// </summary>
public sealed class PhoneLayoutTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    public static TheoryData<string> Roles() => [.. AppRoles.All];

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task No_page_a_role_reaches_is_wider_than_a_390_px_phone(string role)
    {
        var page = await OpenPageAsync(viewport: Phone);
        await page.SignInAsync(RolePageMatrixTests.UserOf[role], DemoUsers.Password);
        var pages = await DemoPages.FindAsync(App);
        await page.WaitForContentAsync();

        // The menu is folded away; its button opens it.
        var menu = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Show or hide the navigation" });
        // The drawer settles closed once MudBlazor has measured the screen: wait for that before tapping the button.
        await Expect(page.Locator("#app-navigation.mud-drawer--closed")).ToHaveCountAsync(1);
        await Expect(page.Locator("#app-navigation")).Not.ToBeInViewportAsync();
        await menu.ClickAsync();
        await Expect(page.Locator("#app-navigation")).ToBeInViewportAsync();
        var paths = (await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('#app-navigation a[href]')]
                .map(a => new URL(a.href, document.baseURI))
                .filter(u => u.origin === location.origin)
                .map(u => u.pathname)
            """)).Distinct().ToList();
        paths.AddRange([$"/deals/{pages.DealWithPlan}", $"/recovery/{pages.Plan}"]);

        var tooWide = new List<string>();
        foreach (var path in paths)
        {
            await page.GotoAsync(path);
            await page.WaitForInteractiveAsync();
            await page.WaitForContentAsync();
            var (scrollWidth, clientWidth, culprit) = await WidthAsync(page);
            if (scrollWidth > clientWidth)
                tooWide.Add($"{path}: {scrollWidth} px wide on a {clientWidth} px screen (widest: {culprit})");
        }

        Assert.True(paths.Count >= 3, $"{role}'s menu offered {string.Join(", ", paths)}");
        Assert.True(tooWide.Count == 0, string.Join(Environment.NewLine, tooWide));
    }

    [Fact]
    public async Task A_manager_signs_in_on_a_phone_and_opens_an_at_risk_promise_from_the_dashboard()
    {
        var page = await OpenPageAsync(viewport: Phone);
        await page.SignInAsync(DemoUsers.Manager, DemoUsers.Password);
        Assert.Equal("/dashboard", page.Path());
        await page.WaitForContentAsync();

        var row = page.GetByTestId("at-risk-row").First;
        await row.ScrollIntoViewIfNeededAsync();
        await Expect(row).ToBeInViewportAsync();
        var promise = (await row.Locator("td[data-label='Promise'] .mud-typography-body2").First.InnerTextAsync()).Trim();
        var (width, screen, _) = await WidthAsync(page);
        Assert.True(width <= screen, $"The dashboard is {width} px wide on a {screen} px phone.");

        await row.Locator("td[data-label='Account · deal'] a").TapAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/deals/", StringComparison.Ordinal));
        await page.WaitForContentAsync();
        var promiseRow = page.GetByTestId("promise-row-description").Filter(new LocatorFilterOptions { HasText = promise });
        await promiseRow.ScrollIntoViewIfNeededAsync();
        await Expect(promiseRow).ToBeInViewportAsync();
        (width, screen, _) = await WidthAsync(page);
        Assert.True(width <= screen, $"The deal page is {width} px wide on a {screen} px phone.");
    }

    /// <summary>The document's width, the screen's, and the element that reaches furthest right (to say what to fix).</summary>
    private static async Task<(int ScrollWidth, int ClientWidth, string Culprit)> WidthAsync(IPage page)
    {
        var result = await page.EvaluateAsync<string[]>(
            """
            () => {
                const root = document.documentElement;
                let widest = null, right = 0;
                for (const el of document.body.querySelectorAll('*')) {
                    const r = el.getBoundingClientRect().right;
                    if (r > right + 0.5) { right = r; widest = el; }
                }
                const name = widest ? widest.tagName.toLowerCase() + (widest.className && typeof widest.className === 'string' ? '.' + widest.className.trim().split(/\s+/).join('.') : '') + ' ' + Math.round(right) + ' px' : '';
                return [String(root.scrollWidth), String(root.clientWidth), name];
            }
            """);
        return (int.Parse(result[0], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(result[1], System.Globalization.CultureInfo.InvariantCulture), result[2]);
    }
}

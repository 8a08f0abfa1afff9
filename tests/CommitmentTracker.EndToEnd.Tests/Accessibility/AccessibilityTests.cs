using CommitmentTracker.Domain.Deals;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests.Accessibility;

/// <summary>
/// axe-core on every page each role's navigation reaches (links found in the rendered navigation, so a page added to a
/// menu later is checked without a change here), the main detail pages and the main dialogs: no serious or critical
/// violation anywhere.
/// </summary>
public sealed class AccessibilityTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    public static TheoryData<string> Roles() => [.. AppRoles.All];

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Every_page_a_role_reaches_has_no_serious_accessibility_violation(string role)
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(RolePageMatrixTests.UserOf[role], DemoUsers.Password);
        var pages = await DemoPages.FindAsync(App);

        var detailPages = new List<string> { $"deals/{pages.VerbalDeal}", $"deals/{pages.DealWithPlan}", $"recovery/{pages.Plan}" };
        if (role is AppRoles.Rep or AppRoles.Manager)
            detailPages.Add("deals/new");

        var visited = await VisitNavigationAsync(page, role, detailPages);
        var problems = visited.Problems;

        Assert.True(visited.Paths.Count >= 3, $"{role} reached only {string.Join(", ", visited.Paths)} from the navigation.");
        Assert.True(problems.Count == 0,
            $"{problems.Count} serious or critical violations for {role} on {string.Join(", ", visited.Paths)}:{Environment.NewLine}" +
            string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task The_sign_in_page_has_no_serious_accessibility_violation()
    {
        var page = await OpenPageAsync();
        await page.GotoAsync(AppPages.LoginPath);
        await Expect(page.Locator("h1")).ToBeVisibleAsync();

        var problems = await page.SeriousViolationsAsync("/Account/Login");

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public async Task The_main_dialogs_of_a_deal_have_no_serious_accessibility_violation()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
        var pages = await DemoPages.FindAsync(App);
        await page.GotoAsync($"deals/{pages.VerbalDeal}");
        await page.WaitForContentAsync();
        var problems = new List<string>();

        foreach (var (button, name) in new[] { ("log-communication", "Log a communication"), ("add-promise", "Add promise"), ("edit-deal", "Edit deal") })
        {
            await page.GetByTestId(button).ClickAsync();
            await Expect(page.OpenDialog()).ToBeVisibleAsync();
            problems.AddRange(await page.SeriousViolationsAsync($"dialog '{name}'"));
            await page.OpenDialog().GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel", Exact = true }).ClickAsync();
            await Expect(page.OpenDialog()).ToHaveCountAsync(0);
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// Visits the start page, then every link of every navigation landmark found on the way (the main menu, the
    /// administration tabs), then the given detail pages; runs axe on each.
    /// </summary>
    private static async Task<(List<string> Paths, List<string> Problems)> VisitNavigationAsync(IPage page, string role, IEnumerable<string> detailPages)
    {
        var problems = new List<string>();
        var visited = new List<string>();
        var queue = new Queue<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        async Task CheckAsync(string path)
        {
            await page.GotoAsync(path);
            await page.WaitForInteractiveAsync();
            await page.WaitForContentAsync();
            visited.Add(page.Path());
            problems.AddRange(await page.SeriousViolationsAsync($"{role} {page.Path()}"));
            foreach (var link in await NavigationLinksAsync(page))
            {
                if (seen.Add(link))
                    queue.Enqueue(link);
            }
        }

        // The start page ("/" sends each role to its own page), then whatever the navigation links to.
        await page.GotoAsync("/");
        await page.WaitForInteractiveAsync();
        seen.Add("/");
        seen.Add(page.Path());
        await CheckAsync(page.Path());
        while (queue.TryDequeue(out var next))
            await CheckAsync(next);
        foreach (var detail in detailPages)
            await CheckAsync(detail);

        return (visited, problems);
    }

    /// <summary>The app's own paths linked from the page's navigation landmarks.</summary>
    private static async Task<IReadOnlyList<string>> NavigationLinksAsync(IPage page)
    {
        var hrefs = await page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('nav a[href], [role=navigation] a[href]')]
                .map(a => new URL(a.href, document.baseURI))
                .filter(u => u.origin === location.origin && !u.pathname.startsWith('/Account/'))
                .map(u => u.pathname)
            """);
        return [.. hrefs.Distinct(StringComparer.OrdinalIgnoreCase)];
    }
}

/// <summary>Demo records the accessibility and phone tests open: a verbal deal of the rep, the deal with the open recovery plan, the plan.</summary>
internal sealed record DemoPages(Guid VerbalDeal, Guid DealWithPlan, Guid Plan)
{
    public static async Task<DemoPages> FindAsync(AppHost app)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var scope = app.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(cancellationToken);
        var repId = await db.Users.Where(u => u.Email == DemoUsers.Rep).Select(u => u.Id).SingleAsync(cancellationToken);
        var verbal = await db.Deals.Where(d => d.OwnerId == repId && d.Stage == DealStage.Verbal)
            .OrderBy(d => d.Title).Select(d => d.Id).FirstAsync(cancellationToken);
        var plan = await db.RecoveryPlans.Where(p => p.ResolvedAt == null)
            .OrderBy(p => p.OpenedAt).Select(p => new { p.Id, p.DealId }).FirstAsync(cancellationToken);
        return new DemoPages(verbal, plan.DealId, plan.Id);
    }
}

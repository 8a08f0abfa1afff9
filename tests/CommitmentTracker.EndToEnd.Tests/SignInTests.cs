using System.Net;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>Signing in and out in a real browser, against the app with the demo company seeded.</summary>
public sealed class SignInTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    private static readonly string[] NavigationLinks = ["nav-deals", "nav-today", "nav-dashboard", "nav-approvals", "nav-fulfilment", "nav-admin", "nav-delivery-record", "nav-recovery"];

    /// <summary>
    /// Per demo role: its display name, where it lands, its own link (test id and label), its page's heading, the tab
    /// to open (if any) and a piece of demo data shown there.
    /// </summary>
    public static TheoryData<string, string, string, string, string, string, string?, string> Roles => new()
    {
        { DemoUsers.Rep, "Rita Reyes", "/home", "nav-deals", "My deals", "Today", null, "Warehouse scanners rollout" },
        { DemoUsers.Manager, "Marco Mancini", "/dashboard", "nav-deals", "Team deals", "Deliveries of North", null, "Fleet telematics" },
        // The WMS milestone is assigned to fulfilment@, not service@: it shows in the queue's "All open" tab.
        { DemoUsers.Service, "Sam Okafor", "/fulfilment", "nav-fulfilment", "Fulfilment", "Fulfilment queue", "All open", "Configure WMS profiles" },
        { DemoUsers.Admin, "Ada Novak", "/admin/users", "nav-admin", "Administration", "Users and teams", null, DemoUsers.Rep },
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Each_role_lands_on_its_own_page_and_sees_only_its_own_links(
        string email, string displayName, string homePath, string ownLink, string ownLinkLabel, string heading, string? tab, string demoData)
    {
        var page = await OpenPageAsync();

        await page.SignInAsync(email, DemoUsers.Password);

        Assert.Equal(homePath, page.Path());
        await Expect(page.GetByTestId(ownLink)).ToBeVisibleAsync();
        await Expect(page.GetByTestId(ownLink)).ToContainTextAsync(ownLinkLabel);
        // Every link a role has besides its own landing link; all others must be absent.
        var alsoLinked = email switch
        {
            DemoUsers.Manager => new[] { "nav-approvals", "nav-dashboard", "nav-today", "nav-delivery-record", "nav-recovery" },
            DemoUsers.Rep => ["nav-today", "nav-delivery-record", "nav-recovery"],
            DemoUsers.Admin => ["nav-dashboard", "nav-deals", "nav-fulfilment", "nav-delivery-record", "nav-recovery"],
            // Service staff read recovery plans (the list, each plan, read-only), as they read every deal.
            _ => ["nav-recovery"],
        };
        foreach (var link in alsoLinked)
        {
            await Expect(page.GetByTestId(link)).ToBeVisibleAsync();
        }

        foreach (var otherLink in NavigationLinks.Where(link => link != ownLink && !alsoLinked.Contains(link)))
        {
            await Expect(page.GetByTestId(otherLink)).ToHaveCountAsync(0);
        }

        await Expect(page.GetByTestId("current-user")).ToContainTextAsync(displayName);
        var main = page.Locator("#main-content");
        await Expect(main.Locator("h1")).ToContainTextAsync(heading);
        if (tab is not null)
        {
            await main.GetByRole(AriaRole.Tab, new LocatorGetByRoleOptions { Name = tab }).ClickAsync();
        }

        await Expect(main).ToContainTextAsync(demoData);
        Assert.DoesNotContain(BrowserErrors, error => error.StartsWith("page error", StringComparison.Ordinal));

        if (email == DemoUsers.Rep)
        {
            await SaveDocumentationScreenshotAsync(page, "deals.png");
        }
    }

    [Fact]
    public async Task A_wrong_password_shows_a_clear_error_and_stays_on_the_login_page()
    {
        var page = await OpenPageAsync();
        await page.GotoAsync(AppPages.LoginPath);

        await page.SubmitSignInFormAsync(DemoUsers.Manager2, "Not-The-Password-1!");

        Assert.Equal("/Account/Login", page.Path());
        await Expect(page.GetByTestId("login-error")).ToHaveTextAsync("The email or password is not correct.");
        await Expect(page.GetByTestId("current-user")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_error_as_a_wrong_password()
    {
        var page = await OpenPageAsync();
        await page.GotoAsync(AppPages.LoginPath);

        await page.SubmitSignInFormAsync("nobody@demo.local", DemoUsers.Password);

        await Expect(page.GetByTestId("login-error")).ToHaveTextAsync("The email or password is not correct.");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_say_so()
    {
        // rep2 is used by no other test in this class: locking it affects nobody else.
        var page = await OpenPageAsync();
        await page.GotoAsync(AppPages.LoginPath);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await page.SubmitSignInFormAsync(DemoUsers.Rep2, $"Wrong-Password-{attempt}!");
            Assert.Equal("/Account/Login", page.Path());
            await Expect(page.GetByTestId("login-error")).ToHaveTextAsync("The email or password is not correct.");
        }

        await page.SubmitSignInFormAsync(DemoUsers.Rep2, "Wrong-Password-5!");

        Assert.Equal("/Account/Lockout", page.Path());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Account locked");
        await Expect(page.GetByTestId("lockout-message"))
            .ToContainTextAsync("This account is locked for 15 minutes after 5 failed sign-ins in a row.");

        // Even the right password is refused while the lockout lasts.
        await page.GotoAsync(AppPages.LoginPath);
        await page.SubmitSignInFormAsync(DemoUsers.Rep2, DemoUsers.Password);
        Assert.Equal("/Account/Lockout", page.Path());
    }

    [Fact]
    public async Task An_unknown_address_is_locked_out_after_as_many_failures_as_a_real_one()
    {
        var page = await OpenPageAsync();
        await page.GotoAsync(AppPages.LoginPath);
        var unknown = $"nobody-{Guid.NewGuid():N}@demo.local";

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await page.SubmitSignInFormAsync(unknown, $"Wrong-Password-{attempt}!");
            Assert.Equal("/Account/Login", page.Path());
            await Expect(page.GetByTestId("login-error")).ToHaveTextAsync("The email or password is not correct.");
        }

        await page.SubmitSignInFormAsync(unknown, "Wrong-Password-5!");

        // Exactly what a real account shows after its fifth failure (Five_wrong_passwords_lock_the_account_and_say_so).
        Assert.Equal("/Account/Lockout", page.Path());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Account locked");
        await Expect(page.GetByTestId("lockout-message"))
            .ToContainTextAsync("This account is locked for 15 minutes after 5 failed sign-ins in a row.");
        await page.GotoAsync(AppPages.LoginPath);
        await page.SubmitSignInFormAsync(unknown, DemoUsers.Password);
        Assert.Equal("/Account/Lockout", page.Path());
    }

    [Fact]
    public async Task Signed_out_a_protected_page_redirects_to_login_and_back_after_signing_in()
    {
        var page = await OpenPageAsync();

        await page.GotoAsync("deals");

        Assert.Equal("/Account/Login", page.Path());
        Assert.Contains("returnUrl=%2Fdeals", page.Url, StringComparison.OrdinalIgnoreCase);

        await page.SubmitSignInFormAsync(DemoUsers.Rep, DemoUsers.Password);
        await page.WaitForInteractiveAsync();
        Assert.Equal("/deals", page.Path());
    }

    [Fact]
    public async Task Signed_out_requests_to_the_app_redirect_to_login_but_the_liveness_check_answers()
    {
        using var client = App.CreateHttpClient();
        var cancellationToken = TestContext.Current.CancellationToken;

        using var live = await client.GetAsync(new Uri("health/live", UriKind.Relative), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);

        using var deals = await client.GetAsync(new Uri("deals", UriKind.Relative), cancellationToken);
        Assert.True(
            deals.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"GET /deals signed out answered {(int)deals.StatusCode}, expected a redirect to the login page.");
        Assert.Contains("Account/Login", deals.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_from_the_app_bar_returns_to_login_and_ends_the_session()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Manager, DemoUsers.Password);

        await page.ClickAndWaitForNewDocumentAsync(page.GetByTestId("sign-out"));

        Assert.Equal("/Account/Login", page.Path());
        await Expect(page.GetByTestId("current-user")).ToHaveCountAsync(0);

        await page.GotoAsync("deals");
        Assert.Equal("/Account/Login", page.Path());
    }
}

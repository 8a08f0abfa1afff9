using System.Net;
using System.Net.Http.Headers;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// A rep creates a personal API token in Chromium, sees it once, the API answers to it, and once revoked (after a
/// confirmation) the API refuses it; the list shows the token by name and prefix only.
/// </summary>
public sealed class ApiTokensFlowTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_rep_creates_a_token_sees_it_once_uses_it_and_it_stops_once_revoked()
    {
        var name = $"CRM sync {Guid.NewGuid():N}"[..17];
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
        await page.GotoAsync("settings");
        await page.WaitForInteractiveAsync();
        await page.GetByTestId("api-tokens-link").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("API tokens");

        await page.GetByTestId("token-name").FillAsync(name);
        await page.GetByTestId("token-create").ClickAsync();
        await Expect(page.GetByTestId("token-created")).ToBeVisibleAsync();
        var secret = await page.GetByTestId("token-secret").InputValueAsync();
        Assert.StartsWith("ct_", secret, StringComparison.Ordinal);
        using var crm = App.CreateClient();
        crm.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await crm.GetAsync(new Uri("api/v1/deals", UriKind.Relative), Cancel)).StatusCode);

        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        var row = page.GetByTestId("token-row").Filter(new LocatorFilterOptions { HasText = name });
        await Expect(row).ToContainTextAsync(secret[..11]);
        await Expect(page.GetByTestId("token-secret")).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        await row.GetByTestId("token-revoke").ClickAsync();
        await page.OpenDialog().GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Revoke", Exact = true }).ClickAsync();
        await Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "The token is revoked" })).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("Revoked");

        Assert.Equal(HttpStatusCode.Unauthorized, (await crm.GetAsync(new Uri("api/v1/deals", UriKind.Relative), Cancel)).StatusCode);
    }
}

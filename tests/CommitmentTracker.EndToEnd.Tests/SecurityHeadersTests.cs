using System.Collections.Concurrent;
using System.Net;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// The security headers on the app's responses, and the app working in Chromium under its Content-Security-Policy:
/// every page a role may open renders with no policy violation, and a click still round-trips through the circuit.
/// </summary>
public sealed class SecurityHeadersTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    // Records every violation the page reports, from before the first script runs (an init script is not subject to the policy).
    private const string RecordViolations =
        "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));";

    [Theory]
    [InlineData("Account/Login")]
    [InlineData("deals")]
    [InlineData("not-found")]
    [InlineData("_content/MudBlazor/MudBlazor.min.css")]
    public async Task Every_response_carries_the_security_headers_and_no_server_header(string path)
    {
        using var client = App.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        var policy = Header(response, "Content-Security-Policy");
        Assert.Contains("script-src 'self' 'nonce-", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline' ", policy.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)) + " ", StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Header(response, "Referrer-Policy"));
        Assert.False(response.Headers.Contains("Server"), $"Server header sent: {string.Join(",", response.Headers.Server)}");
        // Plain HTTP here: no HSTS (it is only sent over HTTPS, see HttpsResponseTests).
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_only_inline_script_carries_the_nonce_of_its_response()
    {
        using var client = App.CreateClient();

        using var response = await client.GetAsync(new Uri("Account/Login", UriKind.Relative), TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        var nonce = Header(response, "Content-Security-Policy").Split("'nonce-")[1].Split('\'')[0];
        // As the browser reads the attributes: the renderer HTML-encodes a nonce's "+" as "&#x2B;".
        var inline = System.Text.RegularExpressions.Regex.Matches(html, "<script(?![^>]*\\bsrc=)[^>]*>").Select(m => WebUtility.HtmlDecode(m.Value)).ToList();
        Assert.NotEmpty(inline);
        Assert.All(inline, tag => Assert.Contains($"nonce=\"{nonce}\"", tag, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Service)]
    [InlineData(AppRoles.Admin)]
    public async Task Every_page_a_role_may_open_renders_without_a_policy_violation(string role)
    {
        var page = await OpenPageAsync();
        await page.Context.AddInitScriptAsync(RecordViolations);
        var console = new ConcurrentQueue<string>();
        page.Console += (_, message) => console.Enqueue(message.Text);
        await page.SignInAsync(RolePageMatrixTests.UserOf[role], DemoUsers.Password);
        var (dealId, planId) = await RecordsOfNorthAsync();

        var visited = new List<string>();
        foreach (var (template, allowed) in RolePageMatrixTests.Allowed.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            // The sign-in pages are seen in the sign-in itself; the error page only after a failure.
            if (allowed == RolePageMatrixTests.Roles.Anyone || !allowed.Contains(role))
                continue;
            var path = template.Replace("{DealId:guid}", dealId.ToString(), StringComparison.Ordinal)
                .Replace("{PlanId:guid}", planId.ToString(), StringComparison.Ordinal);
            await page.GotoAsync(path.TrimStart('/'));
            await page.WaitForInteractiveAsync();
            var main = page.Locator("#main-content");
            await Expect(main.Locator("h1").First).ToBeVisibleAsync();
            await Expect(page.GetByTestId("no-access")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("deal-not-found")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("plan-not-found")).ToHaveCountAsync(0);
            var violations = await page.EvaluateAsync<string[]>("() => window.__cspViolations");
            Assert.True(violations.Length == 0, $"{role} on {path}: {string.Join("; ", violations)}");
            visited.Add(path);
        }

        Assert.NotEmpty(visited);
        Assert.DoesNotContain(console, text => text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(BrowserErrors, error => error.StartsWith("page error", StringComparison.Ordinal));

        // The circuit works under the policy: a click goes to the server and its render comes back.
        await page.GetByTestId("alert-bell").ClickAsync();
        await Expect(page.GetByTestId("alert-panel")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_sign_in_with_an_absolute_return_url_lands_on_the_home_page_of_this_site()
    {
        using var client = App.CreateClient();

        using var response = await client.PostLoginAsync(DemoUsers.Manager, DemoUsers.Password, returnUrl: "https://evil.example/");

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal(App.BaseAddress.Authority, (location.IsAbsoluteUri ? location : new Uri(App.BaseAddress, location)).Authority);
        Assert.Equal("/", (location.IsAbsoluteUri ? location : new Uri(App.BaseAddress, location)).AbsolutePath);
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task A_sign_in_with_another_sites_return_url_stays_on_this_site(string returnUrl)
    {
        using var client = App.CreateClient();

        using var response = await client.PostLoginAsync(DemoUsers.Admin, DemoUsers.Password, returnUrl);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = new Uri(App.BaseAddress, response.Headers.Location!);
        Assert.Equal(App.BaseAddress.Authority, location.Authority);
        Assert.Equal("/", location.AbsolutePath);
    }

    /// <summary>A deal of team North (rep@demo's) with a recovery plan: every demo role in the walk may read both.</summary>
    private async Task<(Guid DealId, Guid PlanId)> RecordsOfNorthAsync()
    {
        var factory = App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        var rep = await db.Users.SingleAsync(u => u.Email == DemoUsers.Rep, TestContext.Current.CancellationToken);
        var plan = await db.RecoveryPlans.Where(p => db.Deals.Any(d => d.Id == p.DealId && d.OwnerId == rep.Id))
            .Select(p => new { p.DealId, p.Id }).FirstAsync(TestContext.Current.CancellationToken);
        return (plan.DealId, plan.Id);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"No {name} header on {response.RequestMessage?.RequestUri}.");
}

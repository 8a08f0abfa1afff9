using System.Net;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// A user signed in through nginx on app1 stays signed in when app1 stops: nginx sends them to app2, whose circuit does
/// not know theirs, so the page reloads there, still signed in (the sign-in cookie's keys are in the database), and what
/// they saved on app1 is there. Its own pair of instances: this test stops one.
/// </summary>
public sealed class InstanceFailoverTests(TwoInstances instances, BrowserFixture browser)
    : IClassFixture<TwoInstances>, IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private const string DealTitle = "Warehouse scanners rollout";
    private const string MilestoneTitle = "Configure WMS profiles";
    private const string BlockedReason = "Waiting for the customer's WMS vendor to patch the test system.";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private IBrowserContext? _context;

    [Fact]
    public async Task A_user_signed_in_through_app1_stays_signed_in_on_app2_when_app1_stops_and_their_saved_change_is_there()
    {
        var service = await browser.NewPageAsync(instances.Nginx.BaseAddress);
        _context = service.Context;
        await instances.PinAsync(service, instances.App1);
        await service.SignInAsync(DemoUsers.Fulfilment, DemoUsers.Password);

        // On app1: the service user blocks a milestone and saves.
        Assert.Equal("/fulfilment", service.Path());
        await service.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Assigned to me" }).ClickAsync();
        var queueRow = service.GetByTestId("queue").Locator("tbody tr", new LocatorLocatorOptions { HasText = MilestoneTitle });
        await Expect(queueRow).ToContainTextAsync(DealTitle);
        await queueRow.Locator("[data-testid^='update-']").ClickAsync();
        await service.ChooseAsync("milestone-status", "Blocked");
        await service.GetByTestId("milestone-reason").FillAsync(BlockedReason);
        await service.SaveDialogAsync("milestone-save");
        await Expect(queueRow).ToContainTextAsync("Blocked");
        var servedBeforeStop = instances.Nginx.AccessLog.Count;
        Assert.All(instances.Nginx.AccessLog.Where(line => line.Contains("node=app1 ", StringComparison.Ordinal)),
            line => Assert.EndsWith($"upstream={TwoInstances.UpstreamOf(instances.App1)}", line.Trim(), StringComparison.Ordinal));
        await service.EvaluateAsync("() => { window.__ctSameDocument = true; }");

        // app1 stops, as an orchestrator stops it (SIGTERM).
        var stoppedAt = DateTimeOffset.UtcNow;
        await instances.App1.StopAsync(Cancel);

        // The circuit was app1's: the page reconnects through nginx to app2, which does not know it, and reloads there.
        await service.WaitForFunctionAsync("() => window.__ctSameDocument !== true && document.readyState === 'complete'", null,
            new PageWaitForFunctionOptions { Timeout = 90_000 });
        await service.WaitForInteractiveAsync();
        var backAt = DateTimeOffset.UtcNow;

        // Still signed in, on the same page, served by app2; the saved change is there.
        Assert.False(AppPages.IsLoginPage(service.Url), $"Signed out after the move to app2: {service.Url}");
        Assert.Equal("/fulfilment", service.Path());
        await service.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Assigned to me" }).ClickAsync();
        await Expect(queueRow).ToContainTextAsync("Blocked");
        await Expect(queueRow).ToContainTextAsync(DealTitle);
        var afterStop = instances.Nginx.AccessLog.Skip(servedBeforeStop).Where(line => line.Contains("\"GET /fulfilment", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(afterStop);
        Assert.All(afterStop, line => Assert.EndsWith(TwoInstances.UpstreamOf(instances.App2), line.Trim(), StringComparison.Ordinal));

        // The same cookie, sent straight to app2 without nginx, is a valid sign-in there.
        var cookies = await service.Context.CookiesAsync();
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        foreach (var cookie in cookies)
            handler.CookieContainer.Add(instances.App2.BaseAddress, new System.Net.Cookie(cookie.Name, cookie.Value, "/"));
        using var direct = new HttpClient(handler) { BaseAddress = instances.App2.BaseAddress };
        using var response = await direct.GetAsync(new Uri("fulfilment", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // One key, made by app1 as it started; app2 used it rather than making its own.
        await using (var db = instances.CreateDbContext())
            Assert.Single(await db.DataProtectionKeys.AsNoTracking().ToListAsync(Cancel));

        Figures.Record($"sign-in kept: a user signed in through app1 was back on the same page, still signed in, on app2 " +
            $"{(backAt - stoppedAt).TotalSeconds:F1} s after app1 was sent SIGTERM (the page reloaded by itself); their saved change was there");
    }

    public async ValueTask DisposeAsync() => await instances.CloseAsync(_context is null ? [] : [_context]);
}

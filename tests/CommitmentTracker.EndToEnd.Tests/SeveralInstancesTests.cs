using System.Globalization;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// Two instances of the app behind nginx with sticky sessions, on one PostgreSQL: a change made on one instance reaches
/// a page held open on the other without a reload; the sweep runs once between them; each alert is mailed once.
/// The figures are written to the test output and to e2e-logs/several-instances.txt (see docs/operations.md).
/// </summary>
public sealed class SeveralInstancesTests(TwoInstances instances, BrowserFixture browser)
    : IClassFixture<TwoInstances>, IClassFixture<BrowserFixture>, IAsyncDisposable
{
    // The demo's "Warehouse scanners rollout" (see DashboardLiveTests): the rep waives the customer's overdue promise,
    // so the delivery is on track; then the service user blocks its WMS milestone, which puts it at risk.
    private const string DealTitle = "Warehouse scanners rollout";
    private const string Delivery = "Deliver 120 handheld scanners configured for the WMS";
    private const string CustomersOverduePromise = "Give the installer access to both sites for a Wi-Fi survey";
    private const string MilestoneTitle = "Configure WMS profiles";
    private const string BlockedReason = "The customer's WMS test system is down until the vendor patches it.";

    // Notes (browser clock, the machine's) when the at-risk row of the promise first appears in this document.
    private const string WatchForRow = """
        delivery => {
            window.__ctSameDocument = true;
            window.__ctSeenAt = null;
            const seen = () => [...document.querySelectorAll("[data-testid='at-risk-row']")].some(row => row.textContent.includes(delivery));
            new MutationObserver(() => { if (window.__ctSeenAt === null && seen()) window.__ctSeenAt = Date.now(); })
                .observe(document.body, { subtree: true, childList: true, characterData: true });
        }
        """;

    private static readonly LocatorAssertionsToHaveCountOptions Live = new() { Timeout = 60_000 };
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly List<IBrowserContext> _contexts = [];

    [Fact]
    public async Task A_service_update_made_on_app2_reaches_the_managers_dashboard_held_open_on_app1_without_a_reload()
    {
        var rep = await OpenPinnedPageAsync(instances.App2);
        var service = await OpenPinnedPageAsync(instances.App2);
        var manager = await OpenPinnedPageAsync(instances.App1);
        await rep.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
        await service.SignInAsync(DemoUsers.Fulfilment, DemoUsers.Password);

        // Arrange (on app2): the rep waives the customer's overdue promise, which leaves the delivery on track.
        await rep.GetByTestId("nav-deals").ClickAsync();
        await rep.GetByTestId("deals-table").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = DealTitle }).ClickAsync();
        await Expect(rep.GetByTestId("deal-title")).ToHaveTextAsync(DealTitle);
        var customersPromise = rep.GetByTestId("promises").Locator("tbody tr").Filter(new LocatorFilterOptions
        {
            Has = rep.GetByTestId("promise-row-description").GetByText(CustomersOverduePromise, new LocatorGetByTextOptions { Exact = true }),
        });
        await customersPromise.GetByTestId("waive-promise").ClickAsync();
        await rep.GetByTestId("waive-reason").FillAsync("The installer surveyed the Wi-Fi from the floor plans; agreed with Hannah on the phone.");
        await rep.GetByTestId("waive-confirm").CheckAsync();
        await rep.SaveDialogAsync("waive-save");
        await Expect(customersPromise).ToContainTextAsync("Waived");

        // The manager's dashboard, on app1: the delivery is not at risk yet. The same manager also has it open on app2,
        // beside the service user: the same-instance time to compare with.
        await manager.SignInAsync(DemoUsers.Manager, DemoUsers.Password);
        var managerOnApp2 = await OpenPinnedPageAsync(instances.App2);
        await managerOnApp2.SignInAsync(DemoUsers.Manager, DemoUsers.Password);
        var deliveryRow = manager.GetByTestId("at-risk-row").Filter(new LocatorFilterOptions { HasText = Delivery });
        foreach (var dashboard in new[] { manager, managerOnApp2 })
        {
            Assert.Equal("/dashboard", dashboard.Path());
            await Expect(dashboard.GetByTestId("at-risk-list")).ToBeVisibleAsync();
            await Expect(dashboard.GetByTestId("at-risk-row").Filter(new LocatorFilterOptions { HasText = Delivery })).ToHaveCountAsync(0);
            // Marks this document (a reload would start a new one) and notes when the row first appears in it.
            await dashboard.EvaluateAsync(WatchForRow, Delivery);
        }

        // The service user, on app2, blocks the milestone from the queue.
        Assert.Equal("/fulfilment", service.Path());
        await service.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Assigned to me" }).ClickAsync();
        var queueRow = service.GetByTestId("queue").Locator("tbody tr", new LocatorLocatorOptions { HasText = MilestoneTitle });
        await Expect(queueRow).ToContainTextAsync(DealTitle);
        await queueRow.Locator("[data-testid^='update-']").ClickAsync();
        await service.ChooseAsync("milestone-status", "Blocked");
        await service.GetByTestId("milestone-reason").FillAsync(BlockedReason);
        var savedAt = DateTimeOffset.UtcNow;
        await service.SaveDialogAsync("milestone-save");
        await Expect(queueRow).ToContainTextAsync("Blocked");

        // The manager's page on app1 follows without a reload (and so does the one on app2).
        await Expect(deliveryRow).ToHaveCountAsync(1, Live);
        await Expect(deliveryRow).ToHaveAttributeAsync("data-level", "AtRisk");
        await Expect(managerOnApp2.GetByTestId("at-risk-row").Filter(new LocatorFilterOptions { HasText = Delivery })).ToHaveCountAsync(1, Live);
        Assert.True(await manager.EvaluateAsync<bool>("() => window.__ctSameDocument === true"), "The manager's dashboard was reloaded.");
        var seenAt = await SeenAtAsync(manager);
        var seenOnApp2At = await SeenAtAsync(managerOnApp2);
        DateTimeOffset detectedAt;
        await using (var db = instances.CreateDbContext())
        {
            detectedAt = await db.Alerts.AsNoTracking().Where(a => a.Title.Contains(Delivery) && a.DetectedAt >= savedAt.AddMinutes(-1))
                .MinAsync(a => a.DetectedAt, Cancel);
        }

        // Each browser stayed on its instance: nginx served every request of app1's cookie from app1, app2's from app2.
        AssertPinned(instances.App1);
        AssertPinned(instances.App2);
        Figures.Record(
            $"live update across instances: service user's Save on app2 -> row on the manager's dashboard on app1: {(seenAt - savedAt).TotalMilliseconds:F0} ms " +
            $"(from the save's commit, the alert's detected_at: {(seenAt - detectedAt).TotalMilliseconds:F0} ms); " +
            $"the same manager's dashboard on app2, the service user's own instance: {(seenOnApp2At - savedAt).TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Each_alert_is_mailed_once_though_both_instances_dispatch_the_outbox()
    {
        // 200 alerts at once (ten claims of 20 at least), to the demo manager, on a demo promise: while one instance mails
        // a batch, the other's poll comes round and claims the next.
        const int count = 200;
        var marker = Guid.NewGuid().ToString("N")[..8];
        await using (var db = instances.CreateDbContext())
        {
            var manager = await db.Users.AsNoTracking().SingleAsync(u => u.Email == DemoUsers.Manager, Cancel);
            var promise = await db.Commitments.AsNoTracking().OrderBy(c => c.Id).Select(c => new { c.Id, c.DealId }).FirstAsync(Cancel);
            var now = DateTimeOffset.UtcNow;
            db.Alerts.AddRange(Enumerable.Range(1, count).Select(i => new Alert
            {
                CommitmentId = promise.Id,
                DealId = promise.DealId,
                RecipientId = manager.Id,
                Level = Domain.Risk.RiskLevel.AtRisk,
                Title = $"Mail-once check {marker} #{i:000}",
                Reasons = "Two instances dispatch the same outbox.",
                DetectedAt = now,
            }));
            await db.SaveChangesAsync(Cancel);
        }

        // Both instances' dispatchers poll every second; wait until every one of them is recorded as mailed.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        List<Alert> alerts;
        while (true)
        {
            await using (var db = instances.CreateDbContext())
                alerts = await db.Alerts.AsNoTracking().Where(a => a.Title.StartsWith($"Mail-once check {marker}")).ToListAsync(Cancel);
            if (alerts.All(a => a.EmailedAt is not null) || DateTimeOffset.UtcNow > deadline)
                break;
            await Task.Delay(250, Cancel);
        }

        Assert.Equal(count, alerts.Count);
        Assert.All(alerts, a => Assert.True(a.EmailedAt is not null && a.EmailAttempts == 1, $"{a.Title}: emailed {a.EmailedAt}, attempts {a.EmailAttempts}, error {a.EmailError}"));
        var mails = instances.Mail.Received.Where(m => (m.Message.Subject ?? "").Contains(marker, StringComparison.Ordinal) || m.Body.Contains(marker, StringComparison.Ordinal)).ToList();
        var perAlert = alerts.ToDictionary(a => a.Title, a => mails.Count(m => (m.Message.Subject ?? "").Contains(a.Title, StringComparison.Ordinal) || m.Body.Contains(a.Title, StringComparison.Ordinal)));
        Assert.All(perAlert, pair => Assert.True(pair.Value == 1, $"{pair.Key} was mailed {pair.Value} times"));
        Assert.Equal(count, mails.Count);
        // Both instances took part: each logged mails it sent.
        var byApp1 = CountSent(instances.App1);
        var byApp2 = CountSent(instances.App2);
        Figures.Record($"alerts mailed once: {count} alerts in the outbox, {mails.Count} mails received by the SMTP sink, none twice " +
            $"(app1 mailed {byApp1}, app2 mailed {byApp2} of all alerts so far)");
    }

    [Fact]
    public async Task The_risk_sweep_runs_once_between_the_two_instances_and_the_run_is_recorded()
    {
        // Both ran their sweep's first turn at start; the later one must have skipped it.
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (!instances.App2.ReadLog().Contains("Risk sweep skipped by app2", StringComparison.Ordinal) && DateTimeOffset.UtcNow < deadline)
            await Task.Delay(250, Cancel);

        List<RiskSweepRun> runs;
        await using (var db = instances.CreateDbContext())
            runs = await db.RiskSweepRuns.AsNoTracking().OrderBy(r => r.StartedAt).ToListAsync(Cancel);

        Assert.Contains("Risk sweep skipped by app2", instances.App2.ReadLog(), StringComparison.Ordinal);
        var run = Assert.Single(runs);
        Assert.Equal("app1", run.Instance);
        Assert.NotNull(run.FinishedAt);
        Assert.DoesNotContain("Risk sweep skipped by app1", instances.App1.ReadLog(), StringComparison.Ordinal);
        Figures.Record($"sweep ran once: risk_sweep_runs has {runs.Count} row (instance {run.Instance}, started {run.StartedAt:HH:mm:ss.fff}, " +
            $"finished {run.FinishedAt:HH:mm:ss.fff}, {run.PromisesChanged} promises changed); app2 logged that it skipped its turn");
    }

    [Fact]
    public async Task Each_manager_gets_one_daily_digest_though_both_instances_send_them()
    {
        // Both instances started past the digest hour (midnight UTC here): each looked for due digests as it started.
        List<Web.Persistence.DailyDigest> digests;
        int managers;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            await using (var db = instances.CreateDbContext())
            {
                managers = await Web.Security.TeamManagers.ActiveManagers(db).CountAsync(Cancel);
                digests = await db.DailyDigests.AsNoTracking().Where(d => d.Date == today).ToListAsync(Cancel);
            }
            if (digests.Count >= managers || DateTimeOffset.UtcNow > deadline)
                break;
            await Task.Delay(250, Cancel);
        }

        var mails = instances.Mail.Received.Where(m => (m.Message.Subject ?? "").StartsWith("At-risk promises of your team", StringComparison.Ordinal)).ToList();
        Assert.True(managers > 0);
        Assert.Equal(managers, digests.Count);
        Assert.Equal(digests.Count(d => d.Promises > 0), mails.Count);
        Assert.All(mails.GroupBy(m => string.Join(",", m.EnvelopeTo)), group => Assert.Single(group));
        Figures.Record($"digests sent once: {digests.Count} managers handled today, {mails.Count} digest mails, none twice");
    }

    private static async Task<DateTimeOffset> SeenAtAsync(IPage dashboard) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)await dashboard.EvaluateAsync<double>("() => window.__ctSeenAt"));

    private static int CountSent(AppProcess instance) =>
        instance.ReadLog().Split('\n').Count(line => line.Contains("Alert ", StringComparison.Ordinal) && line.Contains(" mailed to ", StringComparison.Ordinal));

    private void AssertPinned(AppProcess instance)
    {
        var lines = instances.Nginx.AccessLog.Where(line => line.Contains($"node={instance.Name} ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.EndsWith($"upstream={TwoInstances.UpstreamOf(instance)}", line.Trim(), StringComparison.Ordinal));
    }

    private async Task<IPage> OpenPinnedPageAsync(AppProcess instance)
    {
        var page = await browser.NewPageAsync(instances.Nginx.BaseAddress);
        _contexts.Add(page.Context);
        await instances.PinAsync(page, instance);
        return page;
    }

    public async ValueTask DisposeAsync() => await instances.CloseAsync(_contexts);
}

/// <summary>The figures of the several-instances tests: printed to the test output and kept in e2e-logs/several-instances.txt.</summary>
internal static class Figures
{
    private static readonly Lock Gate = new();

    public static void Record(string line)
    {
        var stamped = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC  {line}");
        TestContext.Current.TestOutputHelper?.WriteLine(stamped);
        var folder = Path.Combine(AppContext.BaseDirectory, "e2e-logs");
        Directory.CreateDirectory(folder);
        lock (Gate)
            File.AppendAllText(Path.Combine(folder, "several-instances.txt"), stamped + Environment.NewLine);
    }
}

using System.Collections;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Npgsql;

namespace CommitmentTracker.Scale.Benchmark;

/// <summary>What <c>browser</c> is asked for.</summary>
internal sealed record BrowserOptions(string Database, string? Connection, string? DataDirectory, int Navigations);

/// <summary>One page's navigations in Chromium, from the click on the address bar to the page's content.</summary>
internal sealed record BrowserPageResult
{
    public required string Page { get; init; }
    public required string Who { get; init; }
    public required string Path { get; init; }
    public List<double> Ms { get; init; } = [];
    public string? Error { get; set; }
    public double? Median => Ms.Count > 0 ? Stats.Median(Ms) : null;
    public double? P95 => Ms.Count > 0 ? Stats.P95(Ms) : null;
    public bool Pass => Error is null && Median <= Targets.BrowserMs;
}

/// <summary>The browser timings of one database, kept in bench/scale-results/&lt;database&gt;.browser.json.</summary>
internal sealed record BrowserResult
{
    public required string Database { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required string LoadBefore { get; init; }
    public string? LoadAfter { get; set; }
    public List<BrowserPageResult> Pages { get; init; } = [];
}

/// <summary>
/// <c>browser</c>: starts the built app on Kestrel against a generated database and, in headless Chromium, signs in as the
/// manager, the service user and the rep, then opens each one's pages again and again, each time in a new tab (a new
/// circuit: the full cost of a navigation typed into the address bar, page, scripts, circuit and data), timing from the
/// navigation to the page's content.
/// </summary>
internal static class BrowserTimings
{
    public static async Task<BrowserResult> RunAsync(BrowserOptions options, CancellationToken cancellationToken)
    {
        await using var server = await ScaleDatabase.OpenAsync(options.Connection, options.DataDirectory, cancellationToken);
        if (!await server.ExistsAsync(options.Database, cancellationToken))
            throw new InvalidOperationException($"There is no database {options.Database}: generate it first.");
        var connectionString = server.ConnectionString(options.Database, maxPoolSize: 50);
        Guid dealId;
        await using (var db = NpgsqlDataSource.Create(connectionString))
        {
            await using var command = db.CreateCommand("SELECT id FROM \"AspNetUsers\" WHERE lower(email) = 'rep@demo.local'");
            var repId = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
            dealId = (await ScaleBenchmark.TypicalDealAsync(db, repId, cancellationToken)).Id;
        }
        var result = new BrowserResult { Database = options.Database, StartedAt = DateTimeOffset.UtcNow, LoadBefore = Machine.LoadAverage() };
        var work = Directory.CreateTempSubdirectory("ct-scale-browser-").FullName;
        var (appPort, heapPort) = (CircuitMemory.FreePort(), CircuitMemory.FreePort());
        var baseAddress = new Uri($"http://127.0.0.1:{appPort}/");
        using var app = CircuitMemory.StartApp(connectionString, appPort, heapPort, work);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        try
        {
            await CircuitMemory.WaitReadyAsync(http, new Uri(baseAddress, "health/ready"), app, cancellationToken);
            using var playwright = await Playwright.CreateAsync();
            var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => e.Value as string ?? "");
            environment["XDG_CONFIG_HOME"] = Path.Combine(work, "config");
            environment["XDG_CACHE_HOME"] = Path.Combine(work, "cache");
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium", Headless = true, Args = CircuitMemory.ChromiumArgs, Env = environment,
            });
            var plan = new (string Page, string Who, string Email, string Path, string Content)[]
            {
                ("Dashboard", "manager@", "manager@demo.local", "dashboard", "[data-testid='at-risk-list']"),
                ("Fulfilment queue", "service@", "service@demo.local", "fulfilment", "[data-testid='queue'] tbody tr"),
                ("Deal page", "rep@", "rep@demo.local", $"deals/{dealId}", "[data-testid='deal-title']"),
                ("Today", "rep@", "rep@demo.local", "", "[data-testid='home-promises'], [data-testid='home-promises-empty']"),
            };
            foreach (var who in plan.GroupBy(p => p.Email))
            {
                await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), Locale = "en-GB" });
                context.SetDefaultTimeout(120_000);
                context.SetDefaultNavigationTimeout(120_000);
                var signIn = await context.NewPageAsync();
                await signIn.GotoAsync("Account/Login");
                await signIn.Locator("input[name='Input.Email']").FillAsync(who.Key);
                await signIn.Locator("input[name='Input.Password']").FillAsync("Demo-Password-2026!");
                await signIn.Locator("form button[type='submit']").ClickAsync();
                await signIn.WaitForURLAsync(url => !url.Contains("Account/Login", StringComparison.OrdinalIgnoreCase));
                await signIn.CloseAsync();
                foreach (var (pageName, whoName, _, path, content) in who)
                {
                    var page = new BrowserPageResult { Page = pageName, Who = whoName, Path = "/" + path };
                    try
                    {
                        // One warm-up navigation (the app's first render of the page), then the timed ones.
                        for (var i = 0; i <= options.Navigations; i++)
                        {
                            var tab = await context.NewPageAsync();
                            var started = Stopwatch.GetTimestamp();
                            await tab.GotoAsync(path);
                            await tab.Locator(content).First.WaitForAsync();
                            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                            if (i > 0)
                                page.Ms.Add(Math.Round(ms, 0));
                            await tab.CloseAsync();
                        }
                    }
                    catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
                    {
                        page.Error = $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}";
                    }
                    result.Pages.Add(page);
                    Console.WriteLine($"  {page.Page} ({page.Who}) {page.Path}: " + (page.Error ?? $"median {page.Median:F0} ms, p95 {page.P95:F0} ms over {page.Ms.Count}; {(page.Pass ? "PASS" : "FAIL")}"));
                }
            }
        }
        finally
        {
            await CircuitMemory.StopAppAsync(app, work);
        }
        result.LoadAfter = Machine.LoadAverage();
        var file = Path.Combine(Repository.Root, "bench", "scale-results", $"{options.Database}.browser.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(result, Generation.ResultsJson.Options), cancellationToken);
        Console.WriteLine($"  kept in {Path.GetRelativePath(Repository.Root, file)}");
        return result;
    }
}

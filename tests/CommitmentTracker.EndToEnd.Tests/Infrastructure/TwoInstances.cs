using System.Globalization;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace CommitmentTracker.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Two app processes (app1, app2) on loopback, one database on the assembly's PostgreSQL, a real SMTP sink both mail to,
/// and Debian's nginx in front with the repository's sticky-session configuration. A class fixture: one set per class.
/// </summary>
public sealed class TwoInstances(PostgresServer postgres) : IAsyncLifetime
{
    private string? _appConnectionString;

    public AppProcess App1 { get; private set; } = null!;
    public AppProcess App2 { get; private set; } = null!;
    public NginxProcess Nginx { get; private set; } = null!;
    public SmtpSink Mail { get; private set; } = null!;

    /// <summary>Where the instances' logs are kept (the test output's e2e-logs folder).</summary>
    public string LogDirectory { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var ownerConnectionString = await postgres.CreateDatabaseAsync("instances");
        _appConnectionString = postgres.AppConnectionString(ownerConnectionString);
        Mail = SmtpSink.Start();
        LogDirectory = Path.Combine(AppContext.BaseDirectory, "e2e-logs",
            string.Create(CultureInfo.InvariantCulture, $"instances-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..8]}"));
        Directory.CreateDirectory(LogDirectory);
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Owner"] = ownerConnectionString,
            ["ConnectionStrings__Default"] = _appConnectionString,
            ["Demo__Enabled"] = "true",
            ["Demo__ShowSignInHint"] = "true",
            ["Email__Host"] = "127.0.0.1",
            ["Email__Port"] = Mail.Port.ToString(CultureInfo.InvariantCulture),
            ["Email__SecureSocketOptions"] = "None",
            // Both dispatchers look at the outbox every second: they race for every alert.
            ["Email__PollSeconds"] = "1",
            // Each instance sweeps at start, then every hour: the class ends well within the first interval, however busy
            // the machine, so "one run" is what the timetable allows.
            ["Risk__SweepIntervalMinutes"] = "60",
            // The daily digest is due from midnight UTC: both instances try to send it as they start.
            ["Email__DigestHourUtc"] = "0",
        };
        // One after the other, as a rolling start does: the first migrates and seeds the demo company.
        App1 = await AppProcess.StartAsync("app1", settings, LogDirectory, cancellationToken);
        App2 = await AppProcess.StartAsync("app2", settings, LogDirectory, cancellationToken);
        Nginx = await NginxProcess.StartAsync(App1.Port, App2.Port, cancellationToken);
    }

    /// <summary>A short-lived context on the instances' database, as the app's role.</summary>
    public AppDbContext CreateDbContext()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        PersistenceServiceCollectionExtensions.Configure(options, _appConnectionString ?? throw new InvalidOperationException("Not started."));
        return new AppDbContext(options.Options);
    }

    /// <summary>Pins a browser context to an instance, as nginx's own ct_node cookie would after the first response.</summary>
    public Task PinAsync(IPage page, AppProcess instance)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(instance);
        return page.Context.AddCookiesAsync([new Cookie { Name = "ct_node", Value = instance.Name, Url = Nginx.BaseAddress.ToString() }]);
    }

    /// <summary>
    /// When the test failed: a screenshot of each page and nginx's access and error logs, in the instances' log folder
    /// (named in the test output). Then closes the pages' browser contexts.
    /// </summary>
    public async Task CloseAsync(IReadOnlyList<IBrowserContext> contexts)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        if (TestContext.Current.TestState?.Result == TestResult.Failed)
        {
            var index = 0;
            foreach (var page in contexts.SelectMany(c => c.Pages))
            {
                try
                {
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(LogDirectory, $"failure-page-{index++}.png"), FullPage = true });
                }
                catch (PlaywrightException)
                {
                    // a page that is gone has nothing to show
                }
            }
            if (Nginx is not null)
            {
                await File.WriteAllLinesAsync(Path.Combine(LogDirectory, "nginx-access.log"), Nginx.AccessLog);
                await File.WriteAllTextAsync(Path.Combine(LogDirectory, "nginx-error.log"), Nginx.ErrorLog);
            }
            TestContext.Current.TestOutputHelper?.WriteLine($"Screenshots, nginx's and the apps' logs: {LogDirectory}");
        }
        foreach (var context in contexts)
            await context.CloseAsync();
    }

    /// <summary>The upstream address nginx logs for an instance.</summary>
    public static string UpstreamOf(AppProcess instance) => $"127.0.0.1:{(instance ?? throw new ArgumentNullException(nameof(instance))).Port}";

    public async ValueTask DisposeAsync()
    {
        if (Nginx is not null)
            await Nginx.DisposeAsync();
        if (App2 is not null)
            await App2.DisposeAsync();
        if (App1 is not null)
            await App1.DisposeAsync();
        if (Mail is not null)
            await Mail.DisposeAsync();
    }
}

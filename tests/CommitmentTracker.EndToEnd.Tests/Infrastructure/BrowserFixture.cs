using System.Collections;
using Microsoft.Playwright;

namespace CommitmentTracker.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright, headless. A class fixture: one browser per test class, and each test
/// opens its own context (cookies, storage) with <see cref="NewPageAsync"/>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium, or another Chromium-based browser named by CT_CHROMIUM_PATH (e.g. Chrome on a hosted CI runner).</summary>
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CT_CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    // Without the background-networking flags Chromium keeps trying to reach Google's services on a closed network.
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _profileDirectory;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not been started.");

    public async ValueTask InitializeAsync()
    {
        // The test command installs Chromium; a missing browser is a broken machine, not a reason to skip.
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {ChromiumPath}. Install it with: apt-get install -y chromium " +
                "(never 'playwright install': the browser tests use Debian's Chromium).");
        }

        // Chromium's profile, config and cache go to a temp folder, not the home folder.
        _profileDirectory = Directory.CreateTempSubdirectory("ct-e2e-chromium-").FullName;
        var environment = System.Environment.GetEnvironmentVariables()
            .Cast<DictionaryEntry>()
            .ToDictionary(entry => (string)entry.Key, entry => entry.Value as string ?? "");
        environment["XDG_CONFIG_HOME"] = Path.Combine(_profileDirectory, "config");
        environment["XDG_CACHE_HOME"] = Path.Combine(_profileDirectory, "cache");

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            Env = environment,
        });
    }

    /// <summary>A page in a fresh browser context, so no test sees another test's sign-in cookie; optionally in a given time zone or viewport.</summary>
    public Task<IPage> NewPageAsync(AppHost app, string? timezoneId = null, ViewportSize? viewport = null) =>
        NewPageAsync((app ?? throw new ArgumentNullException(nameof(app))).BaseAddress, timezoneId, viewport);

    /// <summary>A page in a fresh browser context whose relative addresses go to <paramref name="baseAddress"/> (a load balancer, say).</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, string? timezoneId = null, ViewportSize? viewport = null)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = viewport ?? new ViewportSize { Width = 1366, Height = 900 },
            Locale = "en-GB",
            TimezoneId = timezoneId,
            // A phone-sized viewport is a touch screen too: MudBlazor picks its mobile behaviour from that.
            HasTouch = viewport is { Width: < 600 },
            IsMobile = viewport is { Width: < 600 },
        });
        // Waits return as soon as their condition holds; the limits are for a machine whose two cores are busy with other
        // work (pages render in the circuit, not prerendered): 15 s was seen to run out there.
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_profileDirectory is not null && Directory.Exists(_profileDirectory))
        {
            Directory.Delete(_profileDirectory, recursive: true);
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace CommitmentTracker.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Base of the browser test classes: gives each test fresh browser contexts, records the browser's errors and, when a
/// test fails, saves a screenshot of every open page under the test output's e2e-artifacts folder.
/// </summary>
public abstract class BrowserTest(AppHost app, BrowserFixture browser) : IAsyncLifetime
{
    private readonly List<IPage> _pages = [];
    private readonly ConcurrentQueue<string> _browserErrors = new();

    /// <summary>What Blazor reports when an event reaches the server for a handler a newer render replaced.</summary>
    internal const string StaleEventError = "There was an exception invoking 'DispatchEventAsync'";

    protected AppHost App { get; } = app;

    /// <summary>Uncaught script errors and console errors seen by the pages of this test.</summary>
    protected IReadOnlyCollection<string> BrowserErrors => _browserErrors;

    /// <summary>A page in its own browser context: no cookies from other tests.</summary>
    protected async Task<IPage> OpenPageAsync(string? timezoneId = null, ViewportSize? viewport = null)
    {
        var page = await browser.NewPageAsync(App, timezoneId, viewport);
        page.PageError += (_, error) =>
        {
            // A click that reaches the server after the element re-rendered finds no handler: Blazor reports it, and
            // nothing happened. The dialog helper clicks again in that case; every other error counts.
            if (!error.Contains(StaleEventError, StringComparison.Ordinal))
                _browserErrors.Enqueue($"page error on {page.Url}: {error}");
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _browserErrors.Enqueue($"console error on {page.Url}: {message.Text}");
            }
        };
        _pages.Add(page);
        return page;
    }

    /// <summary>Saves a screenshot to docs/images/ when CT_SCREENSHOTS=1 (used for the README).</summary>
    protected static async Task SaveDocumentationScreenshotAsync(IPage page, string fileName)
    {
        ArgumentNullException.ThrowIfNull(page);
        if (System.Environment.GetEnvironmentVariable("CT_SCREENSHOTS") != "1")
        {
            return;
        }

        var folder = Path.Combine(RepositoryRoot(), "docs", "images");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, fileName), FullPage = true });
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        var failed = TestContext.Current.TestState?.Result == TestResult.Failed;
        var output = TestContext.Current.TestOutputHelper;
        foreach (var error in _browserErrors)
        {
            output?.WriteLine(error);
        }

        if (failed)
        {
            await SaveFailureArtifactsAsync();
        }

        foreach (var page in _pages)
        {
            await page.Context.CloseAsync();
        }

        GC.SuppressFinalize(this);
    }

    private async Task SaveFailureArtifactsAsync()
    {
        var output = TestContext.Current.TestOutputHelper;
        var folder = Path.Combine(AppContext.BaseDirectory, "e2e-artifacts");
        Directory.CreateDirectory(folder);
        var name = string.Concat((TestContext.Current.Test?.TestDisplayName ?? "test").Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));
        if (name.Length > 120)
        {
            name = name[..120];
        }

        for (var index = 0; index < _pages.Count; index++)
        {
            var file = Path.Combine(folder, $"{name}-{index}.png");
            try
            {
                await _pages[index].ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
                output?.WriteLine($"Screenshot of {_pages[index].Url}: {file}");
            }
            catch (PlaywrightException ex)
            {
                output?.WriteLine($"No screenshot of page {index}: {ex.Message}");
            }
        }

        output?.WriteLine($"App log: {App.LogFile}");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "global.json")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No global.json above {AppContext.BaseDirectory}: cannot find the repository root.");
    }
}

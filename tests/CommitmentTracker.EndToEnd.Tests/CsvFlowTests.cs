using System.Text;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>CSV in and out as a rep does it in the browser: Export CSV downloads the list on screen; a file imports after its preview.</summary>
public sealed class CsvFlowTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Export_csv_on_my_deals_downloads_the_reps_deals_as_a_csv_file()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
        await page.GotoAsync(App.Url("deals").ToString());
        await Expect(page.GetByText("Fleet telematics").First).ToBeVisibleAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").ClickAsync());

        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var file = await download.PathAsync();
        var text = await File.ReadAllTextAsync(file, Encoding.UTF8, TestContext.Current.CancellationToken);
        Assert.Contains("Fleet telematics", text, StringComparison.Ordinal);
        Assert.Contains("Title", text.Split('\n')[0], StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_rep_previews_a_deals_file_and_imports_it_as_a_new_deal_with_its_account()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
        await page.GotoAsync(App.Url("import").ToString());
        await Expect(page.GetByTestId("import-columns")).ToBeVisibleAsync();
        var name = "Imported Harbour Works " + Guid.NewGuid().ToString("N")[..6];
        var closed = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var csv = Encoding.UTF8.GetBytes(
            $"Account,Industry,Title,Value,Expected outcome,Close date\n\"{name}\",Shipping,Crane telemetry,48000,\"Cranes report their load, live\",{closed}\n");

        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "accounts.csv", MimeType = "text/csv", Buffer = csv });

        await Expect(page.GetByTestId("import-summary")).ToContainTextAsync("1 row: 1 valid, 0 with errors.");
        await Expect(page.GetByTestId("import-summary")).ToContainTextAsync($"New accounts to create: {name}.");
        await Expect(page.GetByTestId("import-first-rows")).ToContainTextAsync(name);
        await page.GetByTestId("import-run").ClickAsync();
        await Expect(page.GetByTestId("import-outcome")).ToContainTextAsync("Imported 1 ");

        await page.GotoAsync(App.Url("search?q=" + Uri.EscapeDataString(name)).ToString());
        await Expect(page.GetByText(name).First).ToBeVisibleAsync();
        await page.GotoAsync(App.Url("deals").ToString());
        await Expect(page.GetByTestId("deals-table")).ToContainTextAsync("Crane telemetry");
    }
}

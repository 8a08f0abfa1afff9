using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>An admin imports public holidays from an ICS file into a team's working calendar, in a real browser.</summary>
public sealed class WorkingCalendarFlowTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_admin_previews_the_holidays_of_an_ics_file_and_adds_them_to_the_teams_calendar()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Admin, DemoUsers.Password);
        await page.GotoAsync("admin/working-calendars");
        await page.WaitForInteractiveAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Working calendars");
        var before = await page.GetByTestId("holiday-row").CountAsync();

        await page.Locator("input[type=file]")
            .SetInputFilesAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "public-holidays-de.ics"));

        var preview = page.GetByTestId("import-preview");
        await Expect(preview).ToBeVisibleAsync();
        await Expect(preview).ToContainTextAsync("Christmas Day");
        Assert.True(await preview.GetByTestId("preview-row").CountAsync() >= 4);
        Assert.Equal(before, await page.GetByTestId("holiday-row").CountAsync()); // nothing saved yet

        await page.GetByTestId("confirm-import").ClickAsync();

        await Expect(page.GetByTestId("import-preview")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("holiday-list")).ToContainTextAsync("Christmas Day");
        Assert.True(await page.GetByTestId("holiday-row").CountAsync() > before);
        Assert.DoesNotContain(BrowserErrors, error => error.StartsWith("page error", StringComparison.Ordinal));
    }
}

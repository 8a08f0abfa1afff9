using System.Globalization;
using System.Text.RegularExpressions;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>A new user tries the promise forecast on the demo data, in a real browser: the demo's history answers it.</summary>
public sealed partial class PromiseForecastFlowTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    // The rep's verbal deal of 46,500: installations by the Service department on such deals are the demo history's most common promise.
    private const string DealTitle = "Line monitoring pilot";

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task A_rep_typing_a_date_for_a_new_installation_on_a_demo_deal_sees_its_chance_from_the_history_and_uses_the_80_percent_date()
    {
        await CurvesComputedAtStartAsync();
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
        await page.GetByTestId("nav-deals").ClickAsync();
        await page.GetByTestId("deals-table").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = DealTitle }).ClickAsync();
        await Expect(page.GetByTestId("deal-title")).ToHaveTextAsync(DealTitle);

        await page.GetByTestId("add-promise").ClickAsync();
        await Expect(page.GetByTestId("promise-save")).ToBeVisibleAsync();
        await page.ChooseAsync("promise-kind", "Installation");
        await page.ChooseAsync("promise-department", "Service");
        await page.GetByTestId("promise-description").FillAsync("Install 6 more sensors on line 4");
        var typed = Today.AddDays(21);
        await page.GetByTestId("promise-promised-date").FillAsync(typed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        // The chance of the date typed, from the finest group of similar promises, named in one sentence.
        var chance = page.GetByTestId("promise-forecast-chance");
        await Expect(chance).ToHaveTextAsync(new Regex($@"^\s*\d+% chance this date holds: similar promises were done by {Regex.Escape(Shown(typed))} that often\.\s*$"));
        await Expect(page.GetByTestId("promise-forecast-basis")).ToHaveTextAsync(
            new Regex(@"^Based on \d+ installation promises of the Service department on deals of 10,000 to 100,000 with 4 milestones in the last 24 months\.\s*$"));
        var groupSize = int.Parse(BasisCount().Match(await page.GetByTestId("promise-forecast-basis").InnerTextAsync()).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(groupSize >= 30, $"The basis names {groupSize} promises.");
        await Expect(page.GetByTestId("promise-forecast-dates")).ToContainTextAsync("Held 80%:");

        // "Use the 80% date" puts that date in the field: the chance is then shown for it, and the button has done its work.
        var use80 = page.GetByTestId("promise-use-80-date");
        var date80 = DateOnly.ParseExact(ButtonDate().Match(await use80.InnerTextAsync()).Groups[1].Value, "d MMM yyyy", CultureInfo.InvariantCulture);
        Assert.True(date80 > Today, $"The 80% date is {date80}.");
        await use80.ClickAsync();
        await Expect(page.GetByTestId("promise-promised-date")).ToHaveValueAsync(Shown(date80));
        // The new date shows at once, its chance when the server answered: at least 80%.
        await Expect(chance).ToHaveTextAsync(new Regex($@"^\s*(8\d|9\d|100)% chance this date holds: similar promises were done by {Regex.Escape(Shown(date80))} that often\.\s*$"));
        await Expect(use80).ToHaveCountAsync(0);
        Assert.DoesNotContain(BrowserErrors, error => error.StartsWith("page error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Service_staff_see_the_chance_of_keeping_an_open_demo_promise_from_where_its_milestones_stand()
    {
        await CurvesComputedAtStartAsync();
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Fulfilment, DemoUsers.Password);
        Assert.Equal("/fulfilment", page.Path());
        await page.GetByRole(AriaRole.Tab, new PageGetByRoleOptions { Name = "Assigned to me" }).ClickAsync();

        // The scanners' delivery: one of its four milestones done, so it is forecast from deliveries at that stage.
        var row = page.GetByTestId("queue").Locator("tbody tr", new LocatorLocatorOptions { HasText = "Configure WMS profiles" });
        var chance = row.GetByTestId("queue-chance");
        await Expect(chance).ToHaveTextAsync(new Regex(@"^\s*\d+% chance of keeping the date\s*$"));
        await Expect(chance).ToHaveAttributeAsync("title", new Regex(@"^Based on \d+ delivery promises .*timed from their first milestone done, in the last 24 months\.$"));
        Assert.DoesNotContain(BrowserErrors, error => error.StartsWith("page error", StringComparison.Ordinal));
    }

    /// <summary>The curves are computed by a hosted service as the app starts: waits until it stored them.</summary>
    private async Task CurvesComputedAtStartAsync()
    {
        var cancel = TestContext.Current.CancellationToken;
        var dbFactory = App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using (var db = await dbFactory.CreateDbContextAsync(cancel))
            {
                if (await db.ForecastCurves.AnyAsync(cancel))
                    return;
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The forecast curves were not computed within a minute of the app's start.");
            await Task.Delay(100, cancel);
        }
    }

    private static string Shown(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^Based on (\d+) ")]
    private static partial Regex BasisCount();

    [GeneratedRegex(@"\((\d{1,2} \w{3} \d{4})\)")]
    private static partial Regex ButtonDate();
}

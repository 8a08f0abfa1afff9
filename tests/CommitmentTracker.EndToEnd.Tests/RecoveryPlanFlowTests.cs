using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>A manager works a late promise's recovery plan from opening to closing, in a real browser.</summary>
public sealed class RecoveryPlanFlowTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    // The demo's delivery at risk through our supplier, whose plan opened when the demo data was written, and a
    // delivery of the same team with slack to give.
    private const string LatePromise = "Deliver 40 label printers configured for the carriers";
    private const string PromiseWithSlack = "Deliver 35 temperature sensors to the second site";

    [Fact]
    public async Task A_manager_works_a_plan_to_its_close_with_a_reshuffle_and_the_pareto_counts_its_root_cause()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Manager, DemoUsers.Password);
        await page.GetByTestId("nav-dashboard").ClickAsync();
        await page.WaitForInteractiveAsync();
        var paretoBefore = await ParetoCountAsync(page);

        await page.GetByTestId("nav-recovery").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Recovery plans");
        await page.GetByTestId("plans-table").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = LatePromise }).ClickAsync();
        await Expect(page.GetByTestId("plan-title")).ToHaveTextAsync($"Recovery: {LatePromise}");
        // 3. The manager first acknowledges the alert.
        await Expect(page.GetByTestId("next-step")).ToContainTextAsync("Your next step: step 3, Alert the manager.");
        await page.GetByTestId("acknowledge").ClickAsync();
        await Expect(page.GetByTestId("acknowledged")).ToContainTextAsync("Acknowledged by Marco Mancini");
        await Expect(page.GetByTestId("next-step")).ToContainTextAsync("Next: step 1, Make room.");

        // 1. Make room: the milestones' forecast is proposed.
        await page.GetByTestId("make-room-save").ClickAsync();
        await Expect(page.GetByTestId("make-room-result")).ToContainTextAsync("buffer");
        await Expect(page.GetByTestId("step-MakeRoom")).ToHaveAttributeAsync("data-done", "true");
        await Expect(page.GetByTestId("next-step")).ToContainTextAsync("Next: step 2, Options.");

        // 2. Options: the proposed reshuffle is added, then chosen (and confirmed).
        var candidate = page.GetByTestId("reshuffle-candidate").Filter(new LocatorFilterOptions { HasText = PromiseWithSlack });
        await candidate.GetByTestId("add-reshuffle").ClickAsync();
        var option = page.GetByTestId("option").Filter(new LocatorFilterOptions { HasText = PromiseWithSlack });
        await Expect(option).ToHaveCountAsync(1);
        await option.GetByTestId("choose-option").ClickAsync();
        await page.OpenDialog().GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Reshuffle" }).ClickAsync();
        await Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "Reshuffle carried out" })).ToBeVisibleAsync();
        await Expect(option).ToContainTextAsync("Chosen");
        await Expect(page.GetByTestId("step-Options")).ToHaveAttributeAsync("data-done", "true");
        // Re-planned and re-evaluated: the promise is no longer at risk.
        await Expect(page.GetByTestId("risk-chip").First).ToHaveAttributeAsync("data-level", new System.Text.RegularExpressions.Regex("^(OnTrack|Watch)$"));

        // 4. Tell the customer: logged as a call.
        await page.GetByTestId("tell-people").FillAsync("Carlos Mendes");
        await page.GetByTestId("tell-summary").FillAsync("The supplier is five days late; a delivery with slack was re-planned so the printers arrive on the promised date.");
        await page.GetByTestId("tell-save").ClickAsync();
        await Expect(page.GetByTestId("customer-told")).ToContainTextAsync("phone to Carlos Mendes");

        // 5. Comfort.
        await page.GetByTestId("comfort-offered").FillAsync("Two loan printers for the busiest packing stations");
        await page.GetByTestId("comfort-manager").FillAsync("Marco called Carlos to follow it personally");
        await page.GetByTestId("comfort-save").ClickAsync();
        await Expect(page.GetByTestId("comfort-recorded")).ToBeVisibleAsync();

        // 6. Apologise, after the customer accepted the solution.
        await page.GetByTestId("solution-accepted").ClickAsync();
        await page.GetByTestId("apologise-forgave").ClickAsync();
        await Expect(page.GetByTestId("apologised")).ToContainTextAsync("forgave");

        // 7. Compensate beyond the loss, within budget.
        await page.GetByTestId("compensation-item").FillAsync("A half-day route-planning workshop");
        await page.GetByTestId("compensation-face").FillAsync("2000");
        await page.GetByTestId("compensation-cost").FillAsync("400");
        await page.GetByTestId("compensation-loss").FillAsync("800");
        await page.GetByTestId("compensation-save").ClickAsync();
        await Expect(page.GetByTestId("step-Compensate")).ToHaveAttributeAsync("data-done", "true");
        await Expect(page.GetByTestId("next-step")).ToContainTextAsync("Every step is done.");

        // Close with the root cause.
        await page.ChooseAsync("close-root-cause", "Unexpected delivery problem");
        await page.ChooseAsync("close-department", "Fulfilment");
        await page.GetByTestId("close-lesson").FillAsync("Order printers with the supplier's confirmed ship date, not the catalogue lead time.");
        await page.GetByTestId("close-save").ClickAsync();
        await Expect(page.GetByTestId("plan-closed")).ToBeVisibleAsync();

        // The other customer's rep has a task to tell them (the manager's Today lists the team's touchpoints).
        await page.GetByTestId("nav-today").ClickAsync();
        await Expect(page.GetByTestId("home-touchpoint").Filter(new LocatorFilterOptions { HasText = "re-planned (reshuffle)" })).ToHaveCountAsync(1);

        // The Pareto chart counts it.
        await page.GetByTestId("nav-dashboard").ClickAsync();
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("pareto-count-UnexpectedDeliveryProblem")).ToHaveTextAsync((paretoBefore + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(BrowserErrors, error => error.StartsWith("page error", StringComparison.Ordinal));
    }

    private static async Task<int> ParetoCountAsync(IPage page)
    {
        await Expect(page.GetByTestId("pareto-chart")).ToBeVisibleAsync();
        var cell = page.GetByTestId("pareto-count-UnexpectedDeliveryProblem");
        return await cell.CountAsync() == 0 ? 0 : int.Parse(await cell.InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

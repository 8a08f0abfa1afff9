using System.Globalization;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>A rep's deal from close to order, in a real browser: the promises, the checklist, the stage gate, the log.</summary>
public sealed class RepDealFlowTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    // The app's "today" is the UTC date; dates well beyond the standard lead times (delivery 21 days, training 14)
    // are not aggressive, so the promises need no manager's approval.
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task A_rep_logs_a_deal_with_its_promises_is_told_why_it_cannot_be_ordered_completes_the_checklist_orders_it_and_logs_a_call()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);

        // Log the deal at close, for a new customer with one contact.
        await page.GetByTestId("nav-deals").ClickAsync();
        await page.GetByTestId("new-deal").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Log a deal at close");
        await page.GetByTestId("new-account-switch").ClickAsync();
        await page.GetByTestId("new-account-name").FillAsync("Globex Warehousing");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Add a contact" }).ClickAsync();
        await page.GetByLabel("Name", new PageGetByLabelOptions { Exact = true }).FillAsync("Dana Scully");
        await page.GetByTestId("deal-title-input").FillAsync("Cold store pick-to-light");
        await page.GetByTestId("deal-value").FillAsync("64000");
        await page.GetByTestId("deal-outcome").FillAsync("Picking errors in the cold store below one in a thousand lines.");
        await page.GetByTestId("create-deal").ClickAsync();

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/deals/", StringComparison.Ordinal) && !url.EndsWith("/new", StringComparison.Ordinal));
        await Expect(page.GetByTestId("deal-title")).ToHaveTextAsync("Cold store pick-to-light");
        await Expect(page.Locator("#main-content")).ToContainTextAsync("Globex Warehousing");
        await Expect(page.Locator("[data-stage='Verbal']")).ToBeVisibleAsync();

        // Two promises of ours and one of the customer's, with room before the customer's need dates.
        await AddPromiseAsync(page, "add-promise", kind: null, "Deliver and fit 300 pick-to-light modules", Today.AddDays(35), Today.AddDays(45));
        await AddPromiseAsync(page, "add-promise", kind: "Training", "Train 25 pickers on the new lights", Today.AddDays(40), Today.AddDays(50));
        await AddPromiseAsync(page, "add-customer-promise", kind: null, "Clear the cold-store aisles for the installers", Today.AddDays(20), Today.AddDays(25));

        var promises = page.GetByTestId("promises");
        await Expect(promises.GetByTestId("promise-row-description")).ToHaveCountAsync(3);
        var theirs = promises.Locator("tbody tr", new LocatorLocatorOptions { HasText = "Clear the cold-store aisles" });
        await Expect(theirs).ToContainTextAsync("Customer's");
        await Expect(theirs.GetByTestId("promise-no-buffer")).ToBeVisibleAsync();
        await Expect(theirs).Not.ToContainTextAsync("⚠");
        await Expect(promises.Locator("tbody tr", new LocatorLocatorOptions { HasText = "Train 25 pickers" })).ToContainTextAsync("Training");
        await Expect(promises.GetByTestId("promise-aggressive-chip")).ToHaveCountAsync(0);

        // Try to move it to Ordered: the dialog says what is missing and does not let it through.
        await page.GetByTestId("advance-stage").ClickAsync();
        var missing = page.GetByTestId("stage-missing");
        await Expect(missing).ToContainTextAsync("cannot move to ordered");
        await Expect(missing).ToContainTextAsync("Checklist item \"Outcome\" is required and not answered yet.");
        await Expect(missing).ToContainTextAsync("Checklist item \"Technical review\" is required and not answered yet.");
        await Expect(page.GetByTestId("stage-move-confirm")).ToBeDisabledAsync();
        await page.OpenDialog().GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel" }).ClickAsync();
        await Expect(page.OpenDialog()).ToHaveCountAsync(0);
        await Expect(page.Locator("[data-stage='Verbal']")).ToBeVisibleAsync();

        // Work the checklist with the customer, in place: answer every required item; each save opens the next open item.
        var openRequired = page.Locator("[data-open-required='true']");
        var open = await openRequired.CountAsync();
        Assert.True(open > 0, "A new deal should start with required checklist items open.");
        for (; open > 0; open--)
        {
            var item = openRequired.First;
            if (await item.GetAttributeAsync("data-expanded") != "true")
            {
                await item.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Answer", Exact = true }).ClickAsync();
            }

            await item.GetByTestId("checklist-answer").FillAsync("Agreed with Dana Scully on the call at close.");
            await item.GetByTestId("checklist-answer-save").ClickAsync();
            await Expect(openRequired).ToHaveCountAsync(open - 1);
        }

        await Expect(page.GetByTestId("checklist-open-summary")).ToHaveTextAsync("Every required item is answered.");

        // The technical-review item was answered in words: that asked service staff for a review, and the order waits for it.
        await Expect(page.GetByTestId("checklist-review-status")).ToContainTextAsync("waiting for service staff");
        await page.GetByTestId("advance-stage").ClickAsync();
        await Expect(page.GetByTestId("stage-missing")).ToContainTextAsync("The technical review is waiting for service staff");
        await Expect(page.GetByTestId("stage-move-confirm")).ToBeDisabledAsync();
        await page.OpenDialog().GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Cancel" }).ClickAsync();
        await Expect(page.OpenDialog()).ToHaveCountAsync(0);

        // Service staff approve it from their queue; the rep's page shows it without a reload.
        var service = await OpenPageAsync();
        await service.SignInAsync(DemoUsers.Service, DemoUsers.Password);
        var request = service.GetByTestId("pending-review").Filter(new LocatorFilterOptions { HasText = "Cold store pick-to-light" });
        await Expect(request).ToContainTextAsync("Agreed with Dana Scully on the call at close.");
        await request.GetByTestId("approve-review").ClickAsync();
        await Expect(request).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("checklist-review-status")).ToHaveTextAsync("Service staff approved the technical review.", new LocatorAssertionsToHaveTextOptions { Timeout = 60_000 });

        // Now the only thing missing is the purchase order, which the dialog asks for.
        await page.GetByTestId("advance-stage").ClickAsync();
        await Expect(page.GetByTestId("po-reference")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("stage-missing")).ToHaveCountAsync(0);
        await page.GetByTestId("po-reference").FillAsync("PO-GLX-1042");
        await page.SaveDialogAsync("stage-move-confirm");

        await Expect(page.Locator("[data-stage='Ordered']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-stage='Verbal']")).ToHaveCountAsync(0);
        await Expect(page.Locator("#main-content")).ToContainTextAsync("PO-GLX-1042");
        await Expect(page.GetByTestId("deal-history")).ToContainTextAsync("Moved the deal from Verbal to Ordered");

        // Log the call with the customer; it shows in the deal's communication log.
        await page.GetByTestId("log-communication").ClickAsync();
        await page.ChooseAsync("log-channel", "Phone");
        await page.GetByTestId("people-suggestion").Filter(new LocatorFilterOptions { HasText = "Dana Scully" }).ClickAsync();
        await Expect(page.GetByTestId("log-people")).ToHaveValueAsync("Dana Scully");
        await page.GetByTestId("log-summary").FillAsync("Confirmed the PO and walked through the installation weekend.");
        await page.SaveDialogAsync("log-save");

        var entry = page.GetByTestId("communication").Filter(new LocatorFilterOptions { HasText = "Confirmed the PO and walked through the installation weekend." });
        await Expect(entry).ToHaveCountAsync(1);
        await Expect(entry).ToContainTextAsync("· phone · to the customer ·");
        await Expect(entry).ToContainTextAsync("Dana Scully");
        await Expect(entry).ToContainTextAsync("logged by Rita Reyes");
        Assert.DoesNotContain(BrowserErrors, error => error.StartsWith("page error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rep_answers_all_ten_checklist_items_in_place_with_the_keyboard_alone()
    {
        var dealId = await CreateDealAsRepAsync("Cross-dock sorter retrofit");
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
        await page.GotoAsync(App.Url($"deals/{dealId}").ToString());
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("checklist-item-10")).ToBeVisibleAsync();

        // Tab from the top of the page to the first item's Answer button (bounded: a broken tab order fails, not hangs).
        var first = page.GetByTestId("checklist-answer-1");
        for (var presses = 0; presses < 300 && !await first.EvaluateAsync<bool>("e => e === document.activeElement"); presses++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Expect(first).ToBeFocusedAsync();
        // Escape closes the item and gives the focus back to its button; Enter opens it again.
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("checklist-item-1").GetByTestId("checklist-answer")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.GetByTestId("checklist-editor")).ToHaveCountAsync(0);
        await Expect(first).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        for (var position = 1; position <= 10; position++)
        {
            var item = page.GetByTestId($"checklist-item-{position}");
            // The item opened in place with its answer field focused: type, Tab to Cancel, Tab to Save, Enter.
            await Expect(item.GetByTestId("checklist-answer")).ToBeFocusedAsync();
            // InsertText is one keyboard input event: key-by-key typing races the server's re-render of an
            // "immediate" field on a loaded machine (characters dropped), which is not what this test is about.
            await page.Keyboard.InsertTextAsync($"Agreed on the call, point {position}.");
            await Expect(item.GetByTestId("checklist-answer")).ToHaveValueAsync($"Agreed on the call, point {position}.");
            await page.Keyboard.PressAsync("Tab");
            await Expect(item.GetByTestId("checklist-answer-cancel")).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Tab");
            await Expect(item.GetByTestId("checklist-answer-save")).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(item).ToContainTextAsync($"Agreed on the call, point {position}.");
            await Expect(item.GetByTestId("checklist-editor")).ToHaveCountAsync(0);
        }

        await Expect(page.GetByTestId("checklist-open-summary")).ToHaveTextAsync("Every required item is answered.");
        await Expect(page.GetByTestId("checklist-editor")).ToHaveCountAsync(0);
        // Nothing left open: the focus rests on the last item's Edit button, not lost to the page's start.
        await Expect(page.GetByTestId("checklist-answer-10")).ToBeFocusedAsync();
        await Expect(page.Locator("[data-testid^='checklist-item-']").Filter(new LocatorFilterOptions { HasText = "· open" })).ToHaveCountAsync(0);
        // Item 7 answered in words asked service staff for the technical review the order needs.
        await Expect(page.GetByTestId("checklist-review-status")).ToContainTextAsync("waiting for service staff");
        Assert.DoesNotContain(BrowserErrors, error => error.StartsWith("page error", StringComparison.Ordinal));
    }

    /// <summary>A verbal deal of the demo rep for an existing demo account, logged through the app's own service.</summary>
    private async Task<Guid> CreateDealAsRepAsync(string title)
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var rep = await ActorAccessor.LoadAsync(dbFactory, (await users.FindByEmailAsync(DemoUsers.Rep))!.Id, cancel)
            ?? throw new InvalidOperationException("The demo rep is missing.");
        return await scope.ServiceProvider.GetRequiredService<DealsService>().CreateAsync(rep, new NewDealInput
        {
            NewAccountName = $"Keyboard Logistics {Guid.NewGuid():N}"[..30],
            Title = title,
            Value = 52_000m,
            ExpectedOutcome = "Sort 6,000 parcels an hour without a second shift.",
            CloseDate = DateTime.UtcNow.Date,
        }, cancel);
    }

    /// <summary>Opens the promise dialog from one of the two add buttons, fills it, checks the buffer shown as typed, saves.</summary>
    private static async Task AddPromiseAsync(IPage page, string addButton, string? kind, string description, DateOnly promised, DateOnly need)
    {
        await page.GetByTestId(addButton).ClickAsync();
        await Expect(page.GetByTestId("promise-save")).ToBeVisibleAsync();
        if (kind is not null)
        {
            await page.ChooseAsync("promise-kind", kind);
        }

        await page.GetByTestId("promise-description").FillAsync(description);
        await page.GetByTestId("promise-promised-date").FillAsync(promised.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.GetByTestId("promise-need-date").FillAsync(need.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        if (addButton == "add-customer-promise")
        {
            // A buffer is room in what we promise; the customer's own promise has none.
            await Expect(page.GetByTestId("promise-buffer")).ToHaveCountAsync(0);
        }
        else
        {
            var bufferDays = need.DayNumber - promised.DayNumber;
            await Expect(page.GetByTestId("promise-buffer")).ToContainTextAsync($"Buffer: {bufferDays} days");
        }

        await Expect(page.GetByTestId("promise-aggressive")).ToHaveCountAsync(0);
        await page.SaveDialogAsync("promise-save");
        await Expect(page.GetByTestId("promise-row-description").Filter(new LocatorFilterOptions { HasText = description })).ToBeVisibleAsync();
    }
}

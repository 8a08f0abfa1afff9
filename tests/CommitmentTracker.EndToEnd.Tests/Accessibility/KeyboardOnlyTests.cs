using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests.Accessibility;

/// <summary>The main job done with the keyboard alone: no click, no tap, no fill.</summary>
public sealed class KeyboardOnlyTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_rep_signs_in_opens_a_deal_and_logs_a_communication_with_the_keyboard_only()
    {
        var page = await OpenPageAsync();
        await page.GotoAsync(AppPages.LoginPath);

        // Sign in: Tab to the email field, type, Tab to the password, type, Enter.
        await TabToAsync(page, "input[name='Input.Email']");
        await page.Keyboard.TypeAsync(DemoUsers.Rep);
        await TabToAsync(page, "input[name='Input.Password']");
        await page.Keyboard.TypeAsync(DemoUsers.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => !AppPages.IsLoginPage(url));
        await page.WaitForInteractiveAsync();
        await page.WaitForContentAsync();

        // The skip link is the first thing the keyboard reaches on the page, shows when focused and lands in the page.
        // (The app puts the focus on the page's heading after each navigation, so Shift+Tab goes back to it.)
        Assert.True(await page.EvaluateAsync<bool>(
            "() => document.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex=\"-1\"])')?.dataset.testid === 'skip-to-content'"),
            "The skip link is not the first focusable element.");
        await TabToAsync(page, "[data-testid='skip-to-content']", backwards: true);
        await Expect(page.GetByTestId("skip-to-content")).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#main-content")).ToBeFocusedAsync();

        // The deals through the menu, then the first deal of the list.
        await TabToAsync(page, "a[href='deals']", backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/deals");
        await page.WaitForContentAsync();
        await TabToAsync(page, "main a[href^='deals/']:not([href='deals/new'])");
        var dealTitle = (await page.EvaluateAsync<string>("() => document.activeElement.textContent")).Trim();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith("/deals/", StringComparison.Ordinal));
        await page.WaitForContentAsync();
        await Expect(page.GetByTestId("deal-title")).ToHaveTextAsync(dealTitle);

        // Log a communication: Tab to the People field inside the dialog, then to the summary, which saves with Ctrl+Enter.
        await TabToAsync(page, "[data-testid='log-communication']");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.OpenDialog()).ToBeVisibleAsync();
        await TabToAsync(page, "input[data-testid='log-people'], [data-testid='log-people'] input");
        // One keyboard input event per field (see RepDealFlowTests): typing key by key races the server's re-render of an
        // "immediate" field on a loaded machine; the field must hold the text before moving on.
        await page.Keyboard.InsertTextAsync("Carlos Mendes");
        await Expect(page.Locator("input[data-testid='log-people'], [data-testid='log-people'] input").First).ToHaveValueAsync("Carlos Mendes");
        await TabToAsync(page, "textarea[data-testid='log-summary'], [data-testid='log-summary'] textarea");
        const string summary = "Confirmed the delivery window by phone, typed without a mouse.";
        await page.Keyboard.InsertTextAsync(summary);
        await Expect(page.Locator("textarea[data-testid='log-summary'], [data-testid='log-summary'] textarea").First).ToHaveValueAsync(summary);
        await page.Keyboard.PressAsync("Control+Enter");

        await Expect(page.OpenDialog()).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 60_000 });
        await Expect(page.GetByTestId("communication").Filter(new LocatorFilterOptions { HasText = summary })).ToHaveCountAsync(1);
    }

    /// <summary>Presses Tab (or Shift+Tab) until the focused element matches the selector; fails after 150 presses.</summary>
    private static async Task TabToAsync(IPage page, string selector, bool backwards = false)
    {
        for (var presses = 0; presses < 150; presses++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement !== null && document.activeElement.matches(s)", selector))
                return;
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }

        var focused = await page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : 'nothing'");
        Assert.Fail($"150 presses of {(backwards ? "Shift+Tab" : "Tab")} never reached {selector}; focus is on {focused}");
    }
}

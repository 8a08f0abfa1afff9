using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CommitmentTracker.EndToEnd.Tests.Infrastructure;

/// <summary>How the tests work MudBlazor's controls: selects open a popover of options, dialogs close when saved.</summary>
public static class MudControls
{
    /// <summary>Opens a MudSelect (found by its test id) and clicks the option with exactly this text.</summary>
    public static async Task ChooseAsync(this IPage page, string testId, string option)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GetByTestId(testId).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item")
            .Filter(new LocatorFilterOptions { HasTextRegex = new Regex($"^\\s*{Regex.Escape(option)}\\s*$") })
            .ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
    }

    /// <summary>The dialog that is open (MudBlazor renders one .mud-dialog per open dialog).</summary>
    public static ILocator OpenDialog(this IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.Locator(".mud-dialog");
    }

    /// <summary>
    /// Clicks a dialog's save button and waits until the dialog has closed (it stays open when the save is refused).
    /// On a busy machine a click can reach the server just after the dialog re-rendered and find no handler (nothing is
    /// saved then, and the button stays enabled): while the dialog is open and its button enabled, it clicks again. A
    /// button disabled means a save is running: it waits for it, never clicking then. The dialogs ignore a second click
    /// while a save runs, so this never saves twice.
    /// </summary>
    public static async Task SaveDialogAsync(this IPage page, string saveTestId)
    {
        ArgumentNullException.ThrowIfNull(page);
        var save = page.GetByTestId(saveTestId);
        await save.ClickAsync();
        var deadline = DateTime.UtcNow + SaveTimeout;
        while (true)
        {
            try
            {
                await Assertions.Expect(page.OpenDialog()).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 4_000 });
                return;
            }
            catch (PlaywrightException) when (DateTime.UtcNow < deadline)
            {
                // Still open: click again only if the first click was lost (the button is there and enabled).
                if (await save.CountAsync() == 1 && await save.IsEnabledAsync(new LocatorIsEnabledOptions { Timeout = 1_000 }))
                {
                    try
                    {
                        await save.ClickAsync(new LocatorClickOptions { Timeout = 2_000 });
                    }
                    catch (PlaywrightException)
                    {
                        // The dialog closed or re-rendered meanwhile: the next round looks again.
                    }
                }
            }
        }
    }

    /// <summary>How long a save may take on a loaded machine before the test gives up.</summary>
    public static readonly TimeSpan SaveTimeout = TimeSpan.FromSeconds(60);
}

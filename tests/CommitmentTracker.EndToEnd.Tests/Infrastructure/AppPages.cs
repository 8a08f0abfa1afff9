using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CommitmentTracker.EndToEnd.Tests.Infrastructure;

/// <summary>What the tests do to the app's pages: sign in, wait for the Blazor circuit.</summary>
public static partial class AppPages
{
    public const string LoginPath = "Account/Login";

    /// <summary>
    /// Opens the login page, signs in and waits until the app has left the login page and its interactive circuit is
    /// up (the main layout sets data-interactive="true" after its first interactive render).
    /// </summary>
    public static async Task SignInAsync(this IPage page, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(LoginPath);
        await page.SubmitSignInFormAsync(email, password);
        await page.WaitForURLAsync(url => !IsLoginPage(url));
        await page.WaitForInteractiveAsync();
    }

    /// <summary>Fills and posts the login form already shown (a static server-rendered form), and waits for the next page.</summary>
    public static async Task SubmitSignInFormAsync(this IPage page, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.Locator("input[name='Input.Email']").FillAsync(email);
        await page.Locator("input[name='Input.Password']").FillAsync(password);
        await page.ClickAndWaitForNewDocumentAsync(page.Locator("form button[type='submit']"));
    }

    /// <summary>
    /// Clicks something that loads a new document (a form post, a full-page link) and waits until that document has
    /// loaded, even when its URL is the same as before (a login form that fails posts back to itself).
    /// </summary>
    public static async Task ClickAndWaitForNewDocumentAsync(this IPage page, ILocator target)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(target);
        await page.EvaluateAsync("() => { window.__ctPreviousDocument = true; }");
        await target.ClickAsync();
        await page.WaitForFunctionAsync("() => !window.__ctPreviousDocument && document.readyState === 'complete'");
    }

    /// <summary>Waits for the circuit: a click made before it is up can be lost.</summary>
    public static Task WaitForInteractiveAsync(this IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.Locator("[data-interactive='true']").WaitForAsync();
    }

    /// <summary>The page's path without query, e.g. "/deals".</summary>
    public static string Path(this IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new Uri(page.Url).AbsolutePath;
    }

    public static bool IsLoginPage(string url) => LoginUrl().IsMatch(url);

    [GeneratedRegex("/Account/Login(?:[?#]|$)", RegexOptions.IgnoreCase)]
    private static partial Regex LoginUrl();
}

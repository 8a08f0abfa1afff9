using System.Globalization;
using Microsoft.Playwright;

// Screenshots of the main pages at a phone's width (390 px) and a desktop's (1400 px), from a running app with the demo
// company: the manager's dashboard, a deal, a recovery plan, an account and the delivery record, the service queue. Usage:
//   dotnet run --project tools/screenshots -- <base url> <output folder> [chromium path]
//   dotnet run --project tools/screenshots -- <base url> - [chromium path] --print-deal
var baseUrl = args.Length > 0 ? args[0] : "http://127.0.0.1:5097/";
var outputFolder = Path.GetFullPath(args.Length > 1 ? args[1] : "docs/images");
var chromium = args.Length > 2 ? args[2] : "/usr/bin/chromium";
const string Password = "Demo-Password-2026!";
const string ContentLoaded =
    "() => document.querySelector('h1') !== null && document.querySelector('main .mud-progress-linear, main .mud-table-loading') === null";

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = chromium,
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

// "--print-deal": only print the path of the deal of the dashboard's first at-risk promise (tools/lighthouse uses it).
if (args.Contains("--print-deal"))
{
    var page = await SignInAsync("manager@demo.local", 1400, 900);
    await page.WaitForFunctionAsync(ContentLoaded);
    Console.WriteLine(await page.Locator("[data-testid='at-risk-row'] td a[href^='deals/']").First.GetAttributeAsync("href"));
    return 0;
}

Directory.CreateDirectory(outputFolder);
foreach (var (width, height) in new[] { (390, 844), (1400, 900) })
{
    var manager = await SignInAsync("manager@demo.local", width, height);
    await ShootAsync(manager, "dashboard", width);
    var deal = await manager.Locator("[data-testid='at-risk-row'] td a[href^='deals/']").First.GetAttributeAsync("href");
    await manager.GotoAsync(deal!);
    await ShootAsync(manager, "deal", width);
    await manager.GotoAsync("recovery");
    await manager.WaitForFunctionAsync(ContentLoaded);
    var plan = await manager.Locator("[data-testid='plans-table'] a[href^='recovery/']").First.GetAttributeAsync("href");
    await manager.GotoAsync(plan!);
    await ShootAsync(manager, "recovery-plan", width);
    await manager.GotoAsync("accounts");
    await manager.WaitForFunctionAsync(ContentLoaded);
    var account = await manager.Locator("main a[href^='accounts/']").First.GetAttributeAsync("href");
    await manager.GotoAsync(account!);
    await ShootAsync(manager, "account", width);
    await manager.GotoAsync("delivery-record");
    await ShootAsync(manager, "delivery-record", width);
    await manager.Context.CloseAsync();

    var service = await SignInAsync("service@demo.local", width, height);
    await service.GotoAsync("fulfilment");
    await ShootAsync(service, "fulfilment", width);
    await service.Context.CloseAsync();
}

return 0;

async Task<IPage> SignInAsync(string email, int width, int height)
{
    var phone = width < 600;
    var context = await browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = baseUrl,
        ViewportSize = new ViewportSize { Width = width, Height = height },
        DeviceScaleFactor = 1,
        IsMobile = phone,
        HasTouch = phone,
        Locale = "en-GB",
        ColorScheme = ColorScheme.Light,
    });
    context.SetDefaultTimeout(60_000);
    var page = await context.NewPageAsync();
    await page.GotoAsync("Account/Login");
    await page.FillAsync("input[name='Input.Email']", email);
    await page.FillAsync("input[name='Input.Password']", Password);
    await page.ClickAsync("form button[type='submit']");
    await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
    await page.Locator("[data-interactive='true']").WaitForAsync();
    return page;
}

async Task ShootAsync(IPage page, string name, int width)
{
    await page.WaitForFunctionAsync(ContentLoaded);
    // Let charts and chips settle (MudBlazor animates them in) before the picture.
    await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
    var file = Path.Combine(outputFolder, string.Create(CultureInfo.InvariantCulture, $"{name}-{width}.png"));
    await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = false, Animations = ScreenshotAnimations.Disabled });
    Console.WriteLine($"{file} ({new FileInfo(file).Length / 1024} KB)");
}

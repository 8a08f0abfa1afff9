using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// An administrator changes a user who has the app open in a browser: the user's next click says so plainly, the circuit
/// keeps working, and continuing signs them out (deactivated) or opens their new start page (role changed).
/// </summary>
public sealed class AccessChangeFlowTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_user_deactivated_while_their_page_is_open_is_told_at_the_next_click_and_signed_out()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep2, DemoUsers.Password);

        await AsAdminAsync((users, admin, userId) => users.DeactivateAsync(admin, userId, Cancel), DemoUsers.Rep2);
        await page.GetByTestId("nav-deals").ClickAsync();

        var notice = page.GetByTestId("access-changed");
        await Expect(notice).ToBeVisibleAsync();
        await Expect(notice).ToContainTextAsync("Your account is no longer active");
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await page.ClickAndWaitForNewDocumentAsync(page.GetByTestId("access-continue"));

        Assert.True(AppPages.IsLoginPage(page.Url), page.Url);
        await Expect(page.GetByTestId("login-ended")).ToContainTextAsync("no longer active");
        // The cookie is gone: asking for a page again leads to the login page.
        await page.GotoAsync("deals");
        await page.WaitForURLAsync(url => AppPages.IsLoginPage(url));
    }

    [Fact]
    public async Task A_user_whose_role_changed_while_their_page_is_open_is_told_and_continues_in_the_new_role()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Manager2, DemoUsers.Password);
        Assert.Equal("/dashboard", page.Path());

        await AsAdminAsync(async (users, admin, userId) =>
        {
            var teamId = await TeamOfAsync(userId);
            await users.AssignAsync(admin, userId, null, new UserAssignmentInput { Role = AppRoles.Rep, TeamId = teamId, Department = Domain.Department.Sales }, Cancel);
        }, DemoUsers.Manager2);
        await page.GetByTestId("nav-deals").ClickAsync();

        var notice = page.GetByTestId("access-changed");
        await Expect(notice).ToContainTextAsync("Your access changed");
        await page.ClickAndWaitForNewDocumentAsync(page.GetByTestId("access-continue"));
        await page.WaitForInteractiveAsync();

        Assert.Equal("/home", page.Path());
        await Expect(page.GetByTestId("current-user")).ToContainTextAsync(AppRoles.Rep);
        await Expect(page.GetByTestId("nav-dashboard")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("access-changed")).ToHaveCountAsync(0);
    }

    private async Task AsAdminAsync(Func<UsersService, Actor, string, Task> change, string email)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var admin = await ActorAccessor.LoadAsync(dbFactory, (await userManager.FindByEmailAsync(DemoUsers.Admin))!.Id, Cancel)
            ?? throw new InvalidOperationException("The demo admin is missing.");
        var user = await userManager.FindByEmailAsync(email) ?? throw new InvalidOperationException($"{email} is missing.");
        await change(scope.ServiceProvider.GetRequiredService<UsersService>(), admin, user.Id);
    }

    private async Task<Guid?> TeamOfAsync(string userId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(Cancel);
        return await db.Users.Where(u => u.Id == userId).Select(u => u.TeamId).SingleAsync(Cancel);
    }
}

using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Components.Shared;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// A user without a time zone signs in from a browser in New York: the browser's zone is stored, and the times on their
/// pages are New York times, marked with the offset.
/// </summary>
public sealed class TimeZoneFlowTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_browsers_time_zone_is_stored_at_first_sign_in_and_times_are_shown_in_it()
    {
        var email = await NewAdminWithoutTimeZoneAsync();
        var page = await OpenPageAsync(timezoneId: "America/New_York");

        await page.SignInAsync(email, DemoUsers.Password);

        Assert.Equal("America/New_York", await StoredZoneAsync(email));
        // The checklist's versions show when each was created: in New York time, with its offset.
        var createdAt = await FirstChecklistVersionCreatedAtAsync();
        var expected = TimeFormat.DateTime(createdAt, TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        Assert.Matches(@"UTC-[45]$", expected);
        await page.GotoAsync("admin/checklist");
        await Expect(page.GetByTestId("checklist-history")).ToContainTextAsync(expected);
    }

    private async Task<string> NewAdminWithoutTimeZoneAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var dbFactory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var admin = await ActorAccessor.LoadAsync(dbFactory, (await userManager.FindByEmailAsync(DemoUsers.Admin))!.Id, Cancel)
            ?? throw new InvalidOperationException("No demo admin.");
        var email = $"zone-{Guid.NewGuid():N}@test.local";
        await scope.ServiceProvider.GetRequiredService<UsersService>().CreateUserAsync(admin, new NewUserInput
        {
            DisplayName = "Nadia Brooks",
            Email = email,
            Role = AppRoles.Admin,
            Department = null,
            Password = DemoUsers.Password,
        }, Cancel);
        Assert.Null(await StoredZoneAsync(email));
        return email;
    }

    private async Task<string?> StoredZoneAsync(string email)
    {
        var dbFactory = App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync(Cancel);
        return await db.Users.AsNoTracking().Where(u => u.Email == email).Select(u => u.TimeZone).SingleAsync(Cancel);
    }

    private async Task<DateTimeOffset> FirstChecklistVersionCreatedAtAsync()
    {
        var dbFactory = App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync(Cancel);
        return await db.ChecklistTemplates.AsNoTracking().OrderBy(t => t.Version).Select(t => t.CreatedAt).FirstAsync(Cancel);
    }
}

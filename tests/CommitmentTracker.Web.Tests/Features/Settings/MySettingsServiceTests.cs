using CommitmentTracker.Web.Components.Shared;
using CommitmentTracker.Web.Features.Settings;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CommitmentTracker.Web.Tests.Features.Settings;

/// <summary>A user's time zone: the browser's when they have none, theirs once chosen; validated on the server.</summary>
public sealed class MySettingsServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private MySettingsService Service => new(database, new MySettingsValidator(), NullLogger<MySettingsService>.Instance);

    private Task<string?> StoredZoneAsync(Actor user) =>
        database.QueryAsync(db => db.Users.AsNoTracking().Where(u => u.Id == user.UserId).Select(u => u.TimeZone).SingleAsync(Cancel));

    [Fact]
    public async Task The_browsers_zone_is_stored_for_a_user_who_has_none()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);

        var zone = await Service.AdoptBrowserZoneAsync(rep.UserId, "America/New_York", Cancel);

        Assert.Equal(("America/New_York", "America/New_York"), (zone, await StoredZoneAsync(rep)));
    }

    [Fact]
    public async Task The_browsers_zone_never_replaces_a_zone_the_user_has()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        await Service.SaveAsync(rep, new MySettingsInput { TimeZone = "Europe/Berlin" }, Cancel);

        var zone = await Service.AdoptBrowserZoneAsync(rep.UserId, "America/New_York", Cancel);

        Assert.Equal(("Europe/Berlin", "Europe/Berlin"), (zone, await StoredZoneAsync(rep)));
    }

    [Fact]
    public async Task An_unknown_browser_zone_is_ignored()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);

        var zone = await Service.AdoptBrowserZoneAsync(rep.UserId, "Mars/Olympus_Mons", Cancel);

        Assert.Equal((null, null), (zone, await StoredZoneAsync(rep)));
    }

    [Fact]
    public async Task A_user_changes_their_zone_on_the_settings_page()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        await Service.AdoptBrowserZoneAsync(rep.UserId, "America/New_York", Cancel);

        var stored = await Service.SaveAsync(rep, new MySettingsInput { TimeZone = "Asia/Kolkata" }, Cancel);

        Assert.Equal(("Asia/Kolkata", "Asia/Kolkata"), (stored, await StoredZoneAsync(rep)));
        Assert.Equal("Asia/Kolkata", (await Service.GetAsync(rep, Cancel)).TimeZone);
    }

    [Fact]
    public async Task The_server_refuses_an_unknown_zone_and_keeps_the_one_stored()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        await Service.SaveAsync(rep, new MySettingsInput { TimeZone = "Europe/Berlin" }, Cancel);

        var error = await Assert.ThrowsAsync<ValidationException>(() => Service.SaveAsync(rep, new MySettingsInput { TimeZone = "Europe/Atlantis" }, Cancel));

        Assert.Contains(error.Errors, e => e.ErrorMessage == TimeZoneIds.Unknown);
        Assert.Equal("Europe/Berlin", await StoredZoneAsync(rep));
    }
}

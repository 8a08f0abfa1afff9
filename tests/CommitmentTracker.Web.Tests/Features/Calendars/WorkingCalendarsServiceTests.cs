using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Calendars;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CommitmentTracker.Web.Tests.Features.Calendars;

/// <summary>Admins keep each team's working calendar: the week, holidays by hand and from an ICS file after a preview.</summary>
public sealed class WorkingCalendarsServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string FixturePath => Path.Combine(AppContext.BaseDirectory, "Features", "Calendars", "public-holidays-de.ics");

    private WorkingCalendarsService Service => new(database, new FakeTimeProvider(TestDeals.Now), new WorkingWeekValidator(), new HolidayValidator());

    private Task<WorkingCalendar?> StoredAsync(Guid teamId) =>
        database.QueryAsync(db => db.WorkingCalendars.AsNoTracking().SingleOrDefaultAsync(c => c.TeamId == teamId, Cancel));

    private async Task<HolidayImportPreview> PreviewFixtureAsync(Actor admin, Guid teamId)
    {
        await using var file = File.OpenRead(FixturePath);
        return await Service.PreviewImportAsync(admin, teamId, "public-holidays-de.ics", file, Cancel);
    }

    [Fact]
    public async Task A_team_without_a_calendar_works_Monday_to_Friday_nine_to_five_with_no_holidays()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();

        var view = await Service.GetAsync(admin, team.Id, Cancel);

        Assert.True(view.IsDefault);
        Assert.Equal(WorkingCalendar.MondayToFriday, view.WorkingDays);
        Assert.Equal((new TimeOnly(9, 0), new TimeOnly(17, 0)), (view.DayStart, view.DayEnd));
        Assert.Empty(view.Holidays);
        Assert.Null(await StoredAsync(team.Id));
    }

    [Fact]
    public async Task An_admin_saves_the_working_week_and_a_holiday_and_they_are_stored()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();

        await Service.SaveWeekAsync(admin, team.Id, null, new WorkingWeekInput
        {
            Days = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday],
            DayStart = TimeSpan.FromHours(8),
            DayEnd = TimeSpan.FromHours(16.5),
            TimeZoneId = "Europe/Berlin",
        }, Cancel);
        var saved = await Service.GetAsync(admin, team.Id, Cancel);
        await Service.AddHolidayAsync(admin, team.Id, saved.Version, new HolidayInput { Date = new DateTime(2026, 12, 24), Name = "Christmas Eve" }, Cancel);

        var stored = await StoredAsync(team.Id);
        Assert.NotNull(stored);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday], stored.WorkingDays);
        Assert.Equal((new TimeOnly(8, 0), new TimeOnly(16, 30), "Europe/Berlin"), (stored.DayStart, stored.DayEnd, stored.TimeZoneId));
        Assert.Equal([new Holiday(new DateOnly(2026, 12, 24), "Christmas Eve")], stored.Holidays);
        Assert.False(stored.IsWorkingDay(new DateOnly(2026, 3, 6))); // a Friday: no longer worked
    }

    [Fact]
    public async Task Removing_a_holiday_makes_the_day_a_working_day_again()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();
        await Service.AddHolidayAsync(admin, team.Id, null, new HolidayInput { Date = new DateTime(2026, 12, 24), Name = "Christmas Eve" }, Cancel);
        var view = await Service.GetAsync(admin, team.Id, Cancel);

        await Service.RemoveHolidayAsync(admin, team.Id, view.Version, new DateOnly(2026, 12, 24), Cancel);

        Assert.Empty((await StoredAsync(team.Id))!.Holidays);
    }

    [Fact]
    public async Task Importing_an_ics_file_previews_the_holidays_it_holds_and_saves_nothing_until_confirmed()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();

        var preview = await PreviewFixtureAsync(admin, team.Id);

        // From 1 Jan 2026 to 31 Dec 2029: New Year's Day every year (a yearly rule), a two-day event as two days,
        // and nothing from 2019.
        Assert.Equal(
            [
                new DateOnly(2026, 1, 1), new DateOnly(2026, 5, 14), new DateOnly(2026, 5, 15), new DateOnly(2026, 10, 3),
                new DateOnly(2026, 12, 25), new DateOnly(2026, 12, 26), new DateOnly(2027, 1, 1), new DateOnly(2028, 1, 1), new DateOnly(2029, 1, 1),
            ],
            preview.Rows.Select(r => r.Date));
        Assert.Equal("Christmas Day", preview.Rows.Single(r => r.Date == new DateOnly(2026, 12, 25)).Name);
        Assert.Equal("a Saturday: no working day lost", preview.Rows.Single(r => r.Date == new DateOnly(2026, 10, 3)).Note);
        Assert.Null(await StoredAsync(team.Id));

        var added = await Service.ImportAsync(admin, team.Id, null, preview.ToAdd, Cancel);

        Assert.Equal(9, added);
        var stored = await StoredAsync(team.Id);
        Assert.Equal(preview.Rows.Select(r => r.Date), stored!.Holidays.Select(h => h.Date));
        Assert.Equal("holiday: Christmas Day", stored.NonWorkingReason(new DateOnly(2026, 12, 25)));
    }

    [Fact]
    public async Task A_second_import_of_the_same_file_finds_every_date_already_a_holiday()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();
        await Service.AddHolidayAsync(admin, team.Id, null, new HolidayInput { Date = new DateTime(2026, 12, 25), Name = "Weihnachten" }, Cancel);

        var preview = await PreviewFixtureAsync(admin, team.Id);

        var christmas = preview.Rows.Single(r => r.Date == new DateOnly(2026, 12, 25));
        Assert.Equal(HolidayImportOutcome.AlreadyAHoliday, christmas.Outcome);
        Assert.Equal("already a holiday: Weihnachten", christmas.Note);
        Assert.Equal(8, preview.ToAdd.Count);
    }

    [Theory]
    [InlineData("holidays.ics", "this is not a calendar", "not an iCalendar file")]
    [InlineData("holidays.txt", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "Choose an iCalendar file (.ics).")]
    [InlineData("empty.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "holds no events")]
    public async Task A_file_that_is_no_holiday_calendar_is_refused_with_a_message(string fileName, string content, string message)
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            Service.PreviewImportAsync(admin, team.Id, fileName, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), Cancel));

        Assert.Contains(message, error.Message);
        Assert.Null(await StoredAsync(team.Id));
    }

    [Fact]
    public async Task A_week_without_days_or_with_hours_ending_before_they_start_is_refused_and_nothing_changes()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();

        var error = await Assert.ThrowsAsync<ValidationException>(() => Service.SaveWeekAsync(admin, team.Id, null,
            new WorkingWeekInput { Days = [], DayStart = TimeSpan.FromHours(17), DayEnd = TimeSpan.FromHours(9), TimeZoneId = "Nowhere/City" }, Cancel));

        Assert.Equal(
            ["Tick at least one working day.", "The working day must end after it starts.", "Pick a time zone from the list, e.g. Europe/Berlin."],
            error.Errors.Select(e => e.ErrorMessage));
        Assert.Null(await StoredAsync(team.Id));
    }

    [Fact]
    public async Task The_second_of_two_admins_changing_the_same_calendar_is_told_and_does_not_overwrite()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var team = await database.CreateTeamAsync();
        await Service.SaveWeekAsync(admin, team.Id, null, new WorkingWeekInput { TimeZoneId = "Europe/Berlin" }, Cancel);

        // The second admin still saw the default (no stored calendar).
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Service.SaveWeekAsync(admin, team.Id, null, new WorkingWeekInput { TimeZoneId = "Europe/Lisbon" }, Cancel));
        var seen = await Service.GetAsync(admin, team.Id, Cancel);
        await Service.AddHolidayAsync(admin, team.Id, seen.Version, new HolidayInput { Date = new DateTime(2026, 12, 25), Name = "Christmas Day" }, Cancel);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Service.RemoveHolidayAsync(admin, team.Id, seen.Version, new DateOnly(2026, 12, 25), Cancel));

        var stored = await StoredAsync(team.Id);
        Assert.Equal("Europe/Berlin", stored!.TimeZoneId);
        Assert.Single(stored.Holidays);
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Service)]
    public async Task Only_admins_see_and_change_working_calendars(string role)
    {
        var team = await database.CreateTeamAsync();
        var caller = await database.CreateAsync(role, team);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetAsync(caller, team.Id, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.SaveWeekAsync(caller, team.Id, null, new WorkingWeekInput(), Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Service.AddHolidayAsync(caller, team.Id, null, new HolidayInput { Date = new DateTime(2026, 12, 25), Name = "Christmas Day" }, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ImportAsync(caller, team.Id, null, [new Holiday(new DateOnly(2026, 12, 25), "X")], Cancel));

        Assert.Null(await StoredAsync(team.Id));
    }
}

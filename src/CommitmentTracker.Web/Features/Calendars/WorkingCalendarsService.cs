using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Web.Components.Shared;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Calendars;

/// <summary>
/// Each team's working calendar, for admins: the working week, holidays added by hand or imported from an ICS file after a
/// preview. A team nobody has set a calendar for works the default week; its first save stores the row. Every change
/// carries the version the admin saw (null: the default they saw), so a stale one is refused.
/// </summary>
public sealed class WorkingCalendarsService(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    WorkingWeekValidator weekValidator,
    HolidayValidator holidayValidator)
{
    private const string What = "working calendars";

    /// <summary>Imports take holidays from the start of this year to the end of the third year after it.</summary>
    public (DateOnly From, DateOnly Until) ImportRange()
    {
        var year = clock.GetUtcNow().Year;
        return (new DateOnly(year, 1, 1), new DateOnly(year + 3, 12, 31));
    }

    public async Task<IReadOnlyList<CalendarTeam>> TeamsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new CalendarTeam(t.Id, t.Name)).ToListAsync(cancellationToken);
    }

    public async Task<WorkingCalendarView> GetAsync(Actor actor, Guid teamId, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var teamName = await db.Teams.Where(t => t.Id == teamId).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken)
            ?? throw new RecordNotFoundException("team");
        var stored = await db.WorkingCalendars.SingleOrDefaultAsync(c => c.TeamId == teamId, cancellationToken);
        var calendar = stored ?? WorkingCalendar.Default(teamId);
        return new WorkingCalendarView(teamId, teamName, calendar.WorkingDays, calendar.DayStart, calendar.DayEnd, calendar.TimeZoneId,
            calendar.Holidays, stored is null ? null : db.VersionOf(stored));
    }

    public async Task SaveWeekAsync(Actor actor, Guid teamId, uint? version, WorkingWeekInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await weekValidator.EnsureValidAsync(input, cancellationToken);
        TimeZoneIds.TryFind(input.TimeZoneId, out var zone);
        await ChangeAsync(actor, teamId, version, calendar => calendar.SetWeek(
            input.Days, TimeOnly.FromTimeSpan(input.DayStart!.Value), TimeOnly.FromTimeSpan(input.DayEnd!.Value), zone!.Id), cancellationToken);
    }

    public async Task AddHolidayAsync(Actor actor, Guid teamId, uint? version, HolidayInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await holidayValidator.EnsureValidAsync(input, cancellationToken);
        await ChangeAsync(actor, teamId, version, calendar => calendar.AddHoliday(DateOnly.FromDateTime(input.Date!.Value), input.Name!), cancellationToken);
    }

    public async Task RemoveHolidayAsync(Actor actor, Guid teamId, uint? version, DateOnly date, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await ChangeAsync(actor, teamId, version, calendar => calendar.RemoveHoliday(date), cancellationToken);
    }

    /// <summary>Reads an ICS file and says what importing it would add; saves nothing.</summary>
    public async Task<HolidayImportPreview> PreviewImportAsync(Actor actor, Guid teamId, string fileName, Stream ics, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        ArgumentNullException.ThrowIfNull(ics);
        if (!fileName.EndsWith(".ics", StringComparison.OrdinalIgnoreCase) && !fileName.EndsWith(".ical", StringComparison.OrdinalIgnoreCase))
            throw new DomainException("Choose an iCalendar file (.ics).");
        var text = await ReadAsync(ics, cancellationToken);
        var (from, until) = ImportRange();
        var found = HolidayFile.Read(text, from, until);
        if (found.Count == 0)
            throw new DomainException($"That file holds no events between {TimeFormat.Day(from)} and {TimeFormat.Day(until)}: nothing to import.");

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Teams.AnyAsync(t => t.Id == teamId, cancellationToken))
            throw new RecordNotFoundException("team");
        var calendar = await db.OfTeamAsync(teamId, cancellationToken);
        var rows = found.Select(h => calendar.HolidayOn(h.Date) is { } existing
                ? new HolidayPreviewRow(h.Date, h.Name, HolidayImportOutcome.AlreadyAHoliday, $"already a holiday: {existing.Name}")
                : new HolidayPreviewRow(h.Date, h.Name, HolidayImportOutcome.Added,
                    calendar.IsWorkingWeekday(h.Date.DayOfWeek) ? null : $"a {h.Date.DayOfWeek}: no working day lost"))
            .ToList();
        return new HolidayImportPreview(Path.GetFileName(fileName), from, until, rows);
    }

    /// <summary>Adds the previewed holidays whose dates are not holidays yet; returns how many were added.</summary>
    public async Task<int> ImportAsync(Actor actor, Guid teamId, uint? version, IReadOnlyList<Holiday> holidays, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        ArgumentNullException.ThrowIfNull(holidays);
        var added = 0;
        await ChangeAsync(actor, teamId, version, calendar => added = calendar.ImportHolidays(holidays).Count, cancellationToken);
        return added;
    }

    private async Task ChangeAsync(Actor actor, Guid teamId, uint? version, Action<WorkingCalendar> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        if (!await db.Teams.AnyAsync(t => t.Id == teamId, cancellationToken))
            throw new RecordNotFoundException("team");
        var calendar = await db.WorkingCalendars.SingleOrDefaultAsync(c => c.TeamId == teamId, cancellationToken);
        if (calendar is null)
        {
            if (version is not null)
                throw new ConcurrencyConflictException("This team's working calendar was reset since you opened it, so your change was not saved. Reload and apply it again.");
            calendar = WorkingCalendar.Default(teamId);
            db.WorkingCalendars.Add(calendar);
        }
        else
        {
            // The admin saw the default: someone stored a calendar since; expecting version 0 makes the save explain that.
            db.ExpectVersion(calendar, version ?? 0);
        }
        change(calendar);
        try
        {
            await db.SaveOrExplainConflictAsync("working calendar", cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            throw new ConcurrencyConflictException("Someone saved this team's working calendar at the same moment, so your change was not saved. Reload and apply it again.");
        }
    }

    private static async Task<string> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > HolidayFile.MaxBytes)
                throw new DomainException($"That file is larger than {HolidayFile.MaxBytes / 1024 / 1024} MB; a holiday calendar is much smaller.");
            buffer.Write(chunk, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}

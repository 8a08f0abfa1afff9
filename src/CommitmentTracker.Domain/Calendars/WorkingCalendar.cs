namespace CommitmentTracker.Domain.Calendars;

/// <summary>A day the team does not work although it falls in the working week (a public holiday, a company day off).</summary>
public sealed record Holiday(DateOnly Date, string Name);

/// <summary>
/// A team's working time: which weekdays it works, its working hours in its time zone, and its holidays. Lead times count
/// working days of it, "tell the customer within N hours" and recovery step due times count its working hours, and the
/// promise forecast counts durations in its working days (<see cref="Forecasts.IDurationCalendar"/>).
/// </summary>
public sealed class WorkingCalendar : Forecasts.IDurationCalendar
{
    /// <summary>The most holidays one calendar holds (a few decades of public holidays).</summary>
    public const int MaxHolidays = 1000;

    /// <summary>The zone of a calendar nobody has set: the one the risk rules count days in (decision 24).</summary>
    public const string DefaultTimeZoneId = "UTC";

    public static readonly TimeOnly DefaultDayStart = new(9, 0);
    public static readonly TimeOnly DefaultDayEnd = new(17, 0);

    public static readonly IReadOnlyList<DayOfWeek> MondayToFriday =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    private List<Holiday> _holidays = [];
    private TimeZoneInfo? _zone;

    private WorkingCalendar() { }

    /// <summary>The team the calendar belongs to; one calendar per team.</summary>
    public Guid TeamId { get; private set; }

    /// <summary>The working weekdays as a bit set (bit n is <see cref="DayOfWeek"/> n), as stored.</summary>
    public int WorkingDayBits { get; private set; }

    public TimeOnly DayStart { get; private set; }
    public TimeOnly DayEnd { get; private set; }

    /// <summary>The IANA zone the working hours are in.</summary>
    public string TimeZoneId { get; private set; } = DefaultTimeZoneId;

    public IReadOnlyList<Holiday> Holidays => _holidays;

    public TimeZoneInfo TimeZone => _zone ??= FindZone(TimeZoneId);

    /// <summary>The working weekdays, Monday first.</summary>
    public IReadOnlyList<DayOfWeek> WorkingDays =>
        [.. Enumerable.Range(1, 7).Select(i => (DayOfWeek)(i % 7)).Where(d => (WorkingDayBits & (1 << (int)d)) != 0)];

    /// <summary>Length of one working day.</summary>
    public TimeSpan WorkingDayLength => DayEnd - DayStart;

    /// <summary>The calendar of a team nobody has set one for: Monday to Friday, 09:00 to 17:00, no holidays.</summary>
    public static WorkingCalendar Default(Guid teamId, string timeZoneId = DefaultTimeZoneId)
    {
        var calendar = new WorkingCalendar { TeamId = teamId };
        calendar.SetWeek(MondayToFriday, DefaultDayStart, DefaultDayEnd, timeZoneId);
        return calendar;
    }

    /// <summary>Sets the working week: the weekdays worked, the working hours and the zone they are in.</summary>
    public void SetWeek(IEnumerable<DayOfWeek> workingDays, TimeOnly dayStart, TimeOnly dayEnd, string timeZoneId)
    {
        ArgumentNullException.ThrowIfNull(workingDays);
        var bits = 0;
        foreach (var day in workingDays)
        {
            Guard.Defined(day, "Working day");
            bits |= 1 << (int)day;
        }
        if (bits == 0)
            throw new DomainException("A working week needs at least one working day.");
        if (dayEnd <= dayStart)
            throw new DomainException("The working day must end after it starts (working hours past midnight are not supported).");
        var zone = FindZone(Guard.Required(timeZoneId, "Time zone", 64));
        WorkingDayBits = bits;
        DayStart = dayStart;
        DayEnd = dayEnd;
        TimeZoneId = timeZoneId.Trim();
        _zone = zone;
    }

    /// <summary>Adds a holiday; a date that already is one is refused with its name.</summary>
    public Holiday AddHoliday(DateOnly date, string name)
    {
        var holiday = new Holiday(date, Guard.Required(name, "Holiday name", FieldLengths.ShortText));
        if (HolidayOn(date) is { } existing)
            throw new DomainException($"{Format(date)} is already a holiday ({existing.Name}).");
        if (_holidays.Count >= MaxHolidays)
            throw new DomainException($"A calendar holds at most {MaxHolidays} holidays: remove past ones first.");
        _holidays = [.. _holidays.Append(holiday).OrderBy(h => h.Date)];
        return holiday;
    }

    /// <summary>Adds the holidays of an import whose dates are not holidays yet; returns those added.</summary>
    public IReadOnlyList<Holiday> ImportHolidays(IEnumerable<Holiday> holidays)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        var added = new List<Holiday>();
        foreach (var holiday in holidays.OrderBy(h => h.Date))
        {
            if (HolidayOn(holiday.Date) is not null)
                continue;
            added.Add(AddHoliday(holiday.Date, holiday.Name));
        }
        return added;
    }

    public void RemoveHoliday(DateOnly date)
    {
        if (HolidayOn(date) is null)
            throw new DomainException($"{Format(date)} is not a holiday of this calendar.");
        _holidays = [.. _holidays.Where(h => h.Date != date)];
    }

    public Holiday? HolidayOn(DateOnly date)
    {
        foreach (var holiday in _holidays)
            if (holiday.Date == date)
                return holiday;
        return null;
    }

    public bool IsWorkingWeekday(DayOfWeek day) => (WorkingDayBits & (1 << (int)day)) != 0;

    public bool IsWorkingDay(DateOnly date) => IsWorkingWeekday(date.DayOfWeek) && HolidayOn(date) is null;

    /// <summary>Why a date is not a working day ("Sat", "holiday: Christmas Day"), or null when it is one.</summary>
    public string? NonWorkingReason(DateOnly date) =>
        HolidayOn(date) is { } holiday ? $"holiday: {holiday.Name}"
        : IsWorkingWeekday(date.DayOfWeek) ? null
        : date.DayOfWeek.ToString()[..3];

    /// <summary>
    /// The working days after <paramref name="from"/> up to and including <paramref name="to"/> (negative when
    /// <paramref name="to"/> is earlier): <c>WorkingDaysBetween(d, AddWorkingDays(d, n)) == n</c>.
    /// </summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to < from)
            return -WorkingDaysBetween(to, from);
        var span = to.DayNumber - from.DayNumber;
        // Whole weeks at once, then the rest day by day; holidays in the range subtract.
        var weeks = span / 7;
        var count = weeks * System.Numerics.BitOperations.PopCount((uint)WorkingDayBits);
        for (var d = from.AddDays(weeks * 7 + 1); d <= to; d = d.AddDays(1))
            if (IsWorkingWeekday(d.DayOfWeek))
                count++;
        foreach (var holiday in _holidays)
            if (holiday.Date > from && holiday.Date <= to && IsWorkingWeekday(holiday.Date.DayOfWeek))
                count--;
        return count;
    }

    /// <summary>
    /// The day <paramref name="days"/> working days after <paramref name="from"/> (before it when negative); zero gives
    /// <paramref name="from"/> itself, working day or not.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly from, int days)
    {
        var step = Math.Sign(days);
        var date = from;
        for (var left = Math.Abs(days); left > 0;)
        {
            date = date.AddDays(step);
            if (IsWorkingDay(date))
                left--;
        }
        return date;
    }

    int Forecasts.IDurationCalendar.DaysBetween(DateOnly from, DateOnly to) => WorkingDaysBetween(from, to);

    DateOnly Forecasts.IDurationCalendar.AddDays(DateOnly from, int days) => AddWorkingDays(from, days);

    /// <summary>The first working day on or after <paramref name="date"/>.</summary>
    public DateOnly NextWorkingDay(DateOnly date)
    {
        while (!IsWorkingDay(date))
            date = date.AddDays(1);
        return date;
    }

    /// <summary>The moment <paramref name="hours"/> working hours after <paramref name="start"/>, in the calendar's zone.</summary>
    public DateTimeOffset AddWorkingHours(DateTimeOffset start, double hours) => AddWorkingHours(start, hours, TimeZone);

    /// <summary>
    /// The moment <paramref name="hours"/> working hours after <paramref name="start"/>, the working hours read in
    /// <paramref name="timeZone"/>. Time outside working hours does not count: a start at night or on a day off counts from
    /// the next working morning. Hours are elapsed time, so a day whose clock changes still has its full working hours.
    /// The result carries the zone's offset at that moment.
    /// </summary>
    public DateTimeOffset AddWorkingHours(DateTimeOffset start, double hours, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        if (double.IsNaN(hours) || hours < 0 || hours > 24 * 3660)
            throw new DomainException("Working hours to add must be between 0 and about ten years.");
        var left = TimeSpan.FromHours(hours);
        if (left == TimeSpan.Zero)
            return start;
        var cursor = start.ToUniversalTime();
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, timeZone).DateTime);
        while (true)
        {
            if (IsWorkingDay(date))
            {
                var opens = Instant(date, DayStart, timeZone);
                var closes = Instant(date, DayEnd, timeZone);
                if (cursor < opens)
                    cursor = opens;
                if (cursor < closes)
                {
                    var available = closes - cursor;
                    if (left <= available)
                        return TimeZoneInfo.ConvertTime(cursor + left, timeZone);
                    left -= available;
                    cursor = closes;
                }
            }
            date = date.AddDays(1);
        }
    }

    /// <summary>
    /// When something due <paramref name="after"/> a start is due in working time: whole days count as working days of
    /// <see cref="WorkingDayLength"/> (2 days from Monday 10:00 is Wednesday 10:00), anything else as working hours.
    /// </summary>
    public DateTimeOffset DueAfter(DateTimeOffset start, TimeSpan after)
    {
        if (after < TimeSpan.Zero)
            throw new DomainException("A due time cannot be before its start.");
        var hours = after.Ticks % TimeSpan.TicksPerDay == 0 && after > TimeSpan.Zero
            ? after.TotalDays * WorkingDayLength.TotalHours
            : after.TotalHours;
        return AddWorkingHours(start, hours);
    }

    /// <summary>A local time of a date in a zone as an instant: a time skipped in spring is read on the old offset, one that happens twice as the first.</summary>
    private static DateTimeOffset Instant(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var before = zone.GetUtcOffset(local.AddHours(-3));
            return new DateTimeOffset(local, before).ToUniversalTime();
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    private static TimeZoneInfo FindZone(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out var zone) ? zone
        : throw new DomainException($"\"{id}\" is not a time zone this server knows; pick one from the list, e.g. Europe/Berlin.");

    private static string Format(DateOnly date) => date.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
}

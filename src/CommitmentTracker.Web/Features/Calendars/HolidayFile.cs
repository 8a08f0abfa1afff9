using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Calendars;
using Ical.Net.DataTypes;

namespace CommitmentTracker.Web.Features.Calendars;

/// <summary>
/// Reads the holidays of an iCalendar file (.ics, e.g. a country's public holidays): each day an event covers, between two
/// dates, with the event's summary as its name. Recurring events (a yearly rule) are expanded within the range.
/// </summary>
public static class HolidayFile
{
    /// <summary>The largest file read (a public-holiday calendar of many years is a few hundred kilobytes).</summary>
    public const long MaxBytes = 2 * 1024 * 1024;

    /// <summary>The holidays of <paramref name="icsText"/> from <paramref name="from"/> to <paramref name="until"/>, by date, one per date.</summary>
    public static IReadOnlyList<Holiday> Read(string icsText, DateOnly from, DateOnly until)
    {
        ArgumentNullException.ThrowIfNull(icsText);
        Ical.Net.Calendar? calendar;
        try
        {
            calendar = Ical.Net.Calendar.Load(icsText);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new DomainException("That file is not an iCalendar file (.ics) that can be read: " + FirstLine(ex.Message));
        }
        if (calendar is null || !icsText.Contains("BEGIN:VCALENDAR", StringComparison.OrdinalIgnoreCase))
            throw new DomainException("That file is not an iCalendar file (.ics): it holds no calendar.");

        var found = new SortedDictionary<DateOnly, string>();
        var rangeEnd = new CalDateTime(until.AddDays(1).ToDateTime(TimeOnly.MinValue));
        foreach (var holidayEvent in calendar.Events)
        {
            if (holidayEvent.DtStart is null)
                continue;
            var name = Clean(holidayEvent.Summary);
            IEnumerable<Ical.Net.DataTypes.Occurrence> occurrences;
            try
            {
                occurrences = holidayEvent.GetOccurrences(new CalDateTime(from.AddDays(-7).ToDateTime(TimeOnly.MinValue)))
                    .TakeWhile(o => o.Period.StartTime.LessThan(rangeEnd))
                    .Take(5000)
                    .ToList();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new DomainException($"The event \"{name}\" in that file could not be read: " + FirstLine(ex.Message));
            }
            foreach (var occurrence in occurrences)
            {
                var start = occurrence.Period.StartTime.Date;
                var end = occurrence.Period.EffectiveEndTime is { } endTime && !occurrence.Period.StartTime.HasTime
                    ? endTime.Date.AddDays(-1) // an all-day event ends the day before its DTEND
                    : start;
                for (var day = start; day <= end && day <= until; day = day.AddDays(1))
                    if (day >= from)
                        found.TryAdd(day, name);
            }
        }
        return [.. found.Select(f => new Holiday(f.Key, f.Value))];
    }

    private static string Clean(string? summary)
    {
        var name = string.Join(' ', (summary ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        name = new string([.. name.Where(c => !char.IsControl(c))]);
        if (name.Length == 0)
            return "Holiday";
        return name.Length <= FieldLengths.ShortText ? name : name[..FieldLengths.ShortText];
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}

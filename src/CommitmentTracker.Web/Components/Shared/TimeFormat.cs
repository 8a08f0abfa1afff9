using System.Globalization;

namespace CommitmentTracker.Web.Components.Shared;

/// <summary>
/// The one way the app writes dates and times: <c>4 Dec 2026</c> for a day, <c>4 Dec 2026 14:05 UTC+1</c> for a moment in a
/// given zone (the offset the zone had at that moment, so a summer and a winter time of one zone read differently).
/// Pure functions: <see cref="UserTime"/> applies them with the viewer's zone, mails with the recipient's.
/// </summary>
public static class TimeFormat
{
    /// <summary>The date format of every page, date field and mail.</summary>
    public const string DateFormat = "d MMM yyyy";

    /// <summary>The day of a date, e.g. "4 Dec 2026".</summary>
    public static string Day(DateOnly day) => day.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>The moment in <paramref name="zone"/> with the zone's offset, e.g. "4 Dec 2026 14:05 UTC+1".</summary>
    public static string DateTime(DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = Local(at, zone);
        return $"{local.ToString(DateFormat + " HH:mm", CultureInfo.InvariantCulture)} {Offset(local.Offset)}";
    }

    /// <summary>The day a moment falls on in <paramref name="zone"/>, e.g. "4 Dec 2026".</summary>
    public static string Date(DateTimeOffset at, TimeZoneInfo zone) => Day(DayOf(at, zone));

    /// <summary>The time of day in <paramref name="zone"/> with its offset, e.g. "14:05 UTC+1" (or "14:05:09 UTC+1").</summary>
    public static string Time(DateTimeOffset at, TimeZoneInfo zone, bool seconds = false)
    {
        var local = Local(at, zone);
        return $"{local.ToString(seconds ? "HH:mm:ss" : "HH:mm", CultureInfo.InvariantCulture)} {Offset(local.Offset)}";
    }

    /// <summary>The offset as users read it: "UTC", "UTC+1", "UTC-4", "UTC+5:30".</summary>
    public static string Offset(TimeSpan offset)
    {
        if (offset == TimeSpan.Zero)
            return "UTC";
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return abs.Minutes == 0
            ? $"UTC{sign}{abs.Hours.ToString(CultureInfo.InvariantCulture)}"
            : $"UTC{sign}{abs.Hours.ToString(CultureInfo.InvariantCulture)}:{abs.Minutes.ToString("00", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The moment as the clock on the wall in <paramref name="zone"/> shows it.</summary>
    public static DateTimeOffset Local(DateTimeOffset at, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return TimeZoneInfo.ConvertTime(at, zone);
    }

    /// <summary>The day in <paramref name="zone"/> at the moment <paramref name="at"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset at, TimeZoneInfo zone) => DateOnly.FromDateTime(Local(at, zone).DateTime);

    /// <summary>
    /// The latest day it is anywhere at <paramref name="now"/> (UTC+14): a date a user picks as "today" in their zone is never
    /// after it, so a server check of "not in the future" against it refuses no one's today and every later day.
    /// </summary>
    public static DateOnly LatestToday(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime.AddHours(14));

    /// <summary>
    /// The moment a wall-clock time in <paramref name="zone"/> means. A time skipped when the clocks go forward is read as
    /// the same time on the old offset (02:30 in Berlin on the spring night is 03:30 summer time); a time that happens twice
    /// when they go back is read as the first of the two.
    /// </summary>
    public static DateTimeOffset FromLocal(DateTime wallClock, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = System.DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
            offset = zone.GetUtcOffset(local.AddHours(-3));
        else if (zone.IsAmbiguousTime(local))
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        else
            offset = zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}

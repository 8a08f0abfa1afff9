namespace CommitmentTracker.Web.Components.Shared;

/// <summary>
/// The viewer's time zone, and the dates and times of every page written in it (<see cref="TimeFormat"/>). Scoped: one per
/// circuit, set from the signed-in user's stored zone when the page loads (<c>Routes</c>) and when they change it; UTC
/// until then. Their "today" (date pickers, overdue marks) is the day in their zone.
/// </summary>
public sealed class UserTime(TimeProvider clock)
{
    /// <summary>The viewer's zone; UTC when they have none.</summary>
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>True when the viewer has a stored zone (false: UTC for want of one).</summary>
    public bool HasZone { get; private set; }

    /// <summary>Uses the zone <paramref name="zoneId"/> from now on; an unknown or empty id means UTC.</summary>
    public void Use(string? zoneId)
    {
        HasZone = TimeZoneIds.TryFind(zoneId, out var zone);
        Zone = zone ?? TimeZoneInfo.Utc;
    }

    /// <summary>E.g. "4 Dec 2026 14:05 UTC+1".</summary>
    public string DateTime(DateTimeOffset at) => TimeFormat.DateTime(at, Zone);

    /// <summary>The moment, or a dash when there is none.</summary>
    public string DateTime(DateTimeOffset? at) => at is { } value ? DateTime(value) : "—";

    /// <summary>The day a moment falls on for the viewer, e.g. "4 Dec 2026".</summary>
    public string Date(DateTimeOffset at) => TimeFormat.Date(at, Zone);

    /// <summary>E.g. "14:05 UTC+1".</summary>
    public string Time(DateTimeOffset at, bool seconds = false) => TimeFormat.Time(at, Zone, seconds);

    /// <summary>A date that is a date (a promised date): the same in every zone, e.g. "4 Dec 2026".</summary>
    public static string Day(DateOnly day) => TimeFormat.Day(day);

    /// <summary>The viewer's wall clock now.</summary>
    public DateTimeOffset Now => TimeFormat.Local(clock.GetUtcNow(), Zone);

    /// <summary>The day it is for the viewer.</summary>
    public DateOnly Today => TimeFormat.DayOf(clock.GetUtcNow(), Zone);

    /// <summary>The viewer's today for a date picker (e.g. its MaxDate).</summary>
    public System.DateTime TodayForPicker => Today.ToDateTime(TimeOnly.MinValue);

    /// <summary>The day a moment falls on for the viewer.</summary>
    public DateOnly DayOf(DateTimeOffset at) => TimeFormat.DayOf(at, Zone);
}

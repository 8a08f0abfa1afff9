namespace CommitmentTracker.Domain.Forecasts;

/// <summary>
/// How the forecast counts the time between two dates: a team's working days (<see cref="Calendars.WorkingCalendar"/>), or
/// every day (<see cref="CalendarDays"/>). The forecast never does date arithmetic of its own.
/// </summary>
public interface IDurationCalendar
{
    /// <summary>The days from <paramref name="from"/> to <paramref name="to"/> (negative when <paramref name="to"/> is earlier).</summary>
    int DaysBetween(DateOnly from, DateOnly to);

    /// <summary>The date <paramref name="days"/> days after <paramref name="from"/>.</summary>
    DateOnly AddDays(DateOnly from, int days);
}

/// <summary>Every day counts.</summary>
public sealed class CalendarDays : IDurationCalendar
{
    public static CalendarDays Instance { get; } = new();

    public int DaysBetween(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber;

    public DateOnly AddDays(DateOnly from, int days) => from.AddDays(days);
}

using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Tests;

/// <summary>The arithmetic of working time: weekends, holidays, nights, a start on a day off, and the clock changes.</summary>
public sealed class WorkingCalendarTests
{
    private static readonly DateOnly ChristmasEve = new(2026, 12, 24); // a Thursday
    private static readonly DateOnly ChristmasDay = new(2026, 12, 25); // a Friday

    /// <summary>Berlin, Monday to Friday 09:00-17:00, Christmas Day off.</summary>
    private static WorkingCalendar Berlin()
    {
        var calendar = WorkingCalendar.Default(Guid.NewGuid(), "Europe/Berlin");
        calendar.AddHoliday(ChristmasDay, "Christmas Day");
        return calendar;
    }

    private static DateTimeOffset Berlin(int month, int day, int hour, int minute = 0, int offsetHours = 1) =>
        new(2026, month, day, hour, minute, 0, TimeSpan.FromHours(offsetHours));

    [Fact]
    public void The_default_calendar_works_Monday_to_Friday_nine_to_five_with_no_holidays()
    {
        var calendar = WorkingCalendar.Default(Guid.NewGuid());

        Assert.Equal(WorkingCalendar.MondayToFriday, calendar.WorkingDays);
        Assert.Equal(new TimeOnly(9, 0), calendar.DayStart);
        Assert.Equal(new TimeOnly(17, 0), calendar.DayEnd);
        Assert.Empty(calendar.Holidays);
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 3, 7)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 3, 9)));
    }

    [Fact]
    public void A_lead_time_across_a_weekend_and_a_holiday_counts_only_working_days()
    {
        var calendar = Berlin();
        var wednesday = new DateOnly(2026, 12, 23);

        // Thu 24 (1), Fri 25 Christmas, weekend, Mon 28 (2), Tue 29 (3), Wed 30 (4), Thu 31 (5).
        Assert.Equal(new DateOnly(2026, 12, 31), calendar.AddWorkingDays(wednesday, 5));
        Assert.Equal(5, calendar.WorkingDaysBetween(wednesday, new DateOnly(2026, 12, 31)));
        Assert.Equal(4, calendar.WorkingDaysBetween(wednesday, new DateOnly(2026, 12, 30)));
        Assert.Equal(-5, calendar.WorkingDaysBetween(new DateOnly(2026, 12, 31), wednesday));
        Assert.Equal(wednesday, calendar.AddWorkingDays(new DateOnly(2026, 12, 31), -5));
    }

    [Fact]
    public void Working_days_between_agrees_with_adding_working_days_over_long_ranges()
    {
        var calendar = Berlin();
        calendar.AddHoliday(new DateOnly(2027, 1, 1), "New Year's Day");
        calendar.AddHoliday(new DateOnly(2026, 12, 26), "Boxing Day"); // a Saturday: no working day lost
        var from = new DateOnly(2026, 11, 1);

        foreach (var n in new[] { 0, 1, 4, 5, 6, 20, 40, 250 })
            Assert.Equal(n, calendar.WorkingDaysBetween(from, calendar.AddWorkingDays(from, n)));
    }

    [Fact]
    public void Lead_times_on_a_calendar_make_a_date_aggressive_that_calendar_days_would_not()
    {
        var calendar = Berlin();
        var today = new DateOnly(2026, 12, 23);
        var fiveDays = new LeadTimes(new Dictionary<CommitmentKind, int> { [CommitmentKind.Delivery] = 5 });
        var monday = new DateOnly(2026, 12, 28); // five calendar days out

        Assert.False(fiveDays.IsAggressive(CommitmentKind.Delivery, monday, today));
        Assert.True(fiveDays.On(calendar).IsAggressive(CommitmentKind.Delivery, monday, today));
        Assert.Equal(new DateOnly(2026, 12, 31), fiveDays.On(calendar).EarliestComfortableDate(CommitmentKind.Delivery, today));
        Assert.False(fiveDays.On(calendar).IsAggressive(CommitmentKind.Delivery, new DateOnly(2026, 12, 31), today));
    }

    [Fact]
    public void Hours_across_a_night_resume_the_next_working_morning()
    {
        var due = Berlin().AddWorkingHours(Berlin(3, 2, 16), 4);

        Assert.Equal(Berlin(3, 3, 12), due);
        Assert.Equal(TimeSpan.FromHours(1), due.Offset);
    }

    [Fact]
    public void Hours_across_a_weekend_skip_it()
    {
        // Friday 15:00 + 24 working hours: Fri 2, Mon 8, Tue 8, Wed 6.
        Assert.Equal(Berlin(3, 11, 15), Berlin().AddWorkingHours(Berlin(3, 6, 15), 24));
    }

    [Fact]
    public void Hours_starting_on_a_non_working_day_count_from_the_next_working_morning()
    {
        var calendar = Berlin();

        Assert.Equal(Berlin(3, 9, 17), calendar.AddWorkingHours(Berlin(3, 7, 10), 8)); // Saturday morning
        Assert.Equal(Berlin(12, 28, 10), calendar.AddWorkingHours(Berlin(12, 25, 11), 1)); // Christmas Day, then the weekend
        Assert.Equal(Berlin(3, 3, 10), calendar.AddWorkingHours(Berlin(3, 2, 20), 1)); // after hours on a Monday
        Assert.Equal(Berlin(3, 2, 11), calendar.AddWorkingHours(Berlin(3, 2, 6), 2)); // before hours
    }

    [Fact]
    public void Hours_ending_exactly_at_closing_time_stay_on_that_day()
    {
        Assert.Equal(Berlin(3, 2, 17), Berlin().AddWorkingHours(Berlin(3, 2, 9), 8));
    }

    [Fact]
    public void Hours_across_the_spring_clock_change_keep_the_local_working_hours()
    {
        // Berlin moves to summer time on Sunday 29 March 2026: Monday opens at 09:00 UTC+2.
        var due = Berlin().AddWorkingHours(Berlin(3, 27, 16), 2);

        Assert.Equal(Berlin(3, 30, 10, offsetHours: 2), due);
        Assert.Equal(TimeSpan.FromHours(2), due.Offset);
    }

    [Fact]
    public void Hours_across_the_autumn_clock_change_keep_the_local_working_hours()
    {
        // Back to winter time on Sunday 25 October 2026.
        var due = Berlin().AddWorkingHours(Berlin(10, 23, 16, offsetHours: 2), 2);

        Assert.Equal(Berlin(10, 26, 10), due);
    }

    [Fact]
    public void Hours_are_read_in_the_zone_asked_for()
    {
        var calendar = WorkingCalendar.Default(Guid.NewGuid()); // UTC
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        // 16:00 UTC is 11:00 in New York (UTC-5): six hours left that day.
        var due = calendar.AddWorkingHours(new DateTimeOffset(2026, 3, 2, 16, 0, 0, TimeSpan.Zero), 4, newYork);

        Assert.Equal(new DateTimeOffset(2026, 3, 2, 15, 0, 0, TimeSpan.FromHours(-5)), due);
    }

    [Fact]
    public void Whole_days_of_a_due_time_are_working_days_of_the_calendar()
    {
        var calendar = Berlin();

        Assert.Equal(Berlin(3, 4, 10), calendar.DueAfter(Berlin(3, 2, 10), TimeSpan.FromDays(2)));
        Assert.Equal(Berlin(3, 9, 10), calendar.DueAfter(Berlin(3, 5, 10), TimeSpan.FromDays(2))); // Thursday to Monday
        Assert.Equal(Berlin(3, 2, 14), calendar.DueAfter(Berlin(3, 2, 10), TimeSpan.FromHours(4)));
    }

    [Fact]
    public void A_non_working_day_says_why()
    {
        var calendar = Berlin();

        Assert.Equal("holiday: Christmas Day", calendar.NonWorkingReason(ChristmasDay));
        Assert.Equal("Sat", calendar.NonWorkingReason(new DateOnly(2026, 12, 26)));
        Assert.Equal("Sun", calendar.NonWorkingReason(new DateOnly(2026, 12, 27)));
        Assert.Null(calendar.NonWorkingReason(ChristmasEve));
    }

    [Fact]
    public void A_six_day_week_works_on_Saturday()
    {
        var calendar = WorkingCalendar.Default(Guid.NewGuid());
        calendar.SetWeek([.. WorkingCalendar.MondayToFriday, DayOfWeek.Saturday], new TimeOnly(8, 0), new TimeOnly(12, 0), "UTC");

        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 3, 7)));
        Assert.Equal(new DateOnly(2026, 3, 7), calendar.AddWorkingDays(new DateOnly(2026, 3, 6), 1));
        Assert.Equal(TimeSpan.FromHours(4), calendar.WorkingDayLength);
    }

    [Fact]
    public void A_working_week_needs_a_day_hours_that_end_after_they_start_and_a_known_zone()
    {
        var calendar = WorkingCalendar.Default(Guid.NewGuid());

        Assert.Contains("at least one working day", Assert.Throws<DomainException>(() => calendar.SetWeek([], new TimeOnly(9, 0), new TimeOnly(17, 0), "UTC")).Message);
        Assert.Contains("must end after it starts", Assert.Throws<DomainException>(() => calendar.SetWeek(WorkingCalendar.MondayToFriday, new TimeOnly(17, 0), new TimeOnly(9, 0), "UTC")).Message);
        Assert.Contains("not a time zone", Assert.Throws<DomainException>(() => calendar.SetWeek(WorkingCalendar.MondayToFriday, new TimeOnly(9, 0), new TimeOnly(17, 0), "Mars/Olympus")).Message);
        Assert.Equal(WorkingCalendar.MondayToFriday, calendar.WorkingDays); // a refused change changes nothing
    }

    [Fact]
    public void A_date_is_a_holiday_once_and_importing_skips_dates_already_held()
    {
        var calendar = Berlin();

        Assert.Contains("already a holiday (Christmas Day)", Assert.Throws<DomainException>(() => calendar.AddHoliday(ChristmasDay, "Weihnachten")).Message);
        var added = calendar.ImportHolidays([new Holiday(ChristmasDay, "1. Weihnachtstag"), new Holiday(new DateOnly(2027, 1, 1), "Neujahr")]);

        Assert.Equal([new Holiday(new DateOnly(2027, 1, 1), "Neujahr")], added);
        Assert.Equal(["Christmas Day", "Neujahr"], calendar.Holidays.Select(h => h.Name));
        calendar.RemoveHoliday(ChristmasDay);
        Assert.True(calendar.IsWorkingDay(ChristmasDay));
        Assert.Throws<DomainException>(() => calendar.RemoveHoliday(ChristmasDay));
    }

    [Fact]
    public void Telling_the_customer_within_hours_counts_working_hours_of_the_teams_calendar()
    {
        // Detected Friday 16:00 in Berlin, customer told within 24 working hours: Fri 1, Mon 8, Tue 8, Wed 7.
        var detected = Berlin(3, 6, 16);
        var settings = RecoverySettings.Default(Build.Rep, Build.Manager, tellCustomerWithinHours: 24) with { Calendar = Berlin() };

        var plan = RecoveryPlan.Open(Guid.NewGuid(), Guid.NewGuid(), detected, RiskLevel.AtRisk, settings, detected);

        Assert.Equal(Berlin(3, 11, 16), plan.Steps.Single(s => s.Kind == RecoveryStepKind.TellCustomer).DueAt);
        Assert.Equal(Berlin(3, 9, 12), plan.Steps.Single(s => s.Kind == RecoveryStepKind.MakeRoom).DueAt); // 4 working hours
        Assert.Equal(Berlin(3, 10, 16), plan.Steps.Single(s => s.Kind == RecoveryStepKind.Comfort).DueAt); // 2 working days
    }

    [Fact]
    public void Without_a_calendar_a_plan_counts_elapsed_time_as_before()
    {
        var detected = Berlin(3, 6, 16);
        var plan = RecoveryPlan.Open(Guid.NewGuid(), Guid.NewGuid(), detected, RiskLevel.AtRisk,
            RecoverySettings.Default(Build.Rep, Build.Manager, tellCustomerWithinHours: 24), detected);

        Assert.Equal(detected.AddHours(24), plan.Steps.Single(s => s.Kind == RecoveryStepKind.TellCustomer).DueAt);
    }
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Web.Components.Shared;
using FluentValidation;

namespace CommitmentTracker.Web.Features.Calendars;

/// <summary>A team's working calendar as the admin page shows it; <see cref="Version"/> is null while the team has the default.</summary>
public sealed record WorkingCalendarView(
    Guid TeamId,
    string TeamName,
    IReadOnlyList<DayOfWeek> WorkingDays,
    TimeOnly DayStart,
    TimeOnly DayEnd,
    string TimeZoneId,
    IReadOnlyList<Holiday> Holidays,
    uint? Version)
{
    public bool IsDefault => Version is null;
}

/// <summary>A team the calendar page offers.</summary>
public sealed record CalendarTeam(Guid Id, string Name);

/// <summary>The form setting a team's working week.</summary>
public sealed class WorkingWeekInput
{
    public HashSet<DayOfWeek> Days { get; set; } = [.. WorkingCalendar.MondayToFriday];
    public TimeSpan? DayStart { get; set; } = WorkingCalendar.DefaultDayStart.ToTimeSpan();
    public TimeSpan? DayEnd { get; set; } = WorkingCalendar.DefaultDayEnd.ToTimeSpan();
    public string? TimeZoneId { get; set; } = WorkingCalendar.DefaultTimeZoneId;

    public static WorkingWeekInput From(WorkingCalendarView view) => new()
    {
        Days = [.. view.WorkingDays],
        DayStart = view.DayStart.ToTimeSpan(),
        DayEnd = view.DayEnd.ToTimeSpan(),
        TimeZoneId = view.TimeZoneId,
    };
}

/// <summary>The week needs a day, hours that end after they start, and a zone the server knows.</summary>
public sealed class WorkingWeekValidator : ModelValidator<WorkingWeekInput>
{
    public WorkingWeekValidator()
    {
        RuleFor(x => x.Days).NotEmpty().WithMessage("Tick at least one working day.");
        RuleFor(x => x.DayStart).NotNull().WithMessage("Enter when the working day starts.");
        RuleFor(x => x.DayEnd).NotNull().WithMessage("Enter when the working day ends.")
            .GreaterThan(x => x.DayStart).When(x => x.DayStart is not null && x.DayEnd is not null)
            .WithMessage("The working day must end after it starts.");
        RuleFor(x => x.TimeZoneId).Must(TimeZoneIds.IsValid).WithMessage(TimeZoneIds.Unknown);
    }
}

/// <summary>The form adding one holiday.</summary>
public sealed class HolidayInput
{
    public DateTime? Date { get; set; }
    public string? Name { get; set; }
}

public sealed class HolidayValidator : ModelValidator<HolidayInput>
{
    public HolidayValidator()
    {
        RuleFor(x => x.Date).NotNull().WithMessage("Pick the holiday's date.");
        RuleFor(x => x.Name).NotEmpty().WithMessage("Name the holiday, e.g. Christmas Day.")
            .MaximumLength(FieldLengths.ShortText).WithMessage($"A holiday's name has at most {FieldLengths.ShortText} characters.");
    }
}

/// <summary>What an ICS import would do to a date.</summary>
public enum HolidayImportOutcome { Added, AlreadyAHoliday }

/// <summary>One holiday found in a file, and what importing it would do.</summary>
public sealed record HolidayPreviewRow(DateOnly Date, string Name, HolidayImportOutcome Outcome, string? Note);

/// <summary>The holidays found in an uploaded file, before anything is saved.</summary>
public sealed record HolidayImportPreview(string FileName, DateOnly From, DateOnly Until, IReadOnlyList<HolidayPreviewRow> Rows)
{
    /// <summary>The holidays the import would add (the others are already holidays).</summary>
    public IReadOnlyList<Holiday> ToAdd => [.. Rows.Where(r => r.Outcome != HolidayImportOutcome.AlreadyAHoliday).Select(r => new Holiday(r.Date, r.Name))];
}

using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CommitmentTracker.Web.Components.Shared;

/// <summary>
/// The date field of every form: a <see cref="MudDatePicker"/> that can be typed into, shows <c>4 Dec 2026</c>
/// (<see cref="TimeFormat.DateFormat"/>) and also reads a typed ISO date (<c>2026-12-04</c>). Parameters given on the page
/// (a label, a MaxDate, ...) apply as on any MudDatePicker.
/// </summary>
public class DateField : MudDatePicker
{
    public DateField()
    {
        Editable = true;
        DateFormat = TimeFormat.DateFormat;
        Culture = CultureInfo.InvariantCulture;
        Converter = new DayConverter();
        Placeholder = "e.g. 4 Dec 2026";
        AdornmentAriaLabel = "Open the calendar";
    }

    /// <summary>A team's working calendar: its non-working days are struck through in the picker's month.</summary>
    [Parameter]
    public CommitmentTracker.Domain.Calendars.WorkingCalendar? WorkingCalendar { get; set; }

    protected override void OnParametersSet()
    {
        base.OnParametersSet();
        if (WorkingCalendar is { } calendar)
            AdditionalDateClassesFunc = day => calendar.IsWorkingDay(DateOnly.FromDateTime(day)) ? "" : "ct-picker-non-working";
    }

    /// <summary>Between the field's text and its date: the app's format out, the app's format or ISO in.</summary>
    private sealed class DayConverter : IReversibleConverter<DateTime?, string?>
    {
        private static readonly string[] Formats = [TimeFormat.DateFormat, "dd MMM yyyy", "d MMMM yyyy", "yyyy-MM-dd"];

        public string? Convert(DateTime? input) => input?.ToString(TimeFormat.DateFormat, CultureInfo.InvariantCulture);

        public DateTime? ConvertBack(string? input)
        {
            if (string.IsNullOrWhiteSpace(input))
                return null;
            return DateTime.TryParseExact(input.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var day)
                ? day.Date
                : throw new FormatException($"Type a date such as 4 Dec 2026 or 2026-12-04.");
        }
    }
}

using System.Globalization;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using MudBlazor;

namespace CommitmentTracker.Web.Features.Dashboard;

/// <summary>How the dashboard writes dates, day counts, rates and amounts.</summary>
public static class DashboardFormat
{
    public static string Date(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    public static string? Date(DateOnly? date) => date is { } d ? Date(d) : null;

    public static string Month(DateOnly month) => month.ToString("MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A day offset from today in words: "today", "in 3 days", "2 days ago".</summary>
    public static string Relative(int days) => days switch
    {
        0 => "today",
        1 => "tomorrow",
        -1 => "yesterday",
        > 1 => $"in {days} days",
        _ => $"{-days} days ago",
    };

    public static string Days(int days) => days == 1 ? "1 day" : $"{days} days";

    /// <summary>A share (0..1) as a whole percentage; a dash when there is nothing to measure.</summary>
    public static string Percent(decimal? share) =>
        share is { } s ? decimal.Round(s * 100, 0, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>Green from 90% on time, amber from 75%, red below; neutral with nothing to measure.</summary>
    public static Color Tone(DeliveryRecord record) => record.OnTimeRate switch
    {
        null => Color.Default,
        >= 0.9m => Color.Success,
        >= 0.75m => Color.Warning,
        _ => Color.Error,
    };

    public static string Amounts(IReadOnlyList<Money> amounts) => amounts.Count == 0
        ? "—"
        : string.Join(" + ", amounts.Select(m => $"{m.Amount.ToString("N0", CultureInfo.InvariantCulture)} {m.Currency}"));

    /// <summary>A duration a person reads at a glance: "45 min", "3 h", "2.5 h", "26 h", "2.5 days"; a dash for none.</summary>
    public static string Duration(TimeSpan? duration)
    {
        if (duration is not { } d)
            return "—";
        if (d.TotalHours < 1)
            return $"{Math.Round(d.TotalMinutes, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture)} min";
        if (d.TotalHours < 10)
            return $"{Math.Round(d.TotalHours, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture)} h";
        if (d.TotalHours < 48)
            return $"{Math.Round(d.TotalHours, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture)} h";
        return $"{Math.Round(d.TotalDays, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture)} days";
    }

    public static string Amount(decimal amount, string currency) => $"{amount.ToString("N0", CultureInfo.InvariantCulture)} {currency}";

}

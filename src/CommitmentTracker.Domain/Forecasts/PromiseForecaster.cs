using System.Globalization;
using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Forecasts;

/// <summary>
/// Turns the history of similar promises into a forecast for a date. The reference group is the finest of
/// kind + department + deal value band + milestone count, kind + department, kind, all promises, that holds at least
/// <see cref="ForecastSettings.MinimumGroupSize"/> promises; with none, the lead-time setting applies.
/// </summary>
public static class PromiseForecaster
{
    /// <summary>The forecast for a new promise made today and promised for <paramref name="promisedDate"/> (null: dates only).</summary>
    public static PromiseForecast ForNewPromise(
        ForecastSubject subject,
        Func<ReferenceGroup, SurvivalCurve?> curveOf,
        DateOnly today,
        DateOnly? promisedDate,
        LeadTimes leadTimes,
        ForecastSettings settings,
        IDurationCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(leadTimes);
        var (group, curve, fallback) = Choose(subject, curveOf, settings);
        if (group is null || curve is null)
            return LeadTimeOnly(subject, leadTimes, today, settings, fallback!);

        double? probability = promisedDate is { } date ? curve.DoneWithin(calendar.DaysBetween(today, date)) : null;
        if (promisedDate is { } d && d < today)
            probability = 0;
        return new PromiseForecast(
            group,
            curve.Promises,
            probability,
            DateFor(curve.DaysFor(0.5)),
            DateFor(curve.DaysFor(0.8)),
            DateFor(curve.DaysFor(0.9)),
            leadTimes.EarliestComfortableDate(subject.Kind, today),
            Basis(group, curve, settings),
            fallback);

        DateOnly? DateFor(int? days) => days is { } n ? calendar.AddDays(today, n) : null;
    }

    /// <summary>
    /// The chance an open promise made on <paramref name="madeOn"/> is done by <paramref name="promisedDate"/>, given it is
    /// still undone today: from similar promises at the same stage of their plan (<paramref name="progress"/>) and still
    /// undone as long after reaching it, else, without enough such history, from similar promises still undone at the same
    /// age. Null when the history has none that old (or none at all).
    /// </summary>
    public static PromiseForecast? ForOpenPromise(
        ForecastSubject subject,
        Func<ReferenceGroup, SurvivalCurve?> curveOf,
        DateOnly madeOn,
        DateOnly today,
        DateOnly promisedDate,
        ForecastSettings settings,
        IDurationCalendar calendar,
        PlanProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (progress is { Stage: not PlanStage.NotStarted } reached
            && From(Choose(subject, curveOf, settings, reached.Stage), reached.ReachedOn) is { } staged)
            return staged;
        return From(Choose(subject, curveOf, settings), madeOn);

        // The curve's promises are timed from the same point as this one: its age is counted from there.
        PromiseForecast? From((ReferenceGroup? Group, SurvivalCurve? Curve, string? Fallback) choice, DateOnly start)
        {
            if (choice is not { Group: { } group, Curve: { } curve })
                return null;
            // Known undone through yesterday: the same age an open promise is censored at in the history.
            int? age = start < today ? calendar.DaysBetween(start, today.AddDays(-1)) : null;
            var due = calendar.DaysBetween(start, promisedDate);
            var probability = age is { } a ? curve.DoneWithin(due, a) : curve.DoneWithin(due);
            if (probability is null)
                return null;
            if (promisedDate < today)
                probability = 0;
            return new PromiseForecast(
                group,
                curve.Promises,
                probability,
                DateFor(0.5),
                DateFor(0.8),
                DateFor(0.9),
                null,
                Basis(group, curve, settings),
                choice.Fallback);

            DateOnly? DateFor(double p) => (age is { } a2 ? curve.DaysFor(p, a2) : curve.DaysFor(p)) is { } n ? calendar.AddDays(start, n) : null;
        }
    }

    /// <summary>The finest group of the chain with enough promises, and the sentence saying what was too thin on the way.</summary>
    public static (ReferenceGroup? Group, SurvivalCurve? Curve, string? Fallback) Choose(
        ForecastSubject subject, Func<ReferenceGroup, SurvivalCurve?> curveOf, ForecastSettings settings, PlanStage? stage = null)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(curveOf);
        ArgumentNullException.ThrowIfNull(settings);
        var chain = ReferenceGroup.ChainFor(subject, stage);
        var finest = chain[0];
        var finestSize = curveOf(finest)?.Promises ?? 0;
        foreach (var group in chain)
        {
            var curve = curveOf(group);
            if (curve is null || curve.Promises < settings.MinimumGroupSize || curve.Completed == 0)
                continue;
            return group == finest
                ? (group, curve, null)
                : (group, curve, $"Too few promises like this one ({finest.Describe(finestSize)}, fewer than {settings.MinimumGroupSize}), so a broader group is used.");
        }
        var all = curveOf(chain[^1]);
        return (null, null, $"Too little history ({(all?.Promises ?? 0).ToString("N0", CultureInfo.InvariantCulture)} promises in the last {settings.WindowMonths} months, fewer than {settings.MinimumGroupSize} in any group): the standard lead time applies.");
    }

    private static string Basis(ReferenceGroup group, SurvivalCurve curve, ForecastSettings settings) =>
        $"Based on {group.Describe(curve.Promises)}{(group.Stage is null ? "" : ",")} in the last {settings.WindowMonths} months.";

    private static PromiseForecast LeadTimeOnly(ForecastSubject subject, LeadTimes leadTimes, DateOnly today, ForecastSettings settings, string fallback)
    {
        var days = leadTimes.For(subject.Kind);
        return new PromiseForecast(
            null, 0, null, null, null, null,
            leadTimes.EarliestComfortableDate(subject.Kind, today),
            $"Based on the standard lead time of {days} {(leadTimes.Calendar is null ? "day" : "working day")}{(days == 1 ? "" : "s")} for {subject.Kind.ToString().ToLowerInvariant()} promises.",
            fallback);
    }
}

using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Forecasts;

/// <summary>How one past or open promise enters the history the forecast is estimated from.</summary>
public static class PromiseHistory
{
    /// <summary>
    /// Kept and kept late: completed after the days from the day it was made to its completion. Open and broken: not
    /// done yet, so censored: known undone through yesterday (a broken promise's work still goes on, and it may still be
    /// kept late, so it is not an event and not cut at the day it broke). Waived: left out (the work was cancelled, it
    /// says nothing about how long work takes). The clock starts on the day the promise was first made, never at a
    /// renegotiation: a renegotiated promise counts from its first promise.
    /// </summary>
    public static PromiseObservation? Observe(CommitmentStatus status, DateOnly madeOn, DateOnly? completedOn, DateOnly today, IDurationCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        switch (status)
        {
            case CommitmentStatus.Kept or CommitmentStatus.KeptLate when completedOn is { } done:
                return new PromiseObservation(Math.Max(0, calendar.DaysBetween(madeOn, done)), true);
            case CommitmentStatus.Open or CommitmentStatus.Broken:
                return madeOn < today ? new PromiseObservation(calendar.DaysBetween(madeOn, today.AddDays(-1)), false) : null;
            default:
                return null;
        }
    }

    public static PromiseObservation? Observe(Commitment commitment, DateOnly today, IDurationCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        return Observe(commitment.Status, MadeOn(commitment), commitment.CompletedOn, today, calendar);
    }

    /// <summary>The day the promise was first made (a renegotiation keeps it).</summary>
    public static DateOnly MadeOn(Commitment commitment)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        return MadeOn(commitment.CreatedAt);
    }

    /// <summary>The day a promise logged at <paramref name="createdAt"/> was made (UTC, as the history counts it).</summary>
    public static DateOnly MadeOn(DateTimeOffset createdAt) => DateOnly.FromDateTime(createdAt.UtcDateTime);

    /// <summary>The first date ever promised: the oldest date of the history, else the current one.</summary>
    public static DateOnly FirstPromisedDate(Commitment commitment)
    {
        ArgumentNullException.ThrowIfNull(commitment);
        return commitment.DateHistory.OrderBy(h => h.At).FirstOrDefault()?.OldDate ?? commitment.PromisedDate;
    }
}

using CommitmentTracker.Domain.Calendars;

namespace CommitmentTracker.Domain.Commitments;

/// <summary>Whose promise it is: ours to the customer, or the customer's obligation to us.</summary>
public enum CommitmentDirection { Ours, Theirs }

/// <summary>What is promised.</summary>
public enum CommitmentKind { Delivery, Installation, Training, Support, Outcome, Other }

/// <summary>Where a promise stands.</summary>
public enum CommitmentStatus { Open, Kept, KeptLate, Broken, Waived }

/// <summary>Where an aggressive promise (sooner than the standard lead time) stands.</summary>
public enum AggressiveApproval { NotNeeded, ReasonGiven, Pending, Approved, Rejected }

/// <summary>Why a promised date counted as aggressive: inside the standard lead time, below the minimum chance, or both.</summary>
public enum AggressiveCause { LeadTime, LowChance, Both }

/// <summary>The customer's acknowledgement of a promise or a checklist: who, when, how.</summary>
public sealed record CustomerAcknowledgement(string ContactName, DateTimeOffset At, CommunicationChannel Channel);

/// <summary>The customer's confirmation that an outcome was reached.</summary>
public sealed record CustomerAcceptance(string ConfirmedBy, DateOnly ConfirmedOn, CommunicationChannel Channel);

/// <summary>What a rep types when logging a promise.</summary>
public sealed record CommitmentDraft(
    CommitmentDirection Direction,
    CommitmentKind Kind,
    string Description,
    string OwnerId,
    Department Department,
    DateOnly PromisedDate,
    DateOnly? NeedDate,
    string? AggressiveReason = null,
    string? Evidence = null);

/// <summary>
/// Standard lead time per kind, in days (Admin). A promised date inside it is aggressive. On a team's working calendar
/// (<see cref="On"/>) the days are working days; without one, calendar days.
/// </summary>
public sealed class LeadTimes
{
    private readonly Dictionary<CommitmentKind, int> _days;

    public LeadTimes(IReadOnlyDictionary<CommitmentKind, int> days)
    {
        if (days.Values.Any(d => d < 0))
            throw new DomainException("A lead time cannot be negative.");
        _days = new Dictionary<CommitmentKind, int>(days);
    }

    public static LeadTimes Defaults { get; } = new(new Dictionary<CommitmentKind, int>
    {
        [CommitmentKind.Delivery] = 21,
        [CommitmentKind.Installation] = 28,
        [CommitmentKind.Training] = 14,
        [CommitmentKind.Support] = 7,
        [CommitmentKind.Outcome] = 60,
        [CommitmentKind.Other] = 7,
    });

    /// <summary>The working calendar the days are counted on, or null for calendar days.</summary>
    public WorkingCalendar? Calendar { get; private init; }

    /// <summary>The same lead times, counted in working days of <paramref name="calendar"/>.</summary>
    public LeadTimes On(WorkingCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return new LeadTimes(_days) { Calendar = calendar };
    }

    public int For(CommitmentKind kind) => _days.GetValueOrDefault(kind);

    /// <summary>The earliest promised date that is not aggressive for the kind: today plus its lead time in (working) days.</summary>
    public DateOnly EarliestComfortableDate(CommitmentKind kind, DateOnly today) =>
        Calendar is { } calendar ? calendar.AddWorkingDays(today, For(kind)) : today.AddDays(For(kind));

    public bool IsAggressive(CommitmentKind kind, DateOnly promisedDate, DateOnly today) =>
        promisedDate < EarliestComfortableDate(kind, today);
}

/// <summary>
/// The history's chance that a promised date holds, checked when a promise is made: a date below the minimum chance
/// (Admin, default 70%) is aggressive exactly like one inside the standard lead time.
/// </summary>
public sealed record ForecastChance(double Probability, decimal MinimumProbability)
{
    public bool IsAggressive => IsTooLow(Probability, MinimumProbability);

    /// <summary>Below the minimum, compared in whole tenths of a percent so that what the screen shows decides.</summary>
    public static bool IsTooLow(double probability, decimal minimum) =>
        Math.Round((decimal)probability, 3, MidpointRounding.AwayFromZero) < minimum;
}

/// <summary>The room between what we promised and what the customer really needs.</summary>
public static class Buffer
{
    /// <summary>
    /// A buffer is the room in what we promised; the customer's own obligations carry none: their "need date" is when we
    /// need it, and a missing one is no warning.
    /// </summary>
    public static bool AppliesTo(CommitmentDirection direction) => direction == CommitmentDirection.Ours;

    /// <summary>Need date minus promised date in days; null when the customer's need date is unknown.</summary>
    public static int? Days(DateOnly promisedDate, DateOnly? needDate) =>
        needDate is { } need ? need.DayNumber - promisedDate.DayNumber : null;

    /// <summary>A warning to show when the promise leaves no room, or null when it has some.</summary>
    public static string? Warning(DateOnly promisedDate, DateOnly? needDate) => Days(promisedDate, needDate) switch
    {
        null => "No need date recorded: we cannot tell how much room this promise has.",
        < 0 and var d => $"The promised date is {-d} day{(d == -1 ? "" : "s")} after the customer's need date.",
        0 => "No buffer: the promised date is the customer's need date. Any slip will be felt.",
        _ => null,
    };
}

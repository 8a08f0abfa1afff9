namespace CommitmentTracker.Domain.Risk;

/// <summary>The thresholds of risk evaluation (Admin). Every value is checked, also through <c>with</c>.</summary>
public sealed record RiskSettings
{
    private readonly int _watchWithinDays = 3;
    private readonly int _staleAfterDays = 5;
    private readonly decimal _scheduleElapsedShare = 0.75m;
    private readonly decimal _scheduleDoneShare = 0.75m;

    public RiskSettings() { }

    public RiskSettings(int watchWithinDays, int staleAfterDays, decimal scheduleElapsedShare, decimal scheduleDoneShare)
    {
        WatchWithinDays = watchWithinDays;
        StaleAfterDays = staleAfterDays;
        ScheduleElapsedShare = scheduleElapsedShare;
        ScheduleDoneShare = scheduleDoneShare;
    }

    public static RiskSettings Defaults { get; } = new();

    /// <summary>Watch when the latest forecast leaves this many days or fewer before the promised date.</summary>
    public int WatchWithinDays
    {
        get => _watchWithinDays;
        init => _watchWithinDays = value is >= 0 and <= 90
            ? value
            : throw new DomainException("The forecast warning window must be between 0 and 90 days.");
    }

    /// <summary>Watch when a milestone in progress has had no update for this many days.</summary>
    public int StaleAfterDays
    {
        get => _staleAfterDays;
        init => _staleAfterDays = value is >= 1 and <= 90
            ? value
            : throw new DomainException("A milestone counts as stale after between 1 and 90 days without an update.");
    }

    /// <summary>Share of the time from logging to the promised date that must have passed for the schedule check (0.75 = 75%).</summary>
    public decimal ScheduleElapsedShare
    {
        get => _scheduleElapsedShare;
        init => _scheduleElapsedShare = value is > 0m and <= 1m
            ? value
            : throw new DomainException("The share of time elapsed must be more than 0% and at most 100%.");
    }

    /// <summary>Share of milestones that must be finished by then, or the promise is watched (0.75 = 75%).</summary>
    public decimal ScheduleDoneShare
    {
        get => _scheduleDoneShare;
        init => _scheduleDoneShare = value is > 0m and <= 1m
            ? value
            : throw new DomainException("The share of milestones finished must be more than 0% and at most 100%.");
    }
}

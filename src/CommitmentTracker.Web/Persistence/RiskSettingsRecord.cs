using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Web.Persistence;

/// <summary>The company's risk and alert thresholds (one row, edited by admins).</summary>
public sealed class RiskSettingsRecord
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;
    public int WatchWithinDays { get; set; } = RiskSettings.Defaults.WatchWithinDays;
    public int StaleAfterDays { get; set; } = RiskSettings.Defaults.StaleAfterDays;
    public decimal ScheduleElapsedShare { get; set; } = RiskSettings.Defaults.ScheduleElapsedShare;
    public decimal ScheduleDoneShare { get; set; } = RiskSettings.Defaults.ScheduleDoneShare;

    /// <summary>Share of active accounts with a broken promise in 90 days above which customers start to leave.</summary>
    public decimal BrokenAccountsAlarmShare { get; set; } = 0.10m;

    /// <summary>Hours after detection within which the customer must be told (the recovery plan's step 4).</summary>
    public int TellCustomerWithinHours { get; set; } = Domain.Recovery.RecoverySettings.DefaultTellCustomerWithinHours;

    /// <summary>Marketing and sales spend over the period, for the customer acquisition cost.</summary>
    public decimal MarketingSpend { get; set; } = 240_000m;

    /// <summary>New customers won over the same period.</summary>
    public int NewCustomers { get; set; } = 60;

    /// <summary>The guideline compensation budget per recovery: what winning a customer costs.</summary>
    public decimal CompensationBudget => Domain.Recovery.CompensationBudget.CustomerAcquisitionCost(MarketingSpend, NewCustomers);

    /// <summary>
    /// The thresholds changed since the last sweep: the next sweep re-evaluates every open promise, not only those whose
    /// review day has come (review days were computed with the old thresholds).
    /// </summary>
    public bool ReviewAllPending { get; set; }

    /// <summary>A promised date whose chance of holding (from the history of similar promises) is below this is aggressive.</summary>
    public decimal ForecastMinimumProbability { get; set; } = Domain.Forecasts.ForecastSettings.Defaults.MinimumProbability;

    public Domain.Forecasts.ForecastSettings ToForecastSettings() => new() { MinimumProbability = ForecastMinimumProbability };

    public RiskSettings ToDomain() => new(WatchWithinDays, StaleAfterDays, ScheduleElapsedShare, ScheduleDoneShare);
}

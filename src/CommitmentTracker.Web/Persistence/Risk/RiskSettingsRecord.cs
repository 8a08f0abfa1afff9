using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Web.Persistence.Risk;

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

    public RiskSettings ToDomain() => new(WatchWithinDays, StaleAfterDays, ScheduleElapsedShare, ScheduleDoneShare);
}

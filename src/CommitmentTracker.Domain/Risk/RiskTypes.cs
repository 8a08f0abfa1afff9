namespace CommitmentTracker.Domain.Risk;

/// <summary>How likely an open promise of ours is to be broken, from best to worst.</summary>
public enum RiskLevel { OnTrack, Watch, AtRisk, Late }

/// <summary>Why a promise is not on track: a stable rule code, a sentence for people, and the day the condition began.</summary>
public sealed record RiskReason(string Rule, string Sentence, DateOnly Since, bool CustomerCaused = false);

/// <summary>The outcome of evaluating a promise: the worst level that applies and every reason, worst first.</summary>
public sealed record RiskAssessment(RiskLevel Level, IReadOnlyList<RiskReason> Reasons)
{
    public static RiskAssessment OnTrack { get; } = new(RiskLevel.OnTrack, []);
}

/// <summary>What storing an assessment did to a promise's level; an alert is due only when it rose into AtRisk or Late.</summary>
public sealed record RiskChange(RiskLevel OldLevel, RiskLevel NewLevel, bool RoseToAlertLevel)
{
    public bool LevelChanged => OldLevel != NewLevel;

    public static RiskChange Between(RiskLevel oldLevel, RiskLevel newLevel) =>
        new(oldLevel, newLevel, newLevel > oldLevel && newLevel >= RiskLevel.AtRisk);
}

/// <summary>The rule codes of <see cref="RiskReason.Rule"/>: stable, stored and filtered on, never reworded.</summary>
public static class RiskRule
{
    public const string Late = "late";
    public const string ForecastPastPromise = "forecast-past-promise";
    public const string Blocked = "blocked";
    public const string CustomerOverdue = "customer-overdue";
    public const string ForecastNearPromise = "forecast-near-promise";
    public const string MilestoneBehindPlan = "milestone-behind-plan";
    public const string Stale = "stale";
    public const string BehindSchedule = "behind-schedule";
    public const string UnlikelyInTime = "unlikely-in-time";

    /// <summary>The level a reason of this rule raises a promise to.</summary>
    public static RiskLevel LevelOf(string rule) => rule switch
    {
        Late => RiskLevel.Late,
        ForecastPastPromise or Blocked or CustomerOverdue => RiskLevel.AtRisk,
        ForecastNearPromise or MilestoneBehindPlan or Stale or BehindSchedule or UnlikelyInTime => RiskLevel.Watch,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown risk rule."),
    };
}

/// <summary>
/// The history's chance that an open promise is kept from where it stands (the stage of its plan it was estimated from,
/// else its age), and the minimum below which that is a risk reason. It adds a reason; it never replaces the rules.
/// </summary>
public sealed record KeepingChance(double Probability, decimal MinimumProbability, Forecasts.PlanStage Stage = Forecasts.PlanStage.NotStarted)
{
    public bool IsLow => Commitments.ForecastChance.IsTooLow(Probability, MinimumProbability);
}

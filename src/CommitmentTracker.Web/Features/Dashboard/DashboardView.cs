using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Web.Features.Dashboard;

/// <summary>What the manager narrows the at-risk list to; an admin also picks the team (null: every team).</summary>
public sealed record DashboardFilter(
    Guid? TeamId = null,
    string? RepId = null,
    Department? Department = null,
    CommitmentKind? Kind = null,
    RiskLevel? Level = null);

/// <summary>A promise of ours that is not on track: where the manager acts.</summary>
public sealed record AtRiskRow
{
    public Guid CommitmentId { get; init; }

    /// <summary>The promise's open recovery plan, if any.</summary>
    public Guid? RecoveryPlanId { get; init; }

    public Guid DealId { get; init; }
    public string DealTitle { get; init; } = "";
    public Guid AccountId { get; init; }
    public string AccountName { get; init; } = "";
    public string RepId { get; init; } = "";
    public string RepName { get; init; } = "";
    public CommitmentKind Kind { get; init; }
    public Department Department { get; init; }
    public string Description { get; init; } = "";
    public RiskLevel Level { get; init; }
    public DateOnly PromisedDate { get; init; }
    public DateOnly? NeedDate { get; init; }

    /// <summary>The latest expected date of the unfinished milestones (forecast, else plan); null without a plan.</summary>
    public DateOnly? Forecast { get; init; }

    /// <summary>Need date minus forecast in days: the room left to absorb the slip; null when either is unknown.</summary>
    public int? BufferLeftDays { get; init; }

    /// <summary>Days from today to the promised date; negative once it passed.</summary>
    public int DaysToPromised { get; init; }

    /// <summary>The reasons as sentences, worst first.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>At least one reason is the customer's doing (an overdue promise of theirs).</summary>
    public bool CustomerCaused { get; init; }

    /// <summary>When the promise reached its level.</summary>
    public DateTimeOffset? DetectedAt { get; init; }

    public int DaysSinceDetected { get; init; }
}

/// <summary>How a finished (or failed) promise counts in the delivery record.</summary>
public enum DeliveryOutcome { Kept, KeptLate, Broken }

/// <summary>
/// A promise of ours that counts in the delivery record: kept or kept late (dated by its completion) or broken
/// (its promised date passed and it is not done; dated by the promised date).
/// </summary>
public sealed record RecordRow
{
    public Guid CommitmentId { get; init; }
    public Guid DealId { get; init; }
    public string DealTitle { get; init; } = "";
    public Guid AccountId { get; init; }
    public string AccountName { get; init; } = "";
    public string RepId { get; init; } = "";
    public string RepName { get; init; } = "";
    public CommitmentKind Kind { get; init; }
    public Department Department { get; init; }
    public string Description { get; init; } = "";
    public DeliveryOutcome Outcome { get; init; }
    public DateOnly PromisedDate { get; init; }

    /// <summary>The day it counts on: the completion date, or the promised date of a broken promise.</summary>
    public DateOnly CountsOn { get; init; }

}

/// <summary>Kept, kept late and broken counts and the on-time rate they make (Kept / all three).</summary>
public sealed record DeliveryRecord(int Kept, int KeptLate, int Broken)
{
    public static DeliveryRecord Empty { get; } = new(0, 0, 0);

    public int Total => Kept + KeptLate + Broken;

    /// <summary>Share kept on time, 0..1; null when nothing counted yet.</summary>
    public decimal? OnTimeRate => Total == 0 ? null : decimal.Round((decimal)Kept / Total, 4);

    public static DeliveryRecord Of(IEnumerable<RecordRow> rows)
    {
        var list = rows as IReadOnlyCollection<RecordRow> ?? rows.ToList();
        return new(
            list.Count(r => r.Outcome == DeliveryOutcome.Kept),
            list.Count(r => r.Outcome == DeliveryOutcome.KeptLate),
            list.Count(r => r.Outcome == DeliveryOutcome.Broken));
    }
}

/// <summary>The delivery record of one calendar month (its first day).</summary>
public sealed record MonthRecord(DateOnly Month, DeliveryRecord Record);

/// <summary>A rep's reliability: the record of the promises made on their deals.</summary>
public sealed record RepRecord(string RepId, string RepName, DeliveryRecord Record);

/// <summary>Promises of a department delivered late or broken.</summary>
public sealed record DepartmentRecord(Department Department, int KeptLate, int Broken)
{
    public int Total => KeptLate + Broken;
}

/// <summary>Verbal deals (a promise of an order, not an order yet): how many, worth what, the oldest.</summary>
public sealed record VerbalDeals(int Count, IReadOnlyList<Money> Value, int? OldestDays)
{
    public static VerbalDeals None { get; } = new(0, [], null);
}

/// <summary>An account named by the threshold alarm.</summary>
public sealed record AccountRef(Guid Id, string Name);

/// <summary>
/// The share of the team's active accounts with a broken promise in the window, against the setting. Past it,
/// customers start to leave whatever the individual excuses. <see cref="AccountsWithBrokenPromises"/> names the first
/// of them by name (<see cref="DashboardService.AlarmAccountsNamed"/>); <see cref="BrokenAccounts"/> counts all.
/// </summary>
public sealed record ThresholdAlarm(int ActiveAccounts, int BrokenAccounts, IReadOnlyList<AccountRef> AccountsWithBrokenPromises, decimal Threshold)
{
    public decimal Share => ActiveAccounts == 0 ? 0 : decimal.Round((decimal)BrokenAccounts / ActiveAccounts, 4);

    /// <summary>Raised when the share is above (not at) the threshold.</summary>
    public bool Raised => Share > Threshold;
}

/// <summary>A choice in a filter list.</summary>
public sealed record FilterOption<T>(T Value, string Label);

/// <summary>Which delivery-record rows to show behind a number the manager clicked.</summary>
public sealed record RecordFilter(
    DeliveryOutcome[]? Outcomes = null,
    string? RepId = null,
    Department? Department = null,
    DateOnly? Month = null,
    bool WindowOnly = true);

/// <summary>Everything the manager's dashboard shows, for one team (or every team, for an admin).</summary>
public sealed record DashboardView
{
    /// <summary>The team shown; null when an admin looks at every team, or a manager has no team.</summary>
    public Guid? TeamId { get; init; }

    public string TeamName { get; init; } = "";

    /// <summary>False for a manager not (yet) appointed to a team: there is nothing to show.</summary>
    public bool HasTeam { get; init; } = true;

    /// <summary>The teams an admin can pick from; empty for a manager.</summary>
    public IReadOnlyList<FilterOption<Guid>> Teams { get; init; } = [];

    public DateOnly Today { get; init; }
    public DashboardFilter Filter { get; init; } = new();

    /// <summary>The first page of Late and AtRisk promises after the filters (or the chosen level), most urgent first.</summary>
    public IReadOnlyList<AtRiskRow> AtRisk { get; init; } = [];

    /// <summary>How many promises the at-risk list holds in all.</summary>
    public int AtRiskTotal { get; init; }

    /// <summary>The first page of watched promises after the filters, most urgent first; empty when a level is chosen.</summary>
    public IReadOnlyList<AtRiskRow> Watch { get; init; } = [];

    /// <summary>How many promises the watch list holds in all.</summary>
    public int WatchTotal { get; init; }

    /// <summary>Reps who have promises not on track, for the rep filter.</summary>
    public IReadOnlyList<FilterOption<string>> Reps { get; init; } = [];

    public int AtRiskNow { get; init; }
    public int LateNow { get; init; }
    public int WatchNow { get; init; }

    /// <summary>The delivery record of the last <see cref="DashboardService.WindowDays"/> days.</summary>
    public DeliveryRecord Record { get; init; } = DeliveryRecord.Empty;

    public int PendingApprovals { get; init; }
    public VerbalDeals Verbal { get; init; } = VerbalDeals.None;

    /// <summary>The last <see cref="DashboardService.Months"/> calendar months, oldest first, the current one last.</summary>
    public IReadOnlyList<MonthRecord> ByMonth { get; init; } = [];

    /// <summary>Reliability per rep in the window, least reliable first.</summary>
    public IReadOnlyList<RepRecord> ByRep { get; init; } = [];

    /// <summary>Late and broken promises per department in the window, most first.</summary>
    public IReadOnlyList<DepartmentRecord> ByDepartment { get; init; } = [];

    public ThresholdAlarm Alarm { get; init; } = new(0, 0, [], 0.10m);
}

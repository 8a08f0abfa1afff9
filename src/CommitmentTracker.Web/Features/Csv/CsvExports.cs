using System.Globalization;
using CommitmentTracker.Web.Features.Accounts;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Features.Promises;
using CommitmentTracker.Web.Features.Recovery;
using Col = CommitmentTracker.Web.Features.Csv.ImportTemplates;

namespace CommitmentTracker.Web.Features.Csv;

/// <summary>
/// The columns of each export. Where a list can be imported again, its import columns come first under the same headers
/// (so an export is a valid import file); the columns after them describe the record's state and are ignored by an import.
/// Numbers are written in the invariant culture, dates as year-month-day.
/// </summary>
public static class CsvExports
{
    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    public static string Date(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "";

    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static IReadOnlyList<CsvExportColumn<DealListRow>> Deals { get; } =
    [
        new(Col.Account, r => r.AccountName),
        new(Col.Title, r => r.Title),
        new(Col.Value, r => Number(r.Value)),
        new(Col.Currency, r => r.Currency),
        new(Col.ExpectedOutcome, r => r.ExpectedOutcome),
        new(Col.CloseDate, r => Date(r.CloseDate)),
        new(Col.OwnerEmail, r => r.OwnerEmail),
        new("Rep", r => r.OwnerName),
        new("Stage", r => r.Stage.ToString()),
        new("Risk", r => r.WorstRisk.ToString()),
        new("Next promised date", r => Date(r.NextPromisedDate)),
        new("Open promises", r => Number(r.OpenPromises)),
        new("Broken promises", r => Number(r.BrokenPromises)),
        new("In stage since", r => Date(r.StageEnteredAt)),
        new("Deal id", r => r.Id.ToString()),
    ];

    public static IReadOnlyList<CsvExportColumn<AccountListRow>> Accounts { get; } =
    [
        new(Col.Name, r => r.Name),
        new(Col.Industry, r => r.Industry),
        new("Deals", r => Number(r.Deals)),
        new("Open promises", r => Number(r.OpenPromises)),
        new("Broken lately", r => Number(r.BrokenLately)),
        new("At risk or late", r => Number(r.AtRisk)),
        new("Account id", r => r.Id.ToString()),
    ];

    public static IReadOnlyList<CsvExportColumn<AccountPromiseRow>> Promises(string accountName) =>
    [
        new(Col.Account, _ => accountName),
        new(Col.Deal, r => r.DealTitle),
        new(Col.Direction, r => r.Direction.ToString()),
        new(Col.Kind, r => r.Kind.ToString()),
        new(Col.Description, r => r.Description),
        new(Col.PromisedDate, r => Date(r.PromisedDate)),
        new(Col.NeedDate, r => Date(r.NeedDate)),
        new(Col.Department, r => r.Department.ToString()),
        new(Col.OwnerEmail, r => r.OwnerEmail),
        new(Col.AggressiveReason, r => r.AggressiveReason),
        new("Status", r => r.Status.ToString()),
        new("Risk", r => r.RiskLevel.ToString()),
        new("Promise id", r => r.Id.ToString()),
    ];

    public static IReadOnlyList<CsvExportColumn<RecoveryPlanRow>> RecoveryPlans { get; } =
    [
        new("Account", r => r.AccountName),
        new("Deal", r => r.DealTitle),
        new("Promise", r => r.Promise),
        new("Rep", r => r.RepName),
        new("Level", r => r.Level.ToString()),
        new("Detected", r => Date(r.DetectedAt)),
        new("Next step", r => r.NextStep?.ToString()),
        new("Next due", r => Date(r.NextDueAt)),
        new("Next owner", r => r.NextOwner),
        new("Overdue steps", r => Number(r.OverdueSteps)),
        new("Closed", r => Date(r.ResolvedAt)),
        new("Root cause", r => r.RootCause?.ToString()),
        new("Plan id", r => r.PlanId.ToString()),
    ];

    public static IReadOnlyList<CsvExportColumn<PendingApproval>> Approvals { get; } =
    [
        new("Account", r => r.AccountName),
        new("Deal", r => r.DealTitle),
        new("Rep", r => r.RepName),
        new("Kind", r => r.Kind.ToString()),
        new("Description", r => r.Description),
        new("Promised date", r => Date(r.PromisedDate)),
        new("Need date", r => Date(r.NeedDate)),
        new("Earliest comfortable date", r => Date(r.EarliestComfortableDate)),
        new("Days short", r => Number(r.DaysShort)),
        new("Logged", r => Date(r.LoggedAt)),
        new("Promise id", r => r.CommitmentId.ToString()),
    ];
}

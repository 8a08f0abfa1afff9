using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features.Dashboard;

namespace CommitmentTracker.Web.Features.DeliveryRecords;

/// <summary>The record of one calendar quarter (its first day).</summary>
public sealed record QuarterRecord(DateOnly Start, DeliveryRecord Record)
{
    public int Quarter => (Start.Month - 1) / 3 + 1;

    public string Label => $"Q{Quarter} {Start.Year}";
}

/// <summary>The record of the promises of one kind.</summary>
public sealed record KindRecord(CommitmentKind Kind, DeliveryRecord Record);

/// <summary>
/// The team's delivery record as a prospect may see it: counts, rates and kinds only. By design it carries no
/// account, contact, deal or promise text, so nothing on the page can name a customer.
/// </summary>
public sealed record DeliveryRecordView
{
    /// <summary>The team shown; null when an admin looks at every team, or the user has no team.</summary>
    public Guid? TeamId { get; init; }

    public string TeamName { get; init; } = "";

    /// <summary>False for a rep or manager not (yet) in a team: there is nothing to show.</summary>
    public bool HasTeam { get; init; } = true;

    /// <summary>The teams an admin can pick from; empty for reps and managers.</summary>
    public IReadOnlyList<FilterOption<Guid>> Teams { get; init; } = [];

    public DateOnly Today { get; init; }

    /// <summary>The last <see cref="DeliveryRecordService.Quarters"/> calendar quarters, oldest first, the current one last.</summary>
    public IReadOnlyList<QuarterRecord> ByQuarter { get; init; } = [];

    /// <summary>All the charted quarters together.</summary>
    public DeliveryRecord Total { get; init; } = DeliveryRecord.Empty;

    /// <summary>Per kind of promise over the charted quarters, the kinds with a record only, most promises first.</summary>
    public IReadOnlyList<KindRecord> ByKind { get; init; } = [];

    public bool IsEmpty => Total.Total == 0;
}

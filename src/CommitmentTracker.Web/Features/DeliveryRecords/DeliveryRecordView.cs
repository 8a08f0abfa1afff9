using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.DeliveryRecords;
using CommitmentTracker.Web.Features.Dashboard;
using FluentValidation;

namespace CommitmentTracker.Web.Features.DeliveryRecords;

/// <summary>The record of one calendar quarter (its first day).</summary>
public sealed record QuarterRecord(DateOnly Start, DeliveryRecord Record)
{
    public int Quarter => (Start.Month - 1) / 3 + 1;

    public string Label => $"Q{Quarter} {Start.Year}";

    /// <summary>No promise came due (or was done) in the quarter: there is no rate to show, not a rate of 0%.</summary>
    public bool HasData => Record.Total > 0;
}

/// <summary>The record of the promises of one kind.</summary>
public sealed record KindRecord(CommitmentKind Kind, DeliveryRecord Record);

/// <summary>
/// The figures of a delivery record, as a prospect may see them: per quarter, in total and per kind. Counts, rates and
/// kinds only: no account, contact, deal or promise text, so nothing built from it can name a customer.
/// </summary>
public sealed record RecordFigures(IReadOnlyList<QuarterRecord> ByQuarter, DeliveryRecord Total, IReadOnlyList<KindRecord> ByKind)
{
    public bool IsEmpty => Total.Total == 0;
}

/// <summary>
/// A delivery record as the app shows it to its users: the team's, or one rep's (<see cref="RepId"/>), with what the user
/// may do with it. Carries no account, contact, deal or promise text, so nothing on the page can name a customer.
/// </summary>
public sealed record DeliveryRecordView
{
    /// <summary>The team shown (for a rep's record: the rep's team); null when an admin looks at every team, or the user has no team.</summary>
    public Guid? TeamId { get; init; }

    public string TeamName { get; init; } = "";

    /// <summary>The rep whose record this is; null for a team's record.</summary>
    public string? RepId { get; init; }

    public string RepName { get; init; } = "";

    /// <summary>False for a rep or manager not (yet) in a team: there is nothing to show.</summary>
    public bool HasTeam { get; init; } = true;

    /// <summary>The teams an admin can pick from; empty for reps and managers.</summary>
    public IReadOnlyList<FilterOption<Guid>> Teams { get; init; } = [];

    /// <summary>The reps whose own record the user may open: a rep themself, a manager the team's reps, an admin the picked team's.</summary>
    public IReadOnlyList<FilterOption<string>> Reps { get; init; } = [];

    /// <summary>Each rep's record over the charted quarters (a team's record, for managers and admins only), by name.</summary>
    public IReadOnlyList<RepRecord> ByRep { get; init; } = [];

    /// <summary>The user may create a public link to this record (the server's answer; the page only shows it).</summary>
    public bool CanShare { get; init; }

    public DateOnly Today { get; init; }

    /// <summary>The last <see cref="DeliveryRecordService.Quarters"/> calendar quarters, oldest first, the current one last.</summary>
    public IReadOnlyList<QuarterRecord> ByQuarter { get; init; } = [];

    /// <summary>All the charted quarters together.</summary>
    public DeliveryRecord Total { get; init; } = DeliveryRecord.Empty;

    /// <summary>Per kind of promise over the charted quarters, the kinds with a record only, most promises first.</summary>
    public IReadOnlyList<KindRecord> ByKind { get; init; } = [];

    public bool IsEmpty => Total.Total == 0;

    /// <summary>What the record is of, in words: the team's name or the rep's.</summary>
    public string Subject => RepId is null ? TeamName : RepName;

    public RecordFigures Figures => new(ByQuarter, Total, ByKind);
}

/// <summary>What to share: the team's record or a rep's, for how long, and a note of who it is for (internal).</summary>
public sealed class ShareRecordInput
{
    public SharedRecordScope Scope { get; set; } = SharedRecordScope.Team;

    /// <summary>The rep whose record to share (scope Rep); empty means the user's own.</summary>
    public string? RepId { get; set; }

    public int ExpiryDays { get; set; } = SharedRecordLink.DefaultExpiryDays;

    /// <summary>Who the link is for ("Contoso's buyer"); only staff see it.</summary>
    public string? Note { get; set; }
}

/// <summary>The form's rules; the domain checks the same again.</summary>
public sealed class ShareRecordValidator : ModelValidator<ShareRecordInput>
{
    public ShareRecordValidator()
    {
        RuleFor(x => x.Scope).IsInEnum().WithMessage("Choose whose record to share.");
        RuleFor(x => x.ExpiryDays).InclusiveBetween(1, SharedRecordLink.MaxExpiryDays)
            .WithMessage($"Choose when the link expires: after 1 to {SharedRecordLink.MaxExpiryDays} days.");
        RuleFor(x => x.Note).MaximumLength(SharedRecordLink.NoteLength)
            .WithMessage($"Keep the note to {SharedRecordLink.NoteLength} characters.");
    }
}

/// <summary>A link just created: the only moment its secret is known to the app.</summary>
public sealed record SharedLinkCreated(Guid Id, string Token, DateTimeOffset ExpiresAt)
{
    /// <summary>The link's path within the app (append it to the app's public address).</summary>
    public string Path => SharedRecordService.PathFor(Token);
}

/// <summary>An active link the user may see (their own; a manager their team's; an admin all), with who made it.</summary>
public sealed record SharedLinkRow(
    Guid Id, SharedRecordScope Scope, string Subject, string? Note, string CreatedByName, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, bool CanRevoke);

/// <summary>What the public page shows: the record's figures and whose they are. No ids, no customer, nothing internal.</summary>
public sealed record SharedRecordView(string Subject, SharedRecordScope Scope, DateOnly Today, DateTimeOffset ExpiresAt, RecordFigures Figures);

/// <summary>How a presented link came out: shown, no longer valid (expired or revoked), or never a link.</summary>
public enum SharedRecordStatus { Shown, NoLongerValid, Unknown }

public sealed record SharedRecordResult(SharedRecordStatus Status, SharedRecordView? Record = null)
{
    public static SharedRecordResult Unknown { get; } = new(SharedRecordStatus.Unknown);

    public static SharedRecordResult NoLongerValid { get; } = new(SharedRecordStatus.NoLongerValid);
}

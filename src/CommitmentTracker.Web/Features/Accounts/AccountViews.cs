using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Dashboard;

namespace CommitmentTracker.Web.Features.Accounts;

/// <summary>Filters of the accounts list.</summary>
/// <param name="OnlyMine">Only accounts with a deal the user may see (reps and managers; others see every account).</param>
/// <param name="BrokenLately">Only accounts with a broken promise of ours in the last <see cref="AccountsService.WindowDays"/> days.</param>
/// <param name="OpenAtRisk">Only accounts with an open promise of ours at risk or late.</param>
public sealed record AccountListQuery(string? Search = null, string? Industry = null, bool OnlyMine = false, bool BrokenLately = false, bool OpenAtRisk = false);

/// <summary>One row of the accounts list; the figures cover the deals the user may see.</summary>
public sealed record AccountListRow
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string? Industry { get; init; }
    public int Deals { get; init; }
    public int OpenPromises { get; init; }
    public int BrokenLately { get; init; }
    public int AtRisk { get; init; }
}

/// <summary>A contact as the account page shows it, with the version an edit must quote.</summary>
public sealed record ContactRow(Guid Id, string Name, ContactRole Role, string? Email, string? Phone, bool MayContactTheirManager, uint Version);

/// <summary>A deal of the account.</summary>
public sealed record AccountDealRow
{
    public Guid Id { get; init; }
    public string Title { get; init; } = "";
    public DealStage Stage { get; init; }
    public string OwnerName { get; init; } = "";
    public decimal Value { get; init; }
    public string Currency { get; init; } = "";
    public DateOnly CloseDate { get; init; }
    public int OpenPromises { get; init; }
}

/// <summary>How many promises of each side have a status.</summary>
public sealed record StatusCount(CommitmentStatus Status, int Ours, int Theirs)
{
    public int Total => Ours + Theirs;
}

/// <summary>A promise of ours broken lately (its promised date passed in the window and it is not done).</summary>
public sealed record BrokenPromiseRow(Guid CommitmentId, Guid DealId, string DealTitle, string Description, CommitmentKind Kind, DateOnly PromisedDate);

/// <summary>A promise on the account's page list.</summary>
public sealed record AccountPromiseRow
{
    public Guid Id { get; init; }
    public Guid DealId { get; init; }
    public string DealTitle { get; init; } = "";
    public string Description { get; init; } = "";
    public CommitmentDirection Direction { get; init; }
    public CommitmentKind Kind { get; init; }
    public DateOnly PromisedDate { get; init; }
    public DateOnly? NeedDate { get; init; }
    public Domain.Department Department { get; init; }
    public string? OwnerEmail { get; init; }
    public string? AggressiveReason { get; init; }
    public CommitmentStatus Status { get; init; }
    public RiskLevel RiskLevel { get; init; }
}

/// <summary>The account page: the account, its people, and what the user may see of the deals and promises made to it.</summary>
public sealed record AccountView
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public string? Industry { get; init; }
    public IReadOnlyList<ContactRow> Contacts { get; init; } = [];

    /// <summary>The user may add and edit contacts (asked of the same rule the service refuses with).</summary>
    public bool CanEditContacts { get; init; }

    /// <summary>The figures cover every deal (admins, service staff); otherwise the user's own or their team's.</summary>
    public bool SeesEveryDeal { get; init; }

    public IReadOnlyList<AccountDealRow> Deals { get; init; } = [];
    public int DealCount { get; init; }
    public IReadOnlyList<StatusCount> PromisesByStatus { get; init; } = [];

    /// <summary>The customer's delivery record over every promise of ours to it: Kept / (Kept + KeptLate + Broken).</summary>
    public DeliveryRecord Record { get; init; } = DeliveryRecord.Empty;

    public IReadOnlyList<BrokenPromiseRow> BrokenLately { get; init; } = [];
    public int BrokenLatelyCount { get; init; }

    /// <summary>The threshold alarm's setting: the share of active accounts with a broken promise in the window above which customers leave.</summary>
    public decimal AlarmThreshold { get; init; }

    /// <summary>This account is one of those the threshold alarm counts.</summary>
    public bool CountsTowardAlarm => BrokenLatelyCount > 0;

    public int PromiseCount => PromisesByStatus.Sum(s => s.Total);
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Scale.Generation;

// The rows of one generated deal, as the tables store them. Short-lived: a deal is simulated, written by COPY, dropped.
#pragma warning disable CA1051 // plain row holders, internal to the generator

internal sealed class UserRow
{
    public string Id = "";
    public string Email = "";
    public string DisplayName = "";
    public Guid? TeamId;
    public Department? Department;
    public string Role = "";
}

internal sealed class AccountRow
{
    public Guid Id;
    public string Name = "";
    public string Industry = "";
    public DateTimeOffset CreatedAt;
    public int Team;
    public string PrimaryRepId = "";
    public List<ContactRow> Contacts = [];
}

internal sealed class ContactRow
{
    public Guid Id;
    public Guid AccountId;
    public string Name = "";
    public ContactRole Role;
    public string Email = "";
    public string? Phone;
    public bool MayContactTheirManager;
}

internal sealed class DealRow
{
    public Guid Id;
    public Guid AccountId;
    public string Title = "";
    public string OwnerId = "";
    public string ExpectedOutcome = "";
    public DateOnly CloseDate;
    public DealStage Stage;
    public DateTimeOffset StageEnteredAt;
    public string? PurchaseOrderReference;
    public string? PaymentReference;
    public DateOnly? PaymentDate;
    public LostReason? LostReason;
    public string? LostNote;
    public Guid ChecklistTemplateId;
    public int ChecklistVersion;
    public string? AckContact;
    public DateTimeOffset? AckAt;
    public CommunicationChannel? AckChannel;
    public DateTimeOffset CreatedAt;
    public decimal Value;
    public string Currency = "EUR";

    public readonly List<CommitmentRow> Commitments = [];
    public readonly List<ChecklistItemRow> Checklist = [];
    public readonly List<StageChangeRow> StageChanges = [];
    public readonly List<SharedRiskRow> SharedRisks = [];
    public readonly List<TouchpointRow> Touchpoints = [];
    public readonly List<TechnicalReviewRow> TechnicalReviews = [];
    public readonly List<CommunicationRow> Communications = [];
    public readonly List<PlanRow> Plans = [];
    public readonly List<AlertRow> Alerts = [];
    public readonly List<AuditRow> Audit = [];
}

internal sealed class CommitmentRow
{
    public Guid Id;
    public Guid DealId;
    public CommitmentDirection Direction;
    public CommitmentKind Kind;
    public string Description = "";
    public string OwnerId = "";
    public Department Department;
    public DateOnly PromisedDate;
    public DateOnly OriginalPromisedDate;
    public DateOnly? NeedDate;
    public string? AckContact;
    public DateTimeOffset? AckAt;
    public CommunicationChannel? AckChannel;
    public CommitmentStatus Status;
    public DateOnly? CompletedOn;
    public string? AcceptanceBy;
    public DateOnly? AcceptanceOn;
    public CommunicationChannel? AcceptanceChannel;
    public string? WaivedReason;
    public string? WaivedBy;
    public DateTimeOffset? WaivedAt;
    public bool IsLateAddition;
    public bool IsAggressive;
    public AggressiveApproval AggressiveApproval;
    public string? AggressiveReason;
    public string? AggressiveDecidedBy;
    public DateTimeOffset? AggressiveDecidedAt;
    public DateTimeOffset CreatedAt;
    public string CreatedBy = "";
    public DateTimeOffset? RiskEvaluatedAt;
    public RiskLevel RiskLevel;
    public List<RiskReason> RiskReasons = [];
    public DateTimeOffset? RiskSince;
    public DateOnly? RiskReviewOn;

    public readonly List<MilestoneRow> Milestones = [];
    public readonly List<DateChangeRow> DateChanges = [];

    public bool IsOpen => Status is CommitmentStatus.Open or CommitmentStatus.Broken;
}

internal sealed class MilestoneRow
{
    public Guid Id;
    public Guid CommitmentId;
    public int Position;
    public string Title = "";
    public string? AssigneeId;
    public DateOnly PlannedDate;
    public DateOnly? ForecastDate;
    public DateOnly? CompletedOn;
    public MilestoneStatus Status;
    public string? StatusReason;
    public bool IsCustomerAcceptance;
    public string? AcceptanceBy;
    public DateOnly? AcceptanceOn;
    public CommunicationChannel? AcceptanceChannel;
    public DateTimeOffset? LastUpdatedAt;
    public string? LastUpdatedBy;
    public readonly List<MilestoneUpdateRow> Updates = [];

    public bool IsFinished => Status is MilestoneStatus.Done or MilestoneStatus.Skipped;
}

internal sealed class MilestoneUpdateRow
{
    public Guid Id;
    public Guid MilestoneId;
    public string ByUserId = "";
    public DateTimeOffset At;
    public MilestoneStatus OldStatus;
    public MilestoneStatus NewStatus;
    public DateOnly? OldForecast;
    public DateOnly? NewForecast;
    public string? Note;
}

internal sealed class DateChangeRow
{
    public Guid Id;
    public Guid CommitmentId;
    public DateOnly OldDate;
    public DateOnly NewDate;
    public string AgreedWith = "";
    public DateTimeOffset AgreedAt;
    public string Reason = "";
    public string ByUserId = "";
    public DateTimeOffset At;
}

internal sealed class ChecklistItemRow
{
    public Guid Id;
    public Guid DealId;
    public int Position;
    public string Title = "";
    public string Guidance = "";
    public bool Required;
    public string? Answer;
    public string? AnsweredBy;
    public DateTimeOffset? AnsweredAt;
}

internal sealed class StageChangeRow
{
    public Guid Id;
    public Guid DealId;
    public DealStage? From;
    public DealStage To;
    public string ByUserId = "";
    public DateTimeOffset At;
}

internal sealed class SharedRiskRow
{
    public Guid Id;
    public Guid DealId;
    public Guid RiskLibraryEntryId;
    public string Title = "";
    public string Response = "";
    public string SharedBy = "";
    public DateTimeOffset SharedAt;
}

internal sealed class TouchpointRow
{
    public Guid Id;
    public Guid DealId;
    public TouchpointKind Kind;
    public DateOnly DueOn;
    public Guid? CommitmentId;
    public DateTimeOffset? CompletedAt;
    public string? CompletedBy;
    public Guid? CommunicationEntryId;
    public bool IsCancelled;
}

internal sealed class TechnicalReviewRow
{
    public Guid Id;
    public Guid DealId;
    public string Request = "";
    public string RequestedBy = "";
    public DateTimeOffset RequestedAt;
    public TechnicalReviewOutcome Outcome;
    public string? ReviewerId;
    public string? Comment;
    public DateTimeOffset? DecidedAt;
}

internal sealed class CommunicationRow
{
    public Guid Id;
    public Guid DealId;
    public Guid? CommitmentId;
    public CommunicationChannel Channel;
    public CommunicationDirection Direction;
    public string People = "";
    public string Summary = "";
    public DateTimeOffset OccurredAt;
    public string LoggedBy = "";
    public DateTimeOffset LoggedAt;
    public Guid? CorrectsEntryId;
}

internal sealed class PlanRow
{
    public Guid Id;
    public Guid CommitmentId;
    public Guid DealId;
    public string DealOwnerId = "";
    public RiskLevel Level;
    public DateTimeOffset DetectedAt;
    public DateTimeOffset OpenedAt;
    public DateOnly? ForecastDate;
    public DateOnly? NeedDate;
    public bool? BufferAbsorbsSlip;
    public DateTimeOffset ManagerAlertedAt;
    public string? ManagerAcknowledgedBy;
    public DateTimeOffset? ManagerAcknowledgedAt;
    public Guid? CustomerToldCommunicationId;
    public DateTimeOffset? CustomerToldAt;
    public string? OfferedMeanwhile;
    public string? ManagerContact;
    public string? BossContactNote;
    public DateTimeOffset? BossContactedAt;
    public DateTimeOffset? SolutionPresentedAt;
    public bool? SolutionAccepted;
    public bool? CustomerForgave;
    public string? CompensationApprovedBy;
    public DateTimeOffset? CompensationApprovedAt;
    public RootCause? RootCause;
    public Department? RootCauseDepartment;
    public string? Lesson;
    public DateTimeOffset? ResolvedAt;
    public decimal? CompensationBudget;
    public decimal? CompensationCostToUs;
    public decimal? CompensationEstimatedLoss;
    public decimal? CompensationFaceValue;
    public string? CompensationItem;
    public readonly List<StepRow> Steps = [];
    public readonly List<OptionRow> Options = [];
}

internal sealed class StepRow
{
    public Guid Id;
    public Guid PlanId;
    public RecoveryStepKind Kind;
    public int Position;
    public string OwnerId = "";
    public DateTimeOffset DueAt;
    public DateTimeOffset? DoneAt;
    public string? Notes;
    public DateTimeOffset? EscalatedAt;
    public string? EscalatedTo;
}

internal sealed class OptionRow
{
    public Guid Id;
    public Guid PlanId;
    public RecoveryOptionKind Kind;
    public string Description = "";
    public DateTimeOffset AddedAt;
    public bool IsChosen;
}

internal sealed class AlertRow
{
    public Guid Id;
    public Guid CommitmentId;
    public Guid DealId;
    public string RecipientId = "";
    public RiskLevel Level;
    public string Title = "";
    public string Reasons = "";
    public DateTimeOffset DetectedAt;
    public DateTimeOffset? ReadAt;
    public DateTimeOffset? EmailedAt;
    public int EmailAttempts;
}

internal sealed class AuditRow
{
    public Guid? DealId;
    public string EntityType = "";
    public Guid EntityId;
    public string Action = "";
    public string? Field;
    public string? OldValue;
    public string? NewValue;
    public string ChangedBy = "";
    public DateTimeOffset ChangedAt;
}

#pragma warning restore CA1051

using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Recovery;

/// <summary>The seven steps of a recovery plan, in the order they are worked.</summary>
public enum RecoveryStepKind { MakeRoom, Options, AlertManager, TellCustomer, Comfort, Apologise, Compensate }

/// <summary>What can be done instead of the broken promise.</summary>
public enum RecoveryOptionKind { AnotherSource, LoanOrDemoUnit, PartialDelivery, Reshuffle, Other }

/// <summary>Why the promise could not be kept; recorded when a plan is closed.</summary>
public enum RootCause
{
    BadTechnicalInformation,
    PoorCommunication,
    UnexpectedDeliveryProblem,
    UnrealisticExpectations,
    Dishonesty,
    CustomerSideDelay,
    Other,
}

/// <summary>Who works a step and how long after detection it is due.</summary>
public sealed record RecoveryStepAssignment(string OwnerId, TimeSpan DueAfter);

/// <summary>
/// How a plan is set up when it opens: who owns each step, when it is due, and within how many hours of detection the
/// customer must be told (the Tell-the-customer step is always due then, whatever its assignment says).
/// </summary>
public sealed record RecoverySettings(int TellCustomerWithinHours, IReadOnlyDictionary<RecoveryStepKind, RecoveryStepAssignment> Steps)
{
    /// <summary>The team's working calendar: with one, hours and days count working time; without, elapsed time.</summary>
    public WorkingCalendar? Calendar { get; init; }

    /// <summary>When a step of a plan detected at <paramref name="detectedAt"/> is due.</summary>
    public DateTimeOffset DueAt(RecoveryStepKind kind, RecoveryStepAssignment assignment, DateTimeOffset detectedAt)
    {
        var after = kind == RecoveryStepKind.TellCustomer ? TimeSpan.FromHours(TellCustomerWithinHours) : assignment.DueAfter;
        if (Calendar is null)
            return detectedAt + after;
        // "Tell the customer within N hours" is N working hours even when N is a multiple of 24. Stored in UTC.
        var due = kind == RecoveryStepKind.TellCustomer
            ? Calendar.AddWorkingHours(detectedAt, TellCustomerWithinHours)
            : Calendar.DueAfter(detectedAt, after);
        return due.ToUniversalTime();
    }

    /// <summary>The default hours within which the customer is told.</summary>
    public const int DefaultTellCustomerWithinHours = 24;

    /// <summary>The rep owns the customer-facing steps, the manager the manager's; sensible default due times.</summary>
    public static RecoverySettings Default(string repId, string managerId, int tellCustomerWithinHours = DefaultTellCustomerWithinHours) =>
        new(tellCustomerWithinHours, new Dictionary<RecoveryStepKind, RecoveryStepAssignment>
        {
            [RecoveryStepKind.MakeRoom] = new(repId, TimeSpan.FromHours(4)),
            [RecoveryStepKind.Options] = new(repId, TimeSpan.FromHours(8)),
            [RecoveryStepKind.AlertManager] = new(managerId, TimeSpan.FromHours(4)),
            [RecoveryStepKind.TellCustomer] = new(repId, TimeSpan.FromHours(tellCustomerWithinHours)),
            [RecoveryStepKind.Comfort] = new(managerId, TimeSpan.FromDays(2)),
            [RecoveryStepKind.Apologise] = new(repId, TimeSpan.FromDays(7)),
            [RecoveryStepKind.Compensate] = new(managerId, TimeSpan.FromDays(14)),
        });
}

/// <summary>One step of a recovery plan: who, by when, when done, and what was noted.</summary>
public sealed class RecoveryStep
{
    private RecoveryStep() { }

    internal RecoveryStep(Guid planId, RecoveryStepKind kind, string ownerId, DateTimeOffset dueAt)
    {
        Id = Guid.NewGuid();
        PlanId = planId;
        Kind = kind;
        Position = (int)kind + 1;
        OwnerId = ownerId;
        DueAt = dueAt;
    }

    public Guid Id { get; private set; }
    public Guid PlanId { get; private set; }
    public RecoveryStepKind Kind { get; private set; }

    /// <summary>1 to 7, the order in which the steps are worked.</summary>
    public int Position { get; private set; }

    public string OwnerId { get; private set; } = "";
    public DateTimeOffset DueAt { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }
    public string? Notes { get; private set; }
    public DateTimeOffset? EscalatedAt { get; private set; }
    public string? EscalatedTo { get; private set; }

    public bool IsDone => DoneAt is not null;

    public bool IsOverdue(DateTimeOffset now) => !IsDone && now > DueAt;

    internal void Assign(string ownerId) => OwnerId = ownerId;

    internal void SetNotes(string? notes) => Notes = notes;

    internal void MarkDone(DateTimeOffset now) => DoneAt = now;

    internal void MarkNotDone() => DoneAt = null;

    internal void MarkEscalated(string to, DateTimeOffset now)
    {
        EscalatedTo = to;
        EscalatedAt = now;
    }
}

/// <summary>An option considered in the Options step; at most one is chosen.</summary>
public sealed class RecoveryOption
{
    private RecoveryOption() { }

    internal RecoveryOption(Guid planId, RecoveryOptionKind kind, string description, Guid? reshuffleWithCommitmentId, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        PlanId = planId;
        Kind = kind;
        Description = description;
        ReshuffleWithCommitmentId = reshuffleWithCommitmentId;
        AddedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid PlanId { get; private set; }
    public RecoveryOptionKind Kind { get; private set; }
    public string Description { get; private set; } = "";

    /// <summary>For a reshuffle: the other promise whose slack we take.</summary>
    public Guid? ReshuffleWithCommitmentId { get; private set; }

    public DateTimeOffset AddedAt { get; private set; }
    public bool IsChosen { get; internal set; }
}

/// <summary>
/// What we give the customer beyond the loss. Amounts are in the deal's currency. The budget it is measured against is the
/// customer acquisition cost (<see cref="CompensationBudget.CustomerAcquisitionCost"/>); what we spend is the cost to us.
/// </summary>
public sealed record Compensation(string Item, decimal FaceValue, decimal CostToUs, decimal EstimatedLoss, decimal Budget)
{
    /// <summary>Share of the face value that is not a cost to us (1 = free to us, 0 = costs what it is worth).</summary>
    public decimal MarginRatio => CompensationBudget.MarginRatio(FaceValue, CostToUs);

    public bool ExceedsBudget => CompensationBudget.NeedsApproval(CostToUs, Budget);

    public bool FallsShortOfLoss => CompensationBudget.FallsShortOfLoss(FaceValue, EstimatedLoss);
}

/// <summary>The guideline budget and the margin helper for compensation.</summary>
public static class CompensationBudget
{
    /// <summary>Customer acquisition cost: what winning a new customer costs, so what keeping one is worth.</summary>
    public static decimal CustomerAcquisitionCost(decimal marketingSpend, int newCustomers)
    {
        if (marketingSpend < 0)
            throw new DomainException("The marketing spend cannot be negative.");
        if (newCustomers <= 0)
            throw new DomainException("The number of new customers must be at least 1 to work out the compensation budget.");
        return decimal.Round(marketingSpend / newCustomers, 2);
    }

    /// <summary>Compensation worth no more than the customer's loss only settles; the playbook asks to go beyond it.</summary>
    public static bool FallsShortOfLoss(decimal faceValue, decimal estimatedLoss) => faceValue <= estimatedLoss;

    /// <summary>Costing us more than the budget, the compensation needs the manager's approval.</summary>
    public static bool NeedsApproval(decimal costToUs, decimal budget) => costToUs > budget;

    /// <summary>(face value − cost to us) / face value; prefer items with a high ratio: worth much to them, cheap for us.</summary>
    public static decimal MarginRatio(decimal faceValue, decimal costToUs) =>
        faceValue <= 0 ? 0m : (faceValue - costToUs) / faceValue;
}

/// <summary>Another open promise that could give up days for this one: its own dates and its deal's value.</summary>
public sealed record ReshuffleCandidateInput(
    Guid CommitmentId,
    CommitmentKind Kind,
    CommitmentStatus Status,
    DateOnly PromisedDate,
    DateOnly? NeedDate,
    DateOnly Forecast,
    decimal DealValue);

/// <summary>A promise that can give up the days needed, with its slack before and after giving them.</summary>
public sealed record ReshuffleCandidate(Guid CommitmentId, int SlackDays, int SlackAfterDays, DateOnly NewForecast, decimal DealValue);

using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Deals;

/// <summary>How far the deal has come: a promise of an order is not an order.</summary>
public enum DealStage { Verbal, Ordered, Delivered, Paid, Lost }

/// <summary>Why a deal was lost.</summary>
public enum LostReason { WentToCompetitor, NoBudget, NoLongerNeeded, CreditRefused, WeCouldNotDeliver, Other }

/// <summary>The post-sale touchpoints generated for each deal.</summary>
public enum TouchpointKind
{
    ConfirmDecisionComfort,
    WalkThroughRoadToDelivery,
    ChasePurchaseOrder,
    CheckInBeforePromisedDate,
    ConfirmSatisfaction,
    ConfirmPaymentCleared,
    InformOfReshuffle,
}

/// <summary>An amount in a currency (ISO 4217 code).</summary>
public sealed record Money(decimal Amount, string Currency)
{
    public static Money Of(decimal amount, string currency)
    {
        if (amount < 0)
            throw new DomainException("A deal's value cannot be negative.");
        var code = Guard.Required(currency, "Currency", FieldLengths.Currency).ToUpperInvariant();
        if (code.Length != 3 || !code.All(char.IsAsciiLetterUpper))
            throw new DomainException("Currency must be a three-letter code such as EUR or USD.");
        return new Money(decimal.Round(amount, 2), code);
    }

    public override string ToString() => $"{Amount:N2} {Currency}";
}

/// <summary>One timestamped stage change of a deal.</summary>
public sealed class DealStageChange
{
    private DealStageChange() { }

    internal DealStageChange(Guid dealId, DealStage? from, DealStage to, string byUserId, DateTimeOffset at)
    {
        Id = Guid.NewGuid();
        DealId = dealId;
        From = from;
        To = to;
        ByUserId = byUserId;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid DealId { get; private set; }
    public DealStage? From { get; private set; }
    public DealStage To { get; private set; }
    public string ByUserId { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}

/// <summary>One item of a deal's expectation checklist, copied from the pinned template version.</summary>
public sealed class DealChecklistItem
{
    private DealChecklistItem() { }

    internal DealChecklistItem(Guid dealId, int position, string title, string guidance, bool required)
    {
        Id = Guid.NewGuid();
        DealId = dealId;
        Position = position;
        Title = title;
        Guidance = guidance;
        Required = required;
    }

    public Guid Id { get; private set; }
    public Guid DealId { get; private set; }
    public int Position { get; private set; }
    public string Title { get; private set; } = "";
    public string Guidance { get; private set; } = "";
    public bool Required { get; private set; }
    public string? Answer { get; private set; }
    public string? AnsweredBy { get; private set; }
    public DateTimeOffset? AnsweredAt { get; private set; }
    public bool IsAnswered => Answer is not null;

    internal void Record(string? answer, string byUserId, DateTimeOffset now)
    {
        Answer = Guard.Optional(answer, "Answer", FieldLengths.Text);
        AnsweredBy = Answer is null ? null : byUserId;
        AnsweredAt = Answer is null ? null : now;
    }
}

/// <summary>A risk from the library that the rep shared with the customer (checklist item 6).</summary>
public sealed class SharedRisk
{
    private SharedRisk() { }

    internal SharedRisk(Guid dealId, Guid riskId, string title, string response, string byUserId, DateTimeOffset at)
    {
        Id = Guid.NewGuid();
        DealId = dealId;
        RiskLibraryEntryId = riskId;
        Title = title;
        Response = response;
        SharedBy = byUserId;
        SharedAt = at;
    }

    public Guid Id { get; private set; }
    public Guid DealId { get; private set; }
    public Guid RiskLibraryEntryId { get; private set; }

    /// <summary>The title as it was shared, kept even if the library entry changes later.</summary>
    public string Title { get; private set; } = "";

    /// <summary>How we said we would respond.</summary>
    public string Response { get; private set; } = "";

    public string SharedBy { get; private set; } = "";
    public DateTimeOffset SharedAt { get; private set; }
}

/// <summary>A planned contact with the customer after the sale; completing it writes a communication entry.</summary>
public sealed class Touchpoint
{
    private Touchpoint() { }

    internal Touchpoint(Guid dealId, TouchpointKind kind, DateOnly dueOn, Guid? commitmentId)
    {
        Id = Guid.NewGuid();
        DealId = dealId;
        Kind = kind;
        DueOn = dueOn;
        CommitmentId = commitmentId;
    }

    public Guid Id { get; private set; }
    public Guid DealId { get; private set; }
    public TouchpointKind Kind { get; private set; }
    public DateOnly DueOn { get; internal set; }
    public Guid? CommitmentId { get; private set; }
    public DateTimeOffset? CompletedAt { get; private set; }
    public string? CompletedBy { get; private set; }
    public Guid? CommunicationEntryId { get; private set; }

    /// <summary>No longer needed (the PO arrived, the payment cleared, the promise was waived, the deal was lost).</summary>
    public bool IsCancelled { get; private set; }

    public bool IsOpen => CompletedAt is null && !IsCancelled;

    public bool IsOverdue(DateOnly today) => IsOpen && DueOn < today;

    public string Title => TitleOf(Kind);

    /// <summary>What a touchpoint of this kind asks the rep to do.</summary>
    public static string TitleOf(TouchpointKind kind) => kind switch
    {
        TouchpointKind.ConfirmDecisionComfort => "Confirm the customer is comfortable with the decision",
        TouchpointKind.WalkThroughRoadToDelivery => "Walk through the road to delivery",
        TouchpointKind.ChasePurchaseOrder => "Chase the purchase order",
        TouchpointKind.CheckInBeforePromisedDate => "Check in before the promised date",
        TouchpointKind.ConfirmSatisfaction => "Confirm satisfaction after delivery",
        TouchpointKind.ConfirmPaymentCleared => "Confirm the payment cleared",
        TouchpointKind.InformOfReshuffle => "Tell the customer their delivery was re-planned (reshuffle)",
        _ => kind.ToString(),
    };

    internal void Complete(Guid communicationEntryId, string byUserId, DateTimeOffset now)
    {
        if (!IsOpen)
            throw new DomainException(IsCancelled ? "This touchpoint is no longer needed." : "This touchpoint is already done.");
        CommunicationEntryId = communicationEntryId;
        CompletedBy = byUserId;
        CompletedAt = now;
    }

    internal void Cancel()
    {
        if (IsOpen)
            IsCancelled = true;
    }
}

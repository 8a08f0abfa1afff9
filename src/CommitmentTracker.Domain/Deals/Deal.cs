using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Deals;

/// <summary>
/// A deal followed from the verbal promise of an order to the cleared payment, with its promises,
/// expectation checklist and post-sale plan. Stage gates are enforced here and explained by <see cref="WhyCannotAdvance"/>.
/// </summary>
public sealed class Deal : IHasDomainEvents
{
    private readonly List<IDomainEvent> _domainEvents = [];
    private readonly List<Commitment> _commitments = [];
    private readonly List<DealChecklistItem> _checklist = [];
    private readonly List<SharedRisk> _sharedRisks = [];
    private readonly List<Touchpoint> _touchpoints = [];
    private readonly List<DealStageChange> _stageHistory = [];
    private readonly List<TechnicalReview> _technicalReviews = [];

    private Deal() { }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }
    public string Title { get; private set; } = "";

    /// <summary>The rep who owns the deal.</summary>
    public string OwnerId { get; private set; } = "";

    public Money Value { get; private set; } = new(0, "EUR");

    /// <summary>What the customer is buying, in their words: the capacity or result, not the units.</summary>
    public string ExpectedOutcome { get; private set; } = "";

    public DateOnly CloseDate { get; private set; }
    public DealStage Stage { get; private set; }
    public DateTimeOffset StageEnteredAt { get; private set; }
    public string? PurchaseOrderReference { get; private set; }
    public string? PaymentReference { get; private set; }
    public DateOnly? PaymentDate { get; private set; }
    public LostReason? LostReason { get; private set; }
    public string? LostNote { get; private set; }
    public Guid ChecklistTemplateId { get; private set; }
    public int ChecklistVersion { get; private set; }
    public CustomerAcknowledgement? ChecklistAcknowledgement { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyList<Commitment> Commitments => _commitments;
    public IReadOnlyList<DealChecklistItem> Checklist => _checklist;
    public IReadOnlyList<SharedRisk> SharedRisks => _sharedRisks;
    public IReadOnlyList<Touchpoint> Touchpoints => _touchpoints;
    public IReadOnlyList<DealStageChange> StageHistory => _stageHistory;
    public IReadOnlyList<TechnicalReview> TechnicalReviews => _technicalReviews;

    /// <summary>The checklist item answered by an approved technical review.</summary>
    public const string TechnicalReviewItemTitle = "Technical review";

    public bool IsClosed => Stage is DealStage.Paid or DealStage.Lost;

    /// <summary>What happened to the deal since it was loaded (its stage moves), until the save hands it on.</summary>
    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    public void ClearDomainEvents() => _domainEvents.Clear();

    public static Deal Create(
        Guid accountId, string title, string ownerId, Money value, string expectedOutcome, DateOnly closeDate,
        ChecklistTemplate checklist, DateTimeOffset now, DateOnly today)
    {
        if (!checklist.IsActive)
            throw new DomainException("New deals use the current checklist version.");
        if (closeDate > today)
            throw new DomainException("The close date cannot be in the future: log the deal when it closes.");
        var deal = new Deal
        {
            Id = Guid.NewGuid(),
            AccountId = accountId,
            Title = Guard.Required(title, "Title", FieldLengths.Title),
            OwnerId = Guard.Required(ownerId, "Owner", FieldLengths.UserId),
            Value = Money.Of(value.Amount, value.Currency),
            ExpectedOutcome = Guard.Required(expectedOutcome, "Expected outcome", FieldLengths.Text),
            CloseDate = closeDate,
            Stage = DealStage.Verbal,
            StageEnteredAt = now,
            ChecklistTemplateId = checklist.Id,
            ChecklistVersion = checklist.Version,
            CreatedAt = now,
        };
        foreach (var item in checklist.Items)
            deal._checklist.Add(new DealChecklistItem(deal.Id, item.Position, item.Title, item.Guidance, item.Required));
        deal._touchpoints.Add(new Touchpoint(deal.Id, TouchpointKind.ConfirmDecisionComfort, closeDate.AddDays(2), null));
        deal._touchpoints.Add(new Touchpoint(deal.Id, TouchpointKind.WalkThroughRoadToDelivery, closeDate.AddDays(5), null));
        deal._touchpoints.Add(new Touchpoint(deal.Id, TouchpointKind.ChasePurchaseOrder, closeDate.AddDays(7), null));
        deal._stageHistory.Add(new DealStageChange(deal.Id, null, DealStage.Verbal, deal.OwnerId, now));
        return deal;
    }

    public void UpdateDetails(string title, Money value, string expectedOutcome, DateOnly closeDate, DateOnly today)
    {
        EnsureOpen();
        if (closeDate > today)
            throw new DomainException("The close date cannot be in the future.");
        // Check everything before changing anything: a refused edit leaves the deal as it was.
        (Title, Value, ExpectedOutcome) = (
            Guard.Required(title, "Title", FieldLengths.Title),
            Money.Of(value.Amount, value.Currency),
            Guard.Required(expectedOutcome, "Expected outcome", FieldLengths.Text));
        // The post-sale plan counts from the close date: open touchpoints follow a corrected date.
        var shift = closeDate.DayNumber - CloseDate.DayNumber;
        foreach (var t in _touchpoints.Where(t => t.IsOpen && t.Kind is TouchpointKind.ConfirmDecisionComfort or TouchpointKind.WalkThroughRoadToDelivery or TouchpointKind.ChasePurchaseOrder))
            t.DueOn = t.DueOn.AddDays(shift);
        CloseDate = closeDate;
    }

    /// <summary>Days in the current stage: for a verbal deal, the age of the promise of an order.</summary>
    public int DaysInStage(DateTimeOffset now) => Math.Max(0, (int)(now - StageEnteredAt).TotalDays);

    // ---------- promises ----------

    /// <summary>Logs a promise; after the deal left Verbal it is flagged as a late addition.</summary>
    /// <remarks><paramref name="chance"/> is the history's chance that the date holds (ours only); below its minimum the date is aggressive.</remarks>
    public Commitment AddCommitment(CommitmentDraft draft, LeadTimes leadTimes, string byUserId, DateTimeOffset now, DateOnly today, ForecastChance? chance = null)
    {
        if (IsClosed)
            throw new DomainException($"A {Stage.ToString().ToLowerInvariant()} deal takes no new promises.");
        var commitment = new Commitment(Id, OwnerId, draft, leadTimes, isLateAddition: Stage != DealStage.Verbal, byUserId, now, today, chance);
        _commitments.Add(commitment);
        if (commitment.Direction == CommitmentDirection.Ours)
            _touchpoints.Add(new Touchpoint(Id, TouchpointKind.CheckInBeforePromisedDate, CheckInDate(commitment.PromisedDate, today), commitment.Id));
        return commitment;
    }

    /// <summary>
    /// Another promise gave up days to a promise in trouble (a reshuffle): the rep must tell this customer, today.
    /// </summary>
    public Touchpoint AddReshuffleTouchpoint(Guid commitmentId, DateOnly today)
    {
        var commitment = Commitment(commitmentId);
        var touchpoint = new Touchpoint(Id, TouchpointKind.InformOfReshuffle, today, commitment.Id);
        _touchpoints.Add(touchpoint);
        return touchpoint;
    }

    public Commitment Commitment(Guid commitmentId) =>
        _commitments.FirstOrDefault(c => c.Id == commitmentId)
        ?? throw new DomainException("That promise does not belong to this deal.");

    /// <summary>Why a new date cannot be agreed for the promise now: the deal is settled, or the promise is not open; null when it can.</summary>
    public string? WhyCannotRenegotiate(Commitment commitment) => WhySettled() ?? commitment.WhyCannotRenegotiate();

    /// <summary>Why the promise cannot be waived now: the deal is settled, or the promise is closed; null when it can.</summary>
    public string? WhyCannotWaive(Commitment commitment) => WhySettled() ?? commitment.WhyCannotChange();

    public void RenegotiateCommitment(Guid commitmentId, DateOnly newDate, string agreedWith, DateTimeOffset agreedAt, string reason, string byUserId, DateTimeOffset now, DateOnly today)
    {
        var commitment = Commitment(commitmentId);
        if (WhyCannotRenegotiate(commitment) is { } why)
            throw new DomainException(why);
        commitment.Renegotiate(newDate, agreedWith, agreedAt, reason, byUserId, now, today);
        foreach (var touchpoint in _touchpoints.Where(t => t.CommitmentId == commitmentId && t.IsOpen))
            touchpoint.DueOn = CheckInDate(newDate, today);
    }

    public void WaiveCommitment(Guid commitmentId, string reason, string byUserId, DateTimeOffset now)
    {
        var commitment = Commitment(commitmentId);
        if (WhyCannotWaive(commitment) is { } why)
            throw new DomainException(why);
        commitment.Waive(reason, byUserId, now);
        foreach (var touchpoint in _touchpoints.Where(t => t.CommitmentId == commitmentId))
            touchpoint.Cancel();
    }

    /// <summary>Why the customer cannot confirm the outcome of the promise now (the deal is settled, or the promise's own reason); null when they can.</summary>
    public string? WhyCustomerCannotAccept(Commitment commitment) => WhySettled() ?? commitment.WhyCustomerCannotAccept();

    /// <summary>Records the customer's confirmation that an outcome promise was reached (see <see cref="Commitment.AcceptOutcome"/>).</summary>
    public void RecordOutcomeAcceptance(Guid commitmentId, CustomerAcceptance acceptance, string byActor, DateTimeOffset now, DateOnly today)
    {
        var commitment = Commitment(commitmentId);
        if (WhyCustomerCannotAccept(commitment) is { } why)
            throw new DomainException(why);
        commitment.AcceptOutcome(acceptance, byActor, now, today);
    }

    // ---------- checklist ----------

    /// <summary>
    /// Records the answer to one item. An answer typed for the technical-review item is not a review: while the deal is
    /// verbal and no review is waiting or approved, it asks service staff for one, with the answer as what to review.
    /// Returns that review, or null when none was asked for.
    /// </summary>
    public TechnicalReview? AnswerChecklistItem(Guid itemId, string? answer, string byUserId, DateTimeOffset now)
    {
        EnsureOpen();
        var item = _checklist.FirstOrDefault(i => i.Id == itemId)
            ?? throw new DomainException("That item is not on this deal's checklist.");
        item.Record(answer, byUserId, now);
        if (item != TechnicalReviewItem || item.Answer is null || WhyCannotRequestTechnicalReview() is not null || LatestTechnicalReview is { Outcome: TechnicalReviewOutcome.Approved })
            return null;
        return RequestTechnicalReview(item.Answer, byUserId, now);
    }

    public IEnumerable<DealChecklistItem> OpenRequiredItems => _checklist.Where(i => i.Required && !i.IsAnswered);

    public void RecordChecklistAcknowledgement(CustomerAcknowledgement acknowledgement, DateTimeOffset now)
    {
        EnsureOpen();
        Guard.Required(acknowledgement.ContactName, "Who acknowledged", FieldLengths.Name);
        if (acknowledgement.At > now.AddMinutes(5))
            throw new DomainException("An acknowledgement cannot be dated in the future.");
        if (OpenRequiredItems.Any())
            throw new DomainException("The customer can acknowledge the checklist once every required item is answered.");
        ChecklistAcknowledgement = acknowledgement;
    }

    public SharedRisk ShareRisk(RiskLibraryEntry risk, string byUserId, DateTimeOffset now)
    {
        EnsureOpen();
        if (_sharedRisks.Any(r => r.RiskLibraryEntryId == risk.Id))
            throw new DomainException($"\"{risk.Title}\" was already shared on this deal.");
        if (risk.IsRetired)
            throw new DomainException($"\"{risk.Title}\" is retired from the risk library.");
        var shared = new SharedRisk(Id, risk.Id, risk.Title, risk.UsualResponse, byUserId, now);
        _sharedRisks.Add(shared);
        return shared;
    }

    // ---------- technical review ----------

    /// <summary>The checklist's technical-review item (DESIGN.md item 7), found by its title; null when the checklist has none.</summary>
    public DealChecklistItem? TechnicalReviewItem =>
        _checklist.FirstOrDefault(i => string.Equals(i.Title, TechnicalReviewItemTitle, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Whether the order waits for service staff's approval: the checklist requires its technical-review item, and
    /// only an approved review satisfies it, however the item was answered.
    /// </summary>
    public bool RequiresTechnicalReview => TechnicalReviewItem is { Required: true };

    /// <summary>
    /// The review that counts: the one waiting, else the one decided last (at the same moment, concerns count over an
    /// approval: when in doubt, the order waits).
    /// </summary>
    public TechnicalReview? LatestTechnicalReview =>
        _technicalReviews.FirstOrDefault(r => r.IsPending)
        ?? _technicalReviews.OrderBy(r => r.DecidedAt).ThenBy(r => r.RequestedAt).ThenBy(r => r.Outcome == TechnicalReviewOutcome.Approved ? 0 : 1).LastOrDefault();

    /// <summary>Why the technical review does not let the deal be ordered yet; null when it does or none is required.</summary>
    public string? WhyTechnicalReviewMissing() => !RequiresTechnicalReview ? null : LatestTechnicalReview?.Outcome switch
    {
        TechnicalReviewOutcome.Approved => null,
        TechnicalReviewOutcome.Pending => "The technical review is waiting for service staff: the order needs their approval.",
        TechnicalReviewOutcome.ConcernsRaised => "Service staff raised concerns in the technical review: address them and ask for a new review.",
        _ => "Service staff have not reviewed the solution: ask them for a technical review before the order.",
    };

    /// <summary>Asks service staff to review the solution before it is promised; only while the deal is verbal.</summary>
    public TechnicalReview RequestTechnicalReview(string request, string byUserId, DateTimeOffset now)
    {
        if (WhyCannotRequestTechnicalReview() is { } why)
            throw new DomainException(why);
        var review = new TechnicalReview(Id, Guard.Required(request, "What to review", FieldLengths.Text), byUserId, now);
        _technicalReviews.Add(review);
        return review;
    }

    /// <summary>Why no technical review can be asked for now: the deal left Verbal, or one is waiting; null when one can.</summary>
    public string? WhyCannotRequestTechnicalReview() =>
        Stage != DealStage.Verbal ? "A technical review is asked for before the promise is made, while the deal is verbal."
        : _technicalReviews.Any(r => r.IsPending) ? "A technical review is already waiting for service staff."
        : null;

    /// <summary>Service staff approve or raise concerns; an approval answers the checklist's technical-review item.</summary>
    public void DecideTechnicalReview(Guid reviewId, bool approved, string? comment, string reviewerId, DateTimeOffset now)
    {
        var review = _technicalReviews.FirstOrDefault(r => r.Id == reviewId)
            ?? throw new DomainException("That review is not on this deal.");
        review.Decide(approved, comment, reviewerId, now);
        var item = TechnicalReviewItem;
        if (approved && item is not null && !IsClosed)
            item.Record($"Approved by service on {now:yyyy-MM-dd}{(review.Comment is null ? "" : $": {review.Comment}")}", reviewerId, now);
    }

    // ---------- stages ----------

    /// <summary>
    /// Why the deal cannot move to <paramref name="target"/>, one sentence per missing condition; empty when it can.
    /// Inputs the move needs (PO reference, payment) are checked when given.
    /// </summary>
    public IReadOnlyList<string> WhyCannotAdvance(DealStage target, string? purchaseOrderReference = null, DateOnly? paymentDate = null, string? paymentReference = null)
    {
        var missing = new List<string>(WhatIsMissingBefore(target));
        if (target != NextStage)
            return missing;
        switch (target)
        {
            case DealStage.Ordered when string.IsNullOrWhiteSpace(purchaseOrderReference):
                missing.Add("The purchase-order reference is needed: a promise of an order is not an order.");
                break;
            case DealStage.Paid:
                if (paymentDate is null)
                    missing.Add("The payment date is needed.");
                if (string.IsNullOrWhiteSpace(paymentReference))
                    missing.Add("The payment reference is needed.");
                break;
        }
        return missing;
    }

    /// <summary>The stage this deal moves to next on the road to payment; null once paid or lost.</summary>
    public DealStage? NextStage => Stage switch
    {
        DealStage.Verbal => DealStage.Ordered,
        DealStage.Ordered => DealStage.Delivered,
        DealStage.Delivered => DealStage.Paid,
        _ => null,
    };

    /// <summary>
    /// The gate's conditions the deal itself does not meet yet for <paramref name="target"/>, leaving out what the move
    /// asks for when it is made (PO reference, payment): what a page shows before the user types anything.
    /// </summary>
    public IReadOnlyList<string> WhatIsMissingBefore(DealStage target)
    {
        var missing = new List<string>();
        var expected = NextStage;
        if (target == DealStage.Lost)
        {
            if (IsClosed)
                missing.Add($"The deal is already {Stage.ToString().ToLowerInvariant()}.");
            return missing;
        }
        if (expected != target)
        {
            missing.Add(expected is null
                ? $"The deal is {Stage.ToString().ToLowerInvariant()}; it has no further stage."
                : $"A {Stage.ToString().ToLowerInvariant()} deal moves to {expected.ToString()!.ToLowerInvariant()} next, not {target.ToString().ToLowerInvariant()}.");
            return missing;
        }
        switch (target)
        {
            case DealStage.Ordered:
                missing.AddRange(OpenRequiredItems.Select(i => $"Checklist item \"{i.Title}\" is required and not answered yet."));
                // An open technical-review item already says what is missing; past that, only an approval will do.
                if (WhyTechnicalReviewMissing() is { } review && !(LatestTechnicalReview is null && TechnicalReviewItem is { IsAnswered: false }))
                    missing.Add(review);
                break;
            case DealStage.Delivered:
                foreach (var c in _commitments.Where(c => c.Direction == CommitmentDirection.Ours && !c.SatisfiesDelivery))
                {
                    missing.Add(c.Kind == CommitmentKind.Outcome && c.Status is CommitmentStatus.Kept or CommitmentStatus.KeptLate
                        ? $"Outcome promise \"{c.Description}\" is not accepted by the customer yet."
                        : $"Promise \"{c.Description}\" is {Domain.Commitments.Commitment.StatusLabel(c.Status)}; it must be kept, kept late or waived.");
                }
                if (!_commitments.Any(c => c.Direction == CommitmentDirection.Ours))
                    missing.Add("The deal has no promises of ours to deliver.");
                break;
        }
        return missing;
    }

    /// <summary>Verbal -> Ordered: every required checklist item is answered, the technical review approved when required, and a PO reference is given.</summary>
    public void MarkOrdered(string purchaseOrderReference, string byUserId, DateTimeOffset now)
    {
        EnsureCan(DealStage.Ordered, WhyCannotAdvance(DealStage.Ordered, purchaseOrderReference));
        PurchaseOrderReference = Guard.Required(purchaseOrderReference, "Purchase-order reference", FieldLengths.Reference);
        foreach (var t in _touchpoints.Where(t => t.Kind == TouchpointKind.ChasePurchaseOrder))
            t.Cancel();
        MoveTo(DealStage.Ordered, byUserId, now);
    }

    /// <summary>Ordered -> Delivered: every promise of ours is kept, kept late or waived; outcomes accepted.</summary>
    public void MarkDelivered(string byUserId, DateTimeOffset now, DateOnly today)
    {
        EnsureCan(DealStage.Delivered, WhyCannotAdvance(DealStage.Delivered));
        _touchpoints.Add(new Touchpoint(Id, TouchpointKind.ConfirmSatisfaction, today.AddDays(2), null));
        _touchpoints.Add(new Touchpoint(Id, TouchpointKind.ConfirmPaymentCleared, today.AddDays(30), null));
        MoveTo(DealStage.Delivered, byUserId, now);
    }

    /// <summary>Delivered -> Paid: the payment date and reference are recorded.</summary>
    public void MarkPaid(DateOnly paymentDate, string paymentReference, string byUserId, DateTimeOffset now, DateOnly today)
    {
        EnsureCan(DealStage.Paid, WhyCannotAdvance(DealStage.Paid, paymentDate: paymentDate, paymentReference: paymentReference));
        if (paymentDate > today)
            throw new DomainException("The payment date cannot be in the future: record it when the payment clears.");
        PaymentReference = Guard.Required(paymentReference, "Payment reference", FieldLengths.Reference);
        PaymentDate = paymentDate;
        // The payment has cleared: there is nothing left to confirm.
        foreach (var t in _touchpoints.Where(t => t.Kind == TouchpointKind.ConfirmPaymentCleared))
            t.Cancel();
        MoveTo(DealStage.Paid, byUserId, now);
    }

    /// <summary>Any stage before Paid -> Lost, with a reason.</summary>
    public void MarkLost(LostReason reason, string? note, string byUserId, DateTimeOffset now)
    {
        EnsureCan(DealStage.Lost, WhyCannotAdvance(DealStage.Lost));
        Guard.Defined(reason, "Lost reason");
        var trimmed = Guard.Optional(note, "Note", FieldLengths.Text);
        if (reason == Deals.LostReason.Other && trimmed is null)
            throw new DomainException("Say why the deal was lost when the reason is Other.");
        LostReason = reason;
        LostNote = trimmed;
        foreach (var t in _touchpoints)
            t.Cancel();
        // A lost deal releases its open promises: nothing is delivered, nothing is late, nobody is alerted.
        foreach (var c in _commitments.Where(c => !c.IsClosed))
            c.Waive($"The deal was lost ({reason}){(trimmed is null ? "" : $": {trimmed}")}", byUserId, now);
        MoveTo(DealStage.Lost, byUserId, now);
    }

    // ---------- post-sale plan ----------

    public void CompleteTouchpoint(Guid touchpointId, Guid communicationEntryId, string byUserId, DateTimeOffset now)
    {
        var touchpoint = _touchpoints.FirstOrDefault(t => t.Id == touchpointId)
            ?? throw new DomainException("That touchpoint is not on this deal.");
        touchpoint.Complete(communicationEntryId, byUserId, now);
    }

    private static DateOnly CheckInDate(DateOnly promisedDate, DateOnly today)
    {
        var checkIn = promisedDate.AddDays(-3);
        return checkIn < today ? today : checkIn;
    }

    private void MoveTo(DealStage stage, string byUserId, DateTimeOffset now)
    {
        _stageHistory.Add(new DealStageChange(Id, Stage, stage, byUserId, now));
        _domainEvents.Add(new DealStageChanged(Id, AccountId, Stage, stage, now));
        Stage = stage;
        StageEnteredAt = now;
    }

    private static void EnsureCan(DealStage target, IReadOnlyList<string> missing)
    {
        if (missing.Count > 0)
            throw new DomainException($"The deal cannot move to {target.ToString().ToLowerInvariant()}: {string.Join(" ", missing)}");
    }

    private string? WhySettled() => IsClosed ? $"This deal is {Stage.ToString().ToLowerInvariant()} and can no longer be changed." : null;

    private void EnsureOpen()
    {
        if (WhySettled() is { } why)
            throw new DomainException(why);
    }
}

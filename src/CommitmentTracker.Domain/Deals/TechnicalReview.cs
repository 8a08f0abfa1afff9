namespace CommitmentTracker.Domain.Deals;

/// <summary>Where a technical review stands.</summary>
public enum TechnicalReviewOutcome { Pending, Approved, ConcernsRaised }

/// <summary>
/// Service staff's review of what sales wants to promise, asked for while the deal is still verbal. Its result
/// shows on the checklist's technical-review item; an approval answers that item.
/// </summary>
public sealed class TechnicalReview
{
    private TechnicalReview() { }

    internal TechnicalReview(Guid dealId, string request, string requestedBy, DateTimeOffset at)
    {
        Id = Guid.NewGuid();
        DealId = dealId;
        Request = request;
        RequestedBy = requestedBy;
        RequestedAt = at;
        Outcome = TechnicalReviewOutcome.Pending;
    }

    public Guid Id { get; private set; }
    public Guid DealId { get; private set; }

    /// <summary>What the rep wants reviewed: the solution and the dates they intend to promise.</summary>
    public string Request { get; private set; } = "";

    public string RequestedBy { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    public TechnicalReviewOutcome Outcome { get; private set; }
    public string? ReviewerId { get; private set; }
    public string? Comment { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }

    public bool IsPending => Outcome == TechnicalReviewOutcome.Pending;

    internal void Decide(bool approved, string? comment, string reviewerId, DateTimeOffset now)
    {
        if (!IsPending)
            throw new DomainException("This review has already been answered.");
        var text = Guard.Optional(comment, "Comment", FieldLengths.Text);
        if (!approved && text is null)
            throw new DomainException("Describe the concerns, so the rep can address them before promising.");
        Outcome = approved ? TechnicalReviewOutcome.Approved : TechnicalReviewOutcome.ConcernsRaised;
        Comment = text;
        ReviewerId = reviewerId;
        DecidedAt = now;
    }
}

namespace CommitmentTracker.Domain.Risk;

/// <summary>
/// A promise of ours rose into AtRisk or Late: the owner and the team's managers must hear of it at once, and a
/// recovery plan opens. Raised by <see cref="Commitments.Commitment.ApplyRisk"/>, once per rise.
/// </summary>
public sealed record PromiseRose(
    Guid CommitmentId, Guid DealId, string OwnerId, string Description, RiskLevel From, RiskLevel To,
    IReadOnlyList<RiskReason> Reasons, DateTimeOffset OccurredAt) : IDomainEvent
{
    /// <summary>The reasons as one paragraph, each a sentence.</summary>
    public string ReasonsText => string.Join(" ", Reasons.Select(r => r.Sentence.TrimEnd('.') + "."));
}

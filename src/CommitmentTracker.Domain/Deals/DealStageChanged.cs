namespace CommitmentTracker.Domain.Deals;

/// <summary>A deal moved from one stage to the next (or to Lost). Raised by <see cref="Deal"/> at every move.</summary>
public sealed record DealStageChanged(Guid DealId, Guid AccountId, DealStage From, DealStage To, DateTimeOffset OccurredAt) : IDomainEvent;

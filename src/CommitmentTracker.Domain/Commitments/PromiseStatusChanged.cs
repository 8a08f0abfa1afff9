namespace CommitmentTracker.Domain.Commitments;

/// <summary>
/// A promise was kept (on time or late) or broke: the moment its status settled into <see cref="CommitmentStatus.Kept"/>,
/// <see cref="CommitmentStatus.KeptLate"/> or <see cref="CommitmentStatus.Broken"/>. Raised by <see cref="Commitment"/>
/// once per change; a promise reopened and kept again raises it again.
/// </summary>
public sealed record PromiseStatusChanged(
    Guid CommitmentId, Guid DealId, CommitmentStatus From, CommitmentStatus To, DateTimeOffset OccurredAt) : IDomainEvent
{
    /// <summary>True for Kept and KeptLate, false for Broken.</summary>
    public bool IsKept => To is CommitmentStatus.Kept or CommitmentStatus.KeptLate;
}

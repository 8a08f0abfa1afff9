using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Recovery;

/// <summary>A recovery plan was opened for a promise (by itself at detection, or by hand).</summary>
public sealed record RecoveryPlanOpened(Guid PlanId, Guid CommitmentId, Guid DealId, RiskLevel Level, DateTimeOffset OccurredAt) : IDomainEvent;

/// <summary>A recovery plan was closed with its root cause and the department it lay in.</summary>
public sealed record RecoveryPlanClosed(Guid PlanId, Guid CommitmentId, Guid DealId, RootCause RootCause, Department Department, DateTimeOffset OccurredAt) : IDomainEvent;

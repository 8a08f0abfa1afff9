using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>A deal in a list.</summary>
public sealed record DealSummary(
    Guid Id, string Title, string AccountName, string OwnerName, DealStage Stage, decimal Value, string Currency,
    DateOnly? NextPromisedDate, DateTimeOffset StageEnteredAt, int OpenPromises, int BrokenPromises, RiskLevel WorstRisk);

/// <summary>A deal with its promises. Its ETag is the version of the deal's own fields.</summary>
public sealed record DealResource(
    Guid Id, Guid AccountId, string AccountName, string Title, string OwnerId, string OwnerName, decimal Value, string Currency,
    string ExpectedOutcome, DateOnly CloseDate, DealStage Stage, DateTimeOffset StageEnteredAt, string? PurchaseOrderReference,
    string? PaymentReference, DateOnly? PaymentDate, LostReason? LostReason, string? LostNote, DateTimeOffset CreatedAt,
    IReadOnlyList<string> WhatOrderingNeeds, IReadOnlyList<PromiseResource> Promises);

/// <summary>A promise (commitment), ours or the customer's. Its ETag is the promise's version.</summary>
public sealed record PromiseResource(
    Guid Id, Guid DealId, CommitmentDirection Direction, CommitmentKind Kind, string Description, string OwnerId, Department Department,
    DateOnly PromisedDate, DateOnly OriginalPromisedDate, DateOnly? NeedDate, int? BufferDays, CommitmentStatus Status, DateOnly? CompletedOn,
    bool IsLateAddition, bool IsAggressive, AggressiveApproval AggressiveApproval, DateOnly? Forecast, RiskLevel RiskLevel,
    DateTimeOffset? RiskSince, DateTimeOffset CreatedAt, IReadOnlyList<MilestoneResource> Milestones)
{
    public static PromiseResource Of(Commitment c) => new(
        c.Id, c.DealId, c.Direction, c.Kind, c.Description, c.OwnerId, c.Department, c.PromisedDate, c.OriginalPromisedDate, c.NeedDate,
        c.BufferDays, c.Status, c.CompletedOn, c.IsLateAddition, c.IsAggressive, c.AggressiveApproval, c.Forecast, c.RiskLevel, c.RiskSince,
        c.CreatedAt, c.Milestones.OrderBy(m => m.Position).Select(MilestoneResource.Of).ToList());
}

/// <summary>A promise in a list.</summary>
public sealed record PromiseSummary(
    Guid Id, Guid DealId, string DealTitle, CommitmentDirection Direction, CommitmentKind Kind, string Description, string OwnerId,
    Department Department, DateOnly PromisedDate, DateOnly? NeedDate, CommitmentStatus Status, RiskLevel RiskLevel, DateTimeOffset CreatedAt);

/// <summary>A step of a promise's delivery plan. Its ETag is the milestone's version.</summary>
public sealed record MilestoneResource(
    Guid Id, Guid CommitmentId, int Position, string Title, string? AssigneeId, Department Department, DateOnly PlannedDate,
    DateOnly? ForecastDate, DateOnly? CompletedOn, MilestoneStatus Status, string? StatusReason, bool IsCustomerAcceptance,
    DateTimeOffset? LastUpdatedAt)
{
    public static MilestoneResource Of(Milestone m) => new(
        m.Id, m.CommitmentId, m.Position, m.Title, m.AssigneeId, m.Department, m.PlannedDate, m.ForecastDate, m.CompletedOn, m.Status,
        m.StatusReason, m.IsCustomerAcceptance, m.LastUpdatedAt);
}

/// <summary>One recorded change of a milestone's status or forecast (append-only).</summary>
public sealed record MilestoneUpdateResource(
    Guid Id, Guid MilestoneId, string ByUserId, DateTimeOffset At, MilestoneStatus OldStatus, MilestoneStatus NewStatus,
    DateOnly? OldForecast, DateOnly? NewForecast, string? Note);

/// <summary>A promise's stored risk assessment.</summary>
public sealed record RiskResource(Guid PromiseId, RiskLevel Level, IReadOnlyList<RiskReason> Reasons, DateTimeOffset? Since, DateTimeOffset? EvaluatedAt);

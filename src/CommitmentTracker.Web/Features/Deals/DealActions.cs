using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Security;

namespace CommitmentTracker.Web.Features.Deals;

// What the deal page offers the user. Every flag is answered by the rules the service doing the action refuses with:
// who may change the deal (DealAccess.EditableBy, behind FindEditableDealAsync), who may plan or update milestones
// (MilestoneAccess), and the domain's own "why not" for the state of the deal or promise. The page only reads them.

/// <summary>What the user may do with the deal itself.</summary>
public sealed record DealActions(
    bool EditDetails, bool MarkLost, bool Advance, bool AddPromises, bool WorkChecklist,
    bool LogCommunications, bool CompleteTouchpoints, bool RequestTechnicalReview)
{
    public static readonly DealActions None = new(false, false, false, false, false, false, false, false);

    /// <param name="mayChangeDeal">Whether the deal is in <see cref="DealAccess.EditableBy"/> for the user.</param>
    public static DealActions For(Deal deal, bool mayChangeDeal) => !mayChangeDeal ? None : new(
        EditDetails: !deal.IsClosed,
        MarkLost: deal.WhyCannotAdvance(DealStage.Lost).Count == 0,
        // Offered while there is a next stage; the page lists what its gate still misses.
        Advance: deal.NextStage is not null,
        AddPromises: !deal.IsClosed,
        // Answering items, sharing risks and recording the customer's acknowledgement.
        WorkChecklist: !deal.IsClosed,
        // The log stays open after the deal closes: what was said is still worth writing down.
        LogCommunications: true,
        // A paid deal may still have its satisfaction call open; each touchpoint says whether it is.
        CompleteTouchpoints: true,
        RequestTechnicalReview: deal.WhyCannotRequestTechnicalReview() is null);
}

/// <summary>What the user may do with one promise on the deal.</summary>
public sealed record PromiseActions(bool Renegotiate, bool Waive, bool OpenRecovery, bool PlanMilestones)
{
    public static readonly PromiseActions None = new(false, false, false, false);

    /// <summary>Whether any change of the promise itself is offered (its row's action buttons).</summary>
    public bool ChangesPromise => Renegotiate || Waive || OpenRecovery;

    /// <param name="mayChangeDeal">Whether the deal is in <see cref="DealAccess.EditableBy"/> for the user.</param>
    /// <param name="hasOpenRecoveryPlan">Whether a recovery plan is open for the promise: the page links to it instead.</param>
    public static PromiseActions For(Actor actor, Deal deal, Commitment promise, bool mayChangeDeal, bool hasOpenRecoveryPlan) => new(
        Renegotiate: mayChangeDeal && deal.WhyCannotRenegotiate(promise) is null,
        Waive: mayChangeDeal && deal.WhyCannotWaive(promise) is null,
        OpenRecovery: mayChangeDeal && !hasOpenRecoveryPlan && RecoveryService.WhyCannotOpen(deal, promise) is null,
        PlanMilestones: MilestoneAccess.MayPlan(actor, mayChangeDeal) && MilestonePlanService.WhyPlanIsFixed(promise) is null);
}

/// <summary>What the user may do with one milestone of a promise.</summary>
public sealed record MilestoneActions(bool Update)
{
    public static readonly MilestoneActions None = new(false);

    public static MilestoneActions For(Actor actor, Commitment promise, Milestone milestone) =>
        new(MilestoneAccess.MayUpdate(actor, milestone, promise) && promise.TakesMilestoneUpdates);
}

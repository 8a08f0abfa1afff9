using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Web.Security;

/// <summary>
/// Who may plan and who may update milestones (DESIGN.md, Access). The services refuse with these rules and the pages
/// offer what they allow, so an action shown is an action accepted.
/// </summary>
public static class MilestoneAccess
{
    /// <summary>Service staff keep milestones current; no other role updates any.</summary>
    public static bool UpdatesMilestones(Actor actor) => actor.IsService;

    /// <summary>Service staff update milestones assigned to them, or unassigned ones of their department.</summary>
    public static bool MayUpdate(Actor actor, string? assigneeId, Department promiseDepartment) =>
        UpdatesMilestones(actor) && (assigneeId == actor.UserId || (assigneeId is null && promiseDepartment == actor.Department));

    /// <inheritdoc cref="MayUpdate(Actor, string?, Department)"/>
    public static bool MayUpdate(Actor actor, Milestone milestone, Commitment promise) =>
        MayUpdate(actor, milestone.AssigneeId, promise.Department);

    /// <summary>
    /// Service staff plan fulfilment; the deal's rep and their manager (<paramref name="mayChangeDeal"/>, from
    /// <see cref="DealAccess.EditableBy"/>) may plan their own promises too.
    /// </summary>
    public static bool MayPlan(Actor actor, bool mayChangeDeal) => actor.IsService || mayChangeDeal;
}

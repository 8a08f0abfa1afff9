using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;

namespace CommitmentTracker.Domain.CustomerLinks;

/// <summary>
/// What the customer's page may show and how it says it, in plain words: one place to decide, so the page, its tests and a
/// reviewer read the same rules. Nothing internal leaves through here (notes, reasons, risk levels, the rep's self-check).
/// </summary>
public static class CustomerWording
{
    /// <summary>Checklist item 1: the result the customer expects, in their words.</summary>
    public const string OutcomeItemTitle = "Outcome";

    /// <summary>Checklist item 8: the steps from order to shipment.</summary>
    public const string RoadToDeliveryItemTitle = "Road to delivery";

    /// <summary>Checklist item 10: the rep's own conduct, never shown to the customer.</summary>
    public const string SelfCheckItemTitle = "Self-check";

    /// <summary>Whether a checklist item is shown on the customer's page: all but the rep's self-check.</summary>
    public static bool IsShownToCustomer(DealChecklistItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return !string.Equals(item.Title.Trim(), SelfCheckItemTitle, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The expected outcome: checklist item 1's agreed answer, else the deal's own expected outcome.</summary>
    public static string ExpectedOutcome(Deal deal)
    {
        ArgumentNullException.ThrowIfNull(deal);
        var item = deal.Checklist.FirstOrDefault(i => string.Equals(i.Title.Trim(), OutcomeItemTitle, StringComparison.OrdinalIgnoreCase));
        return item?.Answer ?? deal.ExpectedOutcome;
    }

    /// <summary>A promise's status as the customer reads it (no risk level, no reason).</summary>
    public static string PromiseStatus(CommitmentStatus status) => status switch
    {
        CommitmentStatus.Open => "In progress",
        CommitmentStatus.Kept => "Done",
        CommitmentStatus.KeptLate => "Done, later than promised",
        CommitmentStatus.Broken => "Date passed, not done yet",
        CommitmentStatus.Waived => "Cancelled by agreement",
        _ => status.ToString(),
    };

    /// <summary>A milestone's status as the customer reads it; a blocked step is "on hold", without the reason.</summary>
    public static string MilestoneStatus(Commitments.MilestoneStatus status) => status switch
    {
        Commitments.MilestoneStatus.NotStarted => "Not started",
        Commitments.MilestoneStatus.InProgress => "In progress",
        Commitments.MilestoneStatus.Blocked => "On hold",
        Commitments.MilestoneStatus.Done => "Done",
        Commitments.MilestoneStatus.Skipped => "Not needed",
        _ => status.ToString(),
    };

    /// <summary>The deal's stages as steps of the road to delivery, in the customer's words.</summary>
    public static string Stage(DealStage stage) => stage switch
    {
        DealStage.Verbal => "Agreed in principle",
        DealStage.Ordered => "Order received",
        DealStage.Delivered => "Delivered",
        DealStage.Paid => "Paid",
        DealStage.Lost => "Closed",
        _ => stage.ToString(),
    };
}

using CommitmentTracker.Domain.Recovery;

namespace CommitmentTracker.Web.Features.Recovery;

/// <summary>What each step asks of the user, and why: the page reads as a playbook for someone who never saw one.</summary>
public static class RecoveryGuide
{
    public sealed record StepGuide(string Do, string Why);

    public static StepGuide For(RecoveryStepKind step) => step switch
    {
        RecoveryStepKind.MakeRoom => new(
            "Compare the delivery's forecast with the date the customer really needs it, and record the forecast you believe.",
            "If the customer's need date still covers the slip, the buffer absorbs it and the options can be gentle; if not, every day counts."),
        RecoveryStepKind.Options => new(
            "List what could be done instead — another source (even a competitor), a loan or demo unit, a partial delivery, or a reshuffle with another customer's delivery that has slack — then choose one.",
            "The customer hears the problem and a way out in the same conversation. A reshuffle re-plans both promises at once and asks the other rep to tell their customer."),
        RecoveryStepKind.AlertManager => new(
            "The manager was alerted when the problem was detected. Manager: acknowledge it so the team knows you are on it.",
            "Bad news must travel up fast: the manager can free resources and talk to the customer at their level."),
        RecoveryStepKind.TellCustomer => new(
            "Tell the customer now — by phone if you can, email is a written record too — the situation and the options. Log what you said.",
            "Customers forgive a problem they hear about from us; they do not forgive discovering it themselves."),
        RecoveryStepKind.Comfort => new(
            "Offer something meanwhile (a loan unit, extra support, a weekly status call) and record the manager's own contact with the customer.",
            "The customer must feel looked after while they wait. Going over their head to their boss needs their permission first."),
        RecoveryStepKind.Apologise => new(
            "Once the customer accepted a solution, apologise — and record whether they forgave.",
            "An apology before there is a solution sounds hollow; after one, it closes the wound."),
        RecoveryStepKind.Compensate => new(
            "Give something beyond the customer's loss: prefer items worth much to them and cheap for us (training, upgrades, supplies).",
            "Compensation that only covers the loss feels like a settlement. The guideline budget is what winning a new customer costs."),
        _ => new("", ""),
    };

    public const string CloseDo =
        "When the customer is looked after, close the plan with the root cause, the department where it went wrong and the lesson.";

    public const string CloseWhy =
        "The root causes, counted across plans, show which department's process to fix first (the Pareto chart on the dashboard).";
}

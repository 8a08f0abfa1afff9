using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Tests;

/// <summary>Test data with sensible defaults on a fixed clock, so each test states only what it is about.</summary>
internal static class Build
{
    public static readonly DateOnly Today = new(2026, 3, 2);
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public const string Rep = "rep-ana";
    public const string Manager = "manager-bo";
    public const string ServiceUser = "service-cy";
    public const string Admin = "admin-di";

    /// <summary>A day relative to <see cref="Today"/>.</summary>
    public static DateOnly Day(int offset) => Today.AddDays(offset);

    public static ChecklistTemplate Checklist(params ChecklistTemplateItemDraft[] items) =>
        ChecklistTemplate.Create(1, items.Length > 0 ? items : ChecklistTemplate.DefaultItems, Admin, Now);

    public static Deal Deal(ChecklistTemplate? checklist = null, DateOnly? closeDate = null) =>
        Domain.Deals.Deal.Create(
            Guid.NewGuid(), "Packaging line 3", Rep, Money.Of(120_000m, "EUR"), "Pack 40 cases a minute on line 3",
            closeDate ?? Today, checklist ?? Checklist(), Now, Today);

    /// <summary>Every required item answered, the technical review asked for and approved by service staff: ready to order.</summary>
    public static Deal AnswerRequiredItems(Deal deal)
    {
        if (deal.RequiresTechnicalReview)
            deal.DecideTechnicalReview(deal.RequestTechnicalReview("The solution and the dates we intend to promise.", Rep, Now).Id, approved: true, null, ServiceUser, Now);
        foreach (var item in deal.OpenRequiredItems.ToList())
            deal.AnswerChecklistItem(item.Id, $"Agreed: {item.Title}", Rep, Now);
        return deal;
    }

    public static Deal OrderedDeal()
    {
        var deal = AnswerRequiredItems(Deal());
        deal.MarkOrdered("PO-4711", Rep, Now);
        return deal;
    }

    public static Deal DeliveredDeal()
    {
        var deal = OrderedDeal();
        Promise(deal).Complete(Today, Today);
        deal.MarkDelivered(Rep, Now, Today);
        return deal;
    }

    public static Deal PaidDeal()
    {
        var deal = DeliveredDeal();
        deal.MarkPaid(Today, "BANK-2026-03-02", Rep, Now, Today);
        return deal;
    }

    public static Deal DealAt(DealStage stage) => stage switch
    {
        DealStage.Verbal => Deal(),
        DealStage.Ordered => OrderedDeal(),
        DealStage.Delivered => DeliveredDeal(),
        DealStage.Paid => PaidDeal(),
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    /// <summary>A promise of ours, comfortably outside every default lead time, with ten days of buffer.</summary>
    public static CommitmentDraft Ours(
        CommitmentKind kind = CommitmentKind.Delivery, DateOnly? promised = null, DateOnly? need = null,
        string description = "Ship the robot cell", string? aggressiveReason = null) =>
        new(CommitmentDirection.Ours, kind, description, ServiceUser, Department.Fulfilment,
            promised ?? Day(70), need ?? (promised ?? Day(70)).AddDays(10), aggressiveReason);

    /// <summary>An obligation of the customer's.</summary>
    public static CommitmentDraft Theirs(DateOnly? promised = null, string description = "Provide floor plans and site access") =>
        new(CommitmentDirection.Theirs, CommitmentKind.Other, description, Rep, Department.Customer, promised ?? Day(10), null);

    public static Commitment Promise(Deal? deal = null, CommitmentDraft? draft = null, LeadTimes? leadTimes = null) =>
        (deal ?? Deal()).AddCommitment(draft ?? Ours(), leadTimes ?? LeadTimes.Defaults, Rep, Now, Today);

    public static MilestoneChange Done(DateOnly on) => new(MilestoneStatus.Done, null, on);

    public static MilestoneChange Accepted(DateOnly on) =>
        new(MilestoneStatus.Done, null, on, Acceptance: new CustomerAcceptance("Eva Buyer", on, CommunicationChannel.Meeting));

    public static MilestoneChange Skipped(string reason = "Customer installs it themselves") => new(MilestoneStatus.Skipped, null, Reason: reason);

    public static void Update(Commitment commitment, Milestone milestone, MilestoneChange change, DateOnly? today = null) =>
        commitment.UpdateMilestone(milestone.Id, change, ServiceUser, Now, today ?? Today);

    /// <summary>A moment on the given day, in UTC: the clock a test moves.</summary>
    public static DateTimeOffset At(DateOnly day, int hour = 10, int minute = 0) =>
        new(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.Zero);

    /// <summary>Records a milestone update made on the given day, so its time is what staleness and risk since-dates read.</summary>
    public static void UpdateOn(Commitment commitment, Milestone milestone, MilestoneChange change, DateOnly day) =>
        commitment.UpdateMilestone(milestone.Id, change, ServiceUser, At(day), day);

    public static MilestoneChange InProgress(DateOnly? forecast = null) => new(MilestoneStatus.InProgress, forecast);

    public static MilestoneChange Blocked(string reason, DateOnly? forecast = null) => new(MilestoneStatus.Blocked, forecast, Reason: reason);

    /// <summary>A recovery plan for an at-risk promise detected at <see cref="Now"/>, opened at once with the default settings.</summary>
    public static RecoveryPlan RecoveryPlan(RecoverySettings? settings = null, RiskLevel level = RiskLevel.AtRisk, DateTimeOffset? detectedAt = null, DateTimeOffset? openedAt = null) =>
        Domain.Recovery.RecoveryPlan.Open(
            Guid.NewGuid(), Guid.NewGuid(), detectedAt ?? Now, level, settings ?? RecoverySettings.Default(Rep, Manager), openedAt ?? detectedAt ?? Now);

    /// <summary>A plan whose chosen option was presented to and accepted by the customer.</summary>
    public static RecoveryPlan RecoveryPlanWithAcceptedSolution()
    {
        var plan = RecoveryPlan();
        var option = plan.AddOption(RecoveryOptionKind.LoanOrDemoUnit, "Lend the demo cell until ours ships", Now);
        plan.ChooseOption(option.Id, Now);
        plan.PresentSolution(accepted: true, Now);
        return plan;
    }
}

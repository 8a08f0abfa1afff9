using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using static CommitmentTracker.Domain.Tests.Build;

namespace CommitmentTracker.Domain.Tests;

public sealed class MilestoneTemplateTests
{
    [Fact]
    public void A_plan_from_the_template_dates_each_step_as_an_offset_from_the_promised_date()
    {
        var promise = Promise(draft: Ours(CommitmentKind.Delivery, promised: Day(60)));
        var template = new MilestoneTemplate(CommitmentKind.Delivery, [new("Order parts", -20), new("Ship", -3), new("Customer acceptance", 0, true)]);

        var planned = promise.PlanFromTemplate(template, "service-1", Today);

        Assert.Equal([Day(40), Day(57), Day(60)], planned.Select(m => m.PlannedDate));
        Assert.Equal(["Order parts", "Ship", "Customer acceptance"], promise.Milestones.Select(m => m.Title));
        Assert.True(promise.Milestones[^1].IsCustomerAcceptance);
        Assert.All(promise.Milestones, m => Assert.Equal("service-1", m.AssigneeId));
    }

    [Fact]
    public void A_step_whose_offset_falls_before_today_is_planned_for_today()
    {
        var promise = Promise(draft: Ours(CommitmentKind.Delivery, promised: Day(5)));
        var template = new MilestoneTemplate(CommitmentKind.Delivery, [new("Order parts", -20), new("Ship", -1)]);

        promise.PlanFromTemplate(template, null, Today);

        Assert.Equal([Today, Day(4)], promise.Milestones.Select(m => m.PlannedDate));
    }

    [Fact]
    public void A_promise_that_already_has_a_plan_is_not_planned_again()
    {
        var promise = Promise(draft: Ours(CommitmentKind.Delivery, promised: Day(60)));
        var template = new MilestoneTemplate(CommitmentKind.Delivery, [new("Ship", -3)]);
        promise.PlanFromTemplate(template, null, Today);

        var ex = Assert.Throws<DomainException>(() => promise.PlanFromTemplate(template, null, Today));

        Assert.Contains("already has a milestone plan", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_template_of_another_kind_is_refused()
    {
        var promise = Promise(draft: Ours(CommitmentKind.Training, promised: Day(60)));

        Assert.Throws<DomainException>(() => promise.PlanFromTemplate(new MilestoneTemplate(CommitmentKind.Delivery, [new("Ship", -3)]), null, Today));
    }

    [Fact]
    public void An_outcome_plan_must_end_with_customer_acceptance()
    {
        var ex = Assert.Throws<DomainException>(() => new MilestoneTemplate(CommitmentKind.Outcome, [new("Measure", -3)]));

        Assert.Contains("customer's acceptance", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Customer_acceptance_can_only_be_the_last_step()
    {
        Assert.Throws<DomainException>(() => new MilestoneTemplate(CommitmentKind.Delivery, [new("Customer acceptance", -5, true), new("Ship", 0)]));
    }

    [Fact]
    public void Steps_out_of_date_order_duplicates_and_empty_plans_are_refused()
    {
        Assert.Throws<DomainException>(() => new MilestoneTemplate(CommitmentKind.Delivery, [new("Ship", -3), new("Order", -20)]));
        Assert.Throws<DomainException>(() => new MilestoneTemplate(CommitmentKind.Delivery, [new("Ship", -3), new("ship", -1)]));
        Assert.Throws<DomainException>(() => new MilestoneTemplate(CommitmentKind.Delivery, []));
    }

    [Fact]
    public void Every_default_plan_is_valid_for_its_kind()
    {
        Assert.Equal(Enum.GetValues<CommitmentKind>().Order(), MilestoneTemplate.Defaults.Select(t => t.Kind).Order());
        Assert.All(MilestoneTemplate.Defaults, t => Assert.NotEmpty(new MilestoneTemplate(t.Kind, t.Steps).Steps));
    }
}

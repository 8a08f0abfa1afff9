using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Recovery;

namespace CommitmentTracker.Domain.Tests;

/// <summary>
/// The figures of "what the recovery plans teach": the root-cause Pareto and department split of the plans closed in the
/// window, compensation against budget and durations of the plans worked in it, and the open plans.
/// The window starts 365 days before <see cref="Build.Now"/>.
/// </summary>
public sealed class RecoveryMetricsTests
{
    private static readonly DateTimeOffset WindowStart = Build.Now.AddDays(-365);

    [Theory]
    [InlineData(CommitmentStatus.Broken, RecoveryOutcome.Broken)]
    [InlineData(CommitmentStatus.KeptLate, RecoveryOutcome.Broken)]
    [InlineData(CommitmentStatus.Kept, RecoveryOutcome.Recovered)]
    [InlineData(CommitmentStatus.Open, RecoveryOutcome.Recovered)]
    [InlineData(CommitmentStatus.Waived, RecoveryOutcome.Recovered)]
    public void A_promise_broken_or_kept_late_counts_as_broken_anything_else_as_recovered(CommitmentStatus status, RecoveryOutcome outcome) =>
        Assert.Equal(outcome, RecoveryMetrics.OutcomeOf(status));

    [Fact]
    public void The_pareto_puts_the_most_frequent_cause_first_with_its_split_and_the_cumulative_share()
    {
        var plans = new[]
        {
            Closed(RootCause.PoorCommunication, Department.Sales, CommitmentStatus.Kept),
            Closed(RootCause.PoorCommunication, Department.Sales, CommitmentStatus.Broken),
            Closed(RootCause.PoorCommunication, Department.Service, CommitmentStatus.KeptLate),
            Closed(RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, CommitmentStatus.Kept),
            Closed(RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, CommitmentStatus.Waived),
            Closed(RootCause.Other, Department.Finance, CommitmentStatus.Broken),
            Closed(RootCause.BadTechnicalInformation, Department.Product, CommitmentStatus.Open),
            Closed(RootCause.CustomerSideDelay, Department.Customer, CommitmentStatus.Kept),
        };

        var figures = RecoveryMetrics.Of(plans, WindowStart);

        Assert.Equal(8, figures.ClosedPlans);
        // 3, 2, then three causes of 1 each in the order of the causes: technical information, customer-side delay, other.
        Assert.Equal(
            new[]
            {
                new RootCauseBar(RootCause.PoorCommunication, 1, 2, 0.375m, 0.375m),
                new RootCauseBar(RootCause.UnexpectedDeliveryProblem, 2, 0, 0.25m, 0.625m),
                new RootCauseBar(RootCause.BadTechnicalInformation, 1, 0, 0.125m, 0.75m),
                new RootCauseBar(RootCause.CustomerSideDelay, 1, 0, 0.125m, 0.875m),
                new RootCauseBar(RootCause.Other, 0, 1, 0.125m, 1m),
            },
            figures.ByRootCause);
    }

    [Fact]
    public void Shares_are_rounded_to_four_places_and_the_last_cumulative_share_is_whole()
    {
        var figures = RecoveryMetrics.Of(
        [
            Closed(RootCause.Dishonesty, Department.Sales, CommitmentStatus.Kept),
            Closed(RootCause.UnrealisticExpectations, Department.Sales, CommitmentStatus.Kept),
            Closed(RootCause.Other, Department.Sales, CommitmentStatus.Kept),
        ], WindowStart);

        Assert.Equal([0.3333m, 0.6667m, 1m], figures.ByRootCause.Select(b => b.CumulativeShare));
        Assert.Equal(new[] { RootCause.UnrealisticExpectations, RootCause.Dishonesty, RootCause.Other }, figures.ByRootCause.Select(b => b.RootCause));
    }

    [Fact]
    public void The_department_split_counts_the_closed_plans_by_where_the_cause_lay_most_first()
    {
        var figures = RecoveryMetrics.Of(
        [
            Closed(RootCause.PoorCommunication, Department.Sales, CommitmentStatus.Kept),
            Closed(RootCause.UnrealisticExpectations, Department.Sales, CommitmentStatus.Broken),
            Closed(RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, CommitmentStatus.KeptLate),
            Closed(RootCause.BadTechnicalInformation, Department.Service, CommitmentStatus.Kept),
            Open(),
        ], WindowStart);

        Assert.Equal(
            new[] { new DepartmentBar(Department.Sales, 1, 1), new DepartmentBar(Department.Service, 1, 0), new DepartmentBar(Department.Fulfilment, 0, 1) },
            figures.ByDepartment);
    }

    [Fact]
    public void Plans_closed_before_the_window_do_not_count_and_open_plans_count_only_as_open()
    {
        var figures = RecoveryMetrics.Of(
        [
            Closed(RootCause.PoorCommunication, Department.Sales, CommitmentStatus.Broken, resolvedAt: WindowStart.AddTicks(-1)),
            Closed(RootCause.Other, Department.Sales, CommitmentStatus.Kept, resolvedAt: WindowStart),
            Open(overdue: true),
            Open(),
            Open(overdue: true),
        ], WindowStart);

        Assert.Equal(1, figures.ClosedPlans);
        Assert.Equal(RootCause.Other, Assert.Single(figures.ByRootCause).RootCause);
        Assert.Equal((3, 2), (figures.OpenPlans, figures.OpenPlansWithOverdueStep));
    }

    [Fact]
    public void Compensation_adds_cost_to_us_budget_and_face_value_per_currency_and_counts_the_approvals_above_budget()
    {
        var figures = RecoveryMetrics.Of(
        [
            // Within budget.
            Closed(RootCause.Other, Department.Sales, CommitmentStatus.Kept, compensation: new("Training day", 1_000m, 300m, 800m, 500m)),
            // Above budget, approved, on a plan still open.
            Open(compensation: new("Upgrade", 2_500m, 900m, 2_000m, 500m), approved: true),
            // Above budget, waiting for the manager.
            Open(compensation: new("Spare parts", 1_200m, 700m, 1_000m, 500m)),
            // Another currency is never added to euros.
            Open(compensation: new("Supplies", 400m, 100m, 300m, 250m), currency: "USD"),
            // No compensation; and one closed before the window.
            Open(),
            Closed(RootCause.Other, Department.Sales, CommitmentStatus.Kept, resolvedAt: WindowStart.AddDays(-1), compensation: new("Old", 9_999m, 9_999m, 1m, 1m)),
        ], WindowStart);

        Assert.Equal(
            new[]
            {
                new CompensationSpend("EUR", 3, 1_200m, 1_500m, 4_700m, 2, 1, 1, AwaitingApprovalCost: 700m), // the waiting 700 is not spent yet
                new CompensationSpend("USD", 1, 100m, 250m, 400m, 0, 0, 0),
            },
            figures.Compensation);
        Assert.Equal((0.8m, 0.4m), (figures.Compensation[0].SpentShare!.Value, figures.Compensation[1].SpentShare!.Value));
    }

    [Fact]
    public void Durations_average_and_median_over_the_plans_that_have_each_time()
    {
        var detected = Build.Now.AddDays(-30);
        var figures = RecoveryMetrics.Of(
        [
            // Alerted after 0, 1, 2 and 5 h; told after 3 and 6 h (one plan was never told); resolved after 2 and 4 days.
            Closed(RootCause.Other, Department.Sales, CommitmentStatus.Kept, detectedAt: detected, alertedAt: detected,
                toldAt: detected.AddHours(3), resolvedAt: detected.AddDays(2)),
            Closed(RootCause.Other, Department.Sales, CommitmentStatus.Kept, detectedAt: detected, alertedAt: detected.AddHours(1),
                resolvedAt: detected.AddDays(4)),
            Open(detectedAt: detected, alertedAt: detected.AddHours(2), toldAt: detected.AddHours(6)),
            Open(detectedAt: detected, alertedAt: detected.AddHours(5)),
        ], WindowStart);

        Assert.Equal(new DurationFigure(4, TimeSpan.FromHours(2), TimeSpan.FromHours(1.5)), figures.DetectionToManagerAlerted);
        Assert.Equal(new DurationFigure(2, TimeSpan.FromHours(4.5), TimeSpan.FromHours(4.5)), figures.DetectionToCustomerTold);
        Assert.Equal(new DurationFigure(2, TimeSpan.FromDays(3), TimeSpan.FromDays(3)), figures.DetectionToResolved);
    }

    [Fact]
    public void A_detection_time_a_few_minutes_after_the_alert_counts_as_no_time_not_less()
    {
        var figures = RecoveryMetrics.Of([Open(detectedAt: Build.Now.AddMinutes(3), alertedAt: Build.Now)], WindowStart);

        Assert.Equal(TimeSpan.Zero, figures.DetectionToManagerAlerted.Average);
    }

    [Fact]
    public void The_median_of_an_odd_count_is_the_middle_one_whatever_the_order()
    {
        var figure = DurationFigure.Of([TimeSpan.FromHours(10), TimeSpan.FromHours(1), TimeSpan.FromHours(4)]);

        Assert.Equal(new DurationFigure(3, TimeSpan.FromHours(5), TimeSpan.FromHours(4)), figure);
    }

    [Fact]
    public void Without_plans_there_are_no_figures()
    {
        var figures = RecoveryMetrics.Of([], WindowStart);

        Assert.Equal((0, 0, 0), (figures.ClosedPlans, figures.OpenPlans, figures.OpenPlansWithOverdueStep));
        Assert.Empty(figures.ByRootCause);
        Assert.Empty(figures.ByDepartment);
        Assert.Empty(figures.Compensation);
        Assert.Equal(DurationFigure.None, figures.DetectionToCustomerTold);
        Assert.Null(figures.DetectionToResolved.Median);
    }

    [Fact]
    public void The_facts_of_a_plan_carry_its_times_cause_compensation_approval_and_overdue_steps()
    {
        var plan = Build.RecoveryPlanWithAcceptedSolution();
        plan.TellCustomer(Guid.NewGuid(), Build.Now.AddHours(2));
        plan.Compensate("Upgrade", 2_000m, 900m, 1_500m, 500m, Build.Now.AddHours(3));
        plan.ApproveCompensation(Build.Manager, Build.Now.AddHours(4));

        // Make room was due 4 h after detection and is not done: overdue 5 h after.
        var open = RecoveryPlanFacts.Of(plan, CommitmentStatus.Open, "EUR", Build.Now.AddHours(5));
        Assert.True(open.HasOverdueStep);
        Assert.False(RecoveryPlanFacts.Of(plan, CommitmentStatus.Open, "EUR", Build.Now.AddHours(3)).HasOverdueStep);
        Assert.Equal((Build.Now.AddHours(2), true, new Compensation("Upgrade", 2_000m, 900m, 1_500m, 500m)), (open.CustomerToldAt, open.CompensationApproved, open.Compensation));

        plan.Close(RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, "Order long-lead parts at verbal.", Build.Now.AddDays(1));
        var closed = RecoveryPlanFacts.Of(plan, CommitmentStatus.KeptLate, "EUR", Build.Now.AddDays(2));
        Assert.False(closed.HasOverdueStep);
        Assert.Equal((RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, Build.Now.AddDays(1), RecoveryOutcome.Broken),
            (closed.RootCause!.Value, closed.RootCauseDepartment!.Value, closed.ResolvedAt!.Value, closed.Outcome));
    }

    private static RecoveryPlanFacts Closed(
        RootCause cause, Department department, CommitmentStatus status, DateTimeOffset? resolvedAt = null, Compensation? compensation = null,
        DateTimeOffset? detectedAt = null, DateTimeOffset? alertedAt = null, DateTimeOffset? toldAt = null) => new()
        {
            PlanId = Guid.NewGuid(),
            PromiseStatus = status,
            Currency = "EUR",
            DetectedAt = detectedAt ?? Build.Now.AddDays(-10),
            ManagerAlertedAt = alertedAt ?? detectedAt ?? Build.Now.AddDays(-10),
            CustomerToldAt = toldAt,
            ResolvedAt = resolvedAt ?? Build.Now.AddDays(-1),
            RootCause = cause,
            RootCauseDepartment = department,
            Compensation = compensation,
        };

    private static RecoveryPlanFacts Open(
        bool overdue = false, Compensation? compensation = null, bool approved = false, string currency = "EUR",
        DateTimeOffset? detectedAt = null, DateTimeOffset? alertedAt = null, DateTimeOffset? toldAt = null) => new()
        {
            PlanId = Guid.NewGuid(),
            PromiseStatus = CommitmentStatus.Open,
            Currency = currency,
            DetectedAt = detectedAt ?? Build.Now.AddDays(-2),
            ManagerAlertedAt = alertedAt ?? detectedAt ?? Build.Now.AddDays(-2),
            CustomerToldAt = toldAt,
            Compensation = compensation,
            CompensationApproved = approved,
            HasOverdueStep = overdue,
        };
}

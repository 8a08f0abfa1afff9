using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Tests;

/// <summary>The rules of the seven-step recovery playbook. Problems are detected at <see cref="Build.Now"/>.</summary>
public sealed class RecoveryPlanTests
{
    private static readonly DateTimeOffset Later = Build.Now.AddHours(2);

    // ---------- opening ----------

    [Fact]
    public void Opening_creates_the_seven_steps_in_order_with_owners_and_due_times()
    {
        var plan = Build.RecoveryPlan(RecoverySettings.Default(Build.Rep, Build.Manager, tellCustomerWithinHours: 6));

        Assert.Equal(
            [RecoveryStepKind.MakeRoom, RecoveryStepKind.Options, RecoveryStepKind.AlertManager, RecoveryStepKind.TellCustomer,
             RecoveryStepKind.Comfort, RecoveryStepKind.Apologise, RecoveryStepKind.Compensate],
            plan.Steps.Select(s => s.Kind));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], plan.Steps.Select(s => s.Position));
        Assert.Equal(Build.Now.AddHours(6), plan.Step(RecoveryStepKind.TellCustomer).DueAt);
        Assert.Equal(Build.Now.AddHours(4), plan.Step(RecoveryStepKind.MakeRoom).DueAt);
        Assert.Equal(Build.Manager, plan.Step(RecoveryStepKind.Comfort).OwnerId);
        Assert.Equal(Build.Rep, plan.Step(RecoveryStepKind.TellCustomer).OwnerId);
        Assert.Equal(RecoveryStepKind.MakeRoom, plan.NextStep?.Kind);
        Assert.False(plan.IsClosed);
    }

    [Fact]
    public void The_manager_is_alerted_when_the_plan_opens_and_the_step_is_done_when_they_acknowledge_once()
    {
        var plan = Build.RecoveryPlan(detectedAt: Build.Now, openedAt: Build.Now.AddMinutes(3));

        Assert.Equal(TimeSpan.FromMinutes(3), plan.DetectionToManagerAlerted);
        Assert.Null(plan.ManagerAcknowledgedAt);
        Assert.False(plan.Step(RecoveryStepKind.AlertManager).IsDone);
        Assert.Equal(Build.Now.AddHours(4), plan.Step(RecoveryStepKind.AlertManager).DueAt);

        plan.AcknowledgeByManager(Build.Manager, Later);

        Assert.Equal(Build.Manager, plan.ManagerAcknowledgedBy);
        Assert.Equal(Later, plan.ManagerAcknowledgedAt);
        Assert.Equal(Later, plan.Step(RecoveryStepKind.AlertManager).DoneAt);
        Assert.Throws<DomainException>(() => plan.AcknowledgeByManager(Build.Manager, Later));
    }

    [Theory]
    [InlineData(RiskLevel.OnTrack)]
    [InlineData(RiskLevel.Watch)]
    public void A_plan_opens_only_for_a_promise_at_risk_or_late(RiskLevel level)
    {
        var error = Assert.Throws<DomainException>(() => Build.RecoveryPlan(level: level));

        Assert.Equal("A recovery plan opens by itself only for a promise that is at risk or late.", error.Message);
    }

    [Theory]
    [InlineData(RiskLevel.OnTrack)]
    [InlineData(RiskLevel.Watch)]
    public void Opened_by_hand_a_plan_may_start_before_the_milestones_show_the_risk(RiskLevel level)
    {
        var plan = RecoveryPlan.Open(Guid.NewGuid(), Guid.NewGuid(), Build.Now, level, RecoverySettings.Default(Build.Rep, Build.Manager), Build.Now, openedBy: Build.Rep);

        Assert.Equal(Build.Rep, plan.OpenedBy);
        Assert.Equal(level, plan.Level);
        Assert.Null(Build.RecoveryPlan().OpenedBy);
    }

    [Fact]
    public void Settings_must_name_an_owner_for_every_step()
    {
        var steps = new Dictionary<RecoveryStepKind, RecoveryStepAssignment>(RecoverySettings.Default(Build.Rep, Build.Manager).Steps);
        steps.Remove(RecoveryStepKind.Comfort);

        var error = Assert.Throws<DomainException>(() => Build.RecoveryPlan(new RecoverySettings(24, steps)));

        Assert.Equal("The recovery settings give no owner for the step Comfort.", error.Message);
    }

    // ---------- make room ----------

    [Theory]
    [InlineData(10, 12, true)]
    [InlineData(12, 12, true)]
    [InlineData(13, 12, false)]
    public void Make_room_says_whether_the_buffer_absorbs_the_slip(int forecastDay, int needDay, bool absorbs)
    {
        var plan = Build.RecoveryPlan();

        Assert.Equal(absorbs, plan.RecordMakeRoom(Build.Day(forecastDay), Build.Day(needDay), Later));

        Assert.Equal(absorbs, plan.BufferAbsorbsSlip);
        Assert.Equal(Later, plan.Step(RecoveryStepKind.MakeRoom).DoneAt);
    }

    [Fact]
    public void Without_a_need_date_the_buffer_cannot_be_counted_on()
    {
        var plan = Build.RecoveryPlan();

        Assert.False(plan.RecordMakeRoom(Build.Day(10), null, Later));
    }

    // ---------- options ----------

    [Fact]
    public void Exactly_one_option_is_chosen()
    {
        var plan = Build.RecoveryPlan();
        var loan = plan.AddOption(RecoveryOptionKind.LoanOrDemoUnit, "Lend the demo cell", Later);
        var partial = plan.AddOption(RecoveryOptionKind.PartialDelivery, "Ship the conveyor first", Later);

        plan.ChooseOption(loan.Id, Later);
        plan.ChooseOption(partial.Id, Later);

        Assert.Same(partial, plan.ChosenOption);
        Assert.Single(plan.Options, o => o.IsChosen);
        Assert.True(plan.Step(RecoveryStepKind.Options).IsDone);
    }

    [Fact]
    public void A_carried_out_reshuffle_cannot_be_swapped_for_another_option()
    {
        var plan = Build.RecoveryPlan();
        var reshuffle = plan.AddOption(RecoveryOptionKind.Reshuffle, "Take Acme's slot", Later, Guid.NewGuid());
        var loan = plan.AddOption(RecoveryOptionKind.LoanOrDemoUnit, "Lend the demo cell", Later);
        plan.ChooseOption(reshuffle.Id, Later);

        var error = Assert.Throws<DomainException>(() => plan.ChooseOption(loan.Id, Later));

        Assert.Equal("The reshuffle was carried out: both promises were re-planned, so the choice stands unless the customer refuses it.", error.Message);
        Assert.Same(reshuffle, plan.ChosenOption);
    }

    [Fact]
    public void Choosing_the_chosen_option_again_is_refused_so_a_reshuffle_is_not_carried_out_twice()
    {
        var plan = Build.RecoveryPlan();
        var reshuffle = plan.AddOption(RecoveryOptionKind.Reshuffle, "Take Acme's slot", Later, Guid.NewGuid());
        plan.ChooseOption(reshuffle.Id, Later);

        Assert.Throws<DomainException>(() => plan.ChooseOption(reshuffle.Id, Later));
    }

    [Fact]
    public void A_reshuffle_option_names_the_other_promise()
    {
        var plan = Build.RecoveryPlan();

        Assert.Throws<DomainException>(() => plan.AddOption(RecoveryOptionKind.Reshuffle, "Take Acme's slot", Later));
        Assert.Throws<DomainException>(() => plan.AddOption(RecoveryOptionKind.Other, "Something", Later, Guid.NewGuid()));
        var other = Guid.NewGuid();
        Assert.Equal(other, plan.AddOption(RecoveryOptionKind.Reshuffle, "Take Acme's slot", Later, other).ReshuffleWithCommitmentId);
    }

    [Fact]
    public void An_unknown_option_cannot_be_chosen()
    {
        var plan = Build.RecoveryPlan();

        Assert.Throws<DomainException>(() => plan.ChooseOption(Guid.NewGuid(), Later));
    }

    [Fact]
    public void The_choice_is_fixed_once_the_customer_accepted_it()
    {
        var plan = Build.RecoveryPlanWithAcceptedSolution();
        var other = plan.AddOption(RecoveryOptionKind.AnotherSource, "Buy from a competitor", Later);

        var error = Assert.Throws<DomainException>(() => plan.ChooseOption(other.Id, Later));

        Assert.Equal("The customer already accepted the chosen solution; it can no longer be changed.", error.Message);
    }

    // ---------- tell the customer ----------

    [Fact]
    public void Telling_the_customer_needs_a_logged_communication()
    {
        var plan = Build.RecoveryPlan();

        var error = Assert.Throws<DomainException>(() => plan.TellCustomer(Guid.Empty, Later));
        Assert.Equal("Log the call or email in which the customer was told, then link it here.", error.Message);
        Assert.False(plan.Step(RecoveryStepKind.TellCustomer).IsDone);

        var call = Guid.NewGuid();
        plan.TellCustomer(call, Later);

        Assert.Equal(call, plan.CustomerToldCommunicationId);
        Assert.Equal(Later, plan.Step(RecoveryStepKind.TellCustomer).DoneAt);
        Assert.Equal(TimeSpan.FromHours(2), plan.DetectionToCustomerTold);
    }

    // ---------- comfort ----------

    [Fact]
    public void Contacting_the_customers_boss_is_refused_without_permission()
    {
        var plan = Build.RecoveryPlan();

        var error = Assert.Throws<DomainException>(() => plan.ContactCustomersBoss(contactGavePermission: false, "Called their COO", Later));

        Assert.Equal("The customer has not given permission to contact their manager. Ask them first and record it on the contact.", error.Message);
        Assert.Null(plan.BossContactedAt);
    }

    [Fact]
    public void Contacting_the_customers_boss_is_recorded_with_permission()
    {
        var plan = Build.RecoveryPlan();

        plan.ContactCustomersBoss(contactGavePermission: true, "Called their COO with Eva's blessing", Later);

        Assert.Equal(Later, plan.BossContactedAt);
        Assert.Equal("Called their COO with Eva's blessing", plan.BossContactNote);
    }

    [Fact]
    public void Comfort_records_what_is_offered_and_the_managers_contact()
    {
        var plan = Build.RecoveryPlan();

        Assert.Throws<DomainException>(() => plan.RecordComfort("Daily status mail", " ", Later));
        plan.RecordComfort("Daily status mail", "Bo called Eva", Later);

        Assert.Equal("Daily status mail", plan.OfferedMeanwhile);
        Assert.Equal("Bo called Eva", plan.ManagerContact);
        Assert.True(plan.Step(RecoveryStepKind.Comfort).IsDone);
    }

    // ---------- apologise ----------

    [Fact]
    public void An_apology_before_any_solution_was_presented_is_refused()
    {
        var plan = Build.RecoveryPlan();

        var error = Assert.Throws<DomainException>(() => plan.Apologise(customerForgave: true, Later));

        Assert.Equal("Apologise only after a solution was presented and accepted: an early apology sounds hollow.", error.Message);
        Assert.False(plan.Step(RecoveryStepKind.Apologise).IsDone);
    }

    [Fact]
    public void A_solution_cannot_be_presented_before_an_option_was_chosen()
    {
        var plan = Build.RecoveryPlan();

        Assert.Throws<DomainException>(() => plan.PresentSolution(accepted: true, Later));
    }

    [Fact]
    public void An_apology_after_a_rejected_solution_is_refused()
    {
        var plan = Build.RecoveryPlan();
        var option = plan.AddOption(RecoveryOptionKind.PartialDelivery, "Ship the conveyor first", Later);
        plan.ChooseOption(option.Id, Later);
        plan.PresentSolution(accepted: false, Later);

        var error = Assert.Throws<DomainException>(() => plan.Apologise(customerForgave: true, Later));

        Assert.Equal("The customer has not accepted the solution yet. Apologise once they accept one.", error.Message);
    }

    [Fact]
    public void Choosing_another_option_needs_it_presented_again_before_apologising()
    {
        var plan = Build.RecoveryPlan();
        var first = plan.AddOption(RecoveryOptionKind.PartialDelivery, "Ship the conveyor first", Later);
        var second = plan.AddOption(RecoveryOptionKind.LoanOrDemoUnit, "Lend the demo cell", Later);
        plan.ChooseOption(first.Id, Later);
        plan.PresentSolution(accepted: false, Later);
        plan.ChooseOption(second.Id, Later);

        Assert.Null(plan.SolutionPresentedAt);
        Assert.Throws<DomainException>(() => plan.Apologise(customerForgave: true, Later));

        plan.PresentSolution(accepted: true, Later);
        plan.Apologise(customerForgave: true, Later);
        Assert.True(plan.Step(RecoveryStepKind.Apologise).IsDone);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_apology_after_an_accepted_solution_records_whether_the_customer_forgave(bool forgave)
    {
        var plan = Build.RecoveryPlanWithAcceptedSolution();

        plan.Apologise(forgave, Later);

        Assert.Equal(forgave, plan.CustomerForgave);
        Assert.Equal(Later, plan.Step(RecoveryStepKind.Apologise).DoneAt);
    }

    // ---------- compensate ----------

    [Fact]
    public void Compensation_within_budget_beyond_the_loss_is_done_without_warnings()
    {
        var plan = Build.RecoveryPlan();

        var warnings = plan.Compensate("Two days of operator training", faceValue: 3_000m, costToUs: 800m, estimatedLoss: 2_000m, budget: 1_000m, Later);

        Assert.Empty(warnings);
        Assert.True(plan.Step(RecoveryStepKind.Compensate).IsDone);
        Assert.False(plan.CompensationAwaitsApproval);
    }

    [Theory]
    [InlineData(2_000)]
    [InlineData(1_999.99)]
    public void Compensation_that_does_not_exceed_the_loss_is_warned_about(decimal faceValue)
    {
        var plan = Build.RecoveryPlan();

        var warnings = plan.Compensate("Spare parts kit", faceValue, costToUs: 500m, estimatedLoss: 2_000m, budget: 1_000m, Later);

        var warning = Assert.Single(warnings);
        Assert.Contains("does not exceed the customer's estimated loss", warning, StringComparison.Ordinal);
        Assert.True(plan.Step(RecoveryStepKind.Compensate).IsDone);
    }

    [Fact]
    public void Compensation_above_budget_waits_for_the_managers_approval()
    {
        var plan = Build.RecoveryPlan();
        var budget = CompensationBudget.CustomerAcquisitionCost(marketingSpend: 50_000m, newCustomers: 40);

        var warnings = plan.Compensate("Software upgrade", faceValue: 5_000m, costToUs: 1_250.01m, estimatedLoss: 2_000m, budget, Later);

        Assert.Equal(1_250m, budget);
        Assert.Contains(warnings, w => w.Contains("the manager must approve it", StringComparison.Ordinal));
        Assert.True(plan.CompensationAwaitsApproval);
        Assert.False(plan.Step(RecoveryStepKind.Compensate).IsDone);

        plan.ApproveCompensation(Build.Manager, Later.AddHours(1));

        Assert.False(plan.CompensationAwaitsApproval);
        Assert.Equal(Build.Manager, plan.CompensationApprovedBy);
        Assert.Equal(Later.AddHours(1), plan.Step(RecoveryStepKind.Compensate).DoneAt);
    }

    [Fact]
    public void Compensation_at_exactly_the_budget_needs_no_approval()
    {
        var plan = Build.RecoveryPlan();

        plan.Compensate("Software upgrade", faceValue: 5_000m, costToUs: 1_250m, estimatedLoss: 2_000m, budget: 1_250m, Later);

        Assert.True(plan.Step(RecoveryStepKind.Compensate).IsDone);
        Assert.Throws<DomainException>(() => plan.ApproveCompensation(Build.Manager, Later));
    }

    [Fact]
    public void The_budget_needs_at_least_one_new_customer()
    {
        Assert.Throws<DomainException>(() => CompensationBudget.CustomerAcquisitionCost(50_000m, 0));
    }

    [Fact]
    public void High_margin_items_have_a_high_margin_ratio()
    {
        Assert.Equal(0.9m, CompensationBudget.MarginRatio(faceValue: 1_000m, costToUs: 100m));
        Assert.Equal(0m, CompensationBudget.MarginRatio(faceValue: 1_000m, costToUs: 1_000m));
        Assert.True(new Compensation("Training", 3_000m, 300m, 0m, 1_000m).MarginRatio > new Compensation("Cash refund", 3_000m, 3_000m, 0m, 1_000m).MarginRatio);
    }

    // ---------- close ----------

    [Fact]
    public void Closing_requires_the_lesson()
    {
        var plan = Build.RecoveryPlan();

        var error = Assert.Throws<DomainException>(() => plan.Close(RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, "  ", Later));

        Assert.Equal("The lesson (what changes so it does not happen again) is required.", error.Message);
        Assert.False(plan.IsClosed);
    }

    [Fact]
    public void Closing_requires_a_valid_root_cause_and_department()
    {
        var plan = Build.RecoveryPlan();

        Assert.Equal("Root cause is not valid.",
            Assert.Throws<DomainException>(() => plan.Close((RootCause)99, Department.Fulfilment, "Check stock first", Later)).Message);
        Assert.Equal("Department is not valid.",
            Assert.Throws<DomainException>(() => plan.Close(RootCause.Other, (Department)99, "Check stock first", Later)).Message);
        Assert.False(plan.IsClosed);
    }

    [Fact]
    public void A_closed_plan_keeps_cause_department_lesson_and_durations_and_refuses_changes()
    {
        var plan = Build.RecoveryPlan(detectedAt: Build.Now, openedAt: Build.Now.AddMinutes(10));
        plan.TellCustomer(Guid.NewGuid(), Build.Now.AddHours(3));

        plan.Close(RootCause.BadTechnicalInformation, Department.Product, "Ask product for the real spec before promising", Build.Now.AddDays(5));

        Assert.True(plan.IsClosed);
        Assert.Equal(RootCause.BadTechnicalInformation, plan.RootCause);
        Assert.Equal(Department.Product, plan.RootCauseDepartment);
        Assert.Equal("Ask product for the real spec before promising", plan.Lesson);
        Assert.Equal(TimeSpan.FromMinutes(10), plan.DetectionToManagerAlerted);
        Assert.Equal(TimeSpan.FromHours(3), plan.DetectionToCustomerTold);
        Assert.Equal(TimeSpan.FromDays(5), plan.DetectionToResolved);
        Assert.Equal("This recovery plan is closed.",
            Assert.Throws<DomainException>(() => plan.Close(RootCause.Other, Department.Sales, "Again", Later)).Message);
        Assert.Throws<DomainException>(() => plan.RecordMakeRoom(Build.Day(5), Build.Day(6), Later));
        Assert.Empty(plan.StepsToEscalate(Build.Now.AddDays(30)));
    }

    [Fact]
    public void Durations_are_unknown_until_the_customer_is_told_and_the_plan_resolved()
    {
        var plan = Build.RecoveryPlan();

        Assert.Null(plan.DetectionToCustomerTold);
        Assert.Null(plan.DetectionToResolved);
    }

    // ---------- escalation ----------

    [Fact]
    public void Overdue_undone_steps_are_escalated_once()
    {
        var plan = Build.RecoveryPlan(RecoverySettings.Default(Build.Rep, Build.Manager, tellCustomerWithinHours: 24));
        var afterMakeRoomDue = Build.Now.AddHours(5);

        plan.AcknowledgeByManager(Build.Manager, Later);
        Assert.Equal([RecoveryStepKind.MakeRoom], plan.StepsToEscalate(afterMakeRoomDue).Select(s => s.Kind));

        plan.MarkEscalated(RecoveryStepKind.MakeRoom, Build.Admin, afterMakeRoomDue);

        Assert.Equal(Build.Admin, plan.Step(RecoveryStepKind.MakeRoom).EscalatedTo);
        Assert.Equal(afterMakeRoomDue, plan.Step(RecoveryStepKind.MakeRoom).EscalatedAt);
        Assert.Empty(plan.StepsToEscalate(afterMakeRoomDue));
        Assert.Equal("The step Make room was already escalated.",
            Assert.Throws<DomainException>(() => plan.MarkEscalated(RecoveryStepKind.MakeRoom, Build.Admin, afterMakeRoomDue.AddDays(1))).Message);

        var afterTellDue = Build.Now.AddHours(25);
        Assert.Equal([RecoveryStepKind.Options, RecoveryStepKind.TellCustomer], plan.StepsToEscalate(afterTellDue).Select(s => s.Kind));
    }

    [Fact]
    public void A_step_is_not_escalated_on_its_due_time_or_once_done()
    {
        var plan = Build.RecoveryPlan();
        var due = plan.Step(RecoveryStepKind.MakeRoom).DueAt;

        Assert.Empty(plan.StepsToEscalate(due));
        Assert.Throws<DomainException>(() => plan.MarkEscalated(RecoveryStepKind.MakeRoom, Build.Admin, due));

        plan.RecordMakeRoom(Build.Day(10), Build.Day(12), due.AddHours(1));

        Assert.DoesNotContain(plan.StepsToEscalate(due.AddHours(2)), s => s.Kind == RecoveryStepKind.MakeRoom);
        Assert.Equal("The step Make room is not overdue.",
            Assert.Throws<DomainException>(() => plan.MarkEscalated(RecoveryStepKind.MakeRoom, Build.Admin, due.AddHours(2))).Message);
    }

    [Fact]
    public void An_alert_the_manager_does_not_acknowledge_in_time_is_escalated_and_an_acknowledged_one_is_not()
    {
        var unacknowledged = Build.RecoveryPlan();
        var acknowledged = Build.RecoveryPlan();
        acknowledged.AcknowledgeByManager(Build.Manager, Later);

        Assert.Contains(unacknowledged.StepsToEscalate(Build.Now.AddHours(5)), s => s.Kind == RecoveryStepKind.AlertManager);
        Assert.DoesNotContain(acknowledged.StepsToEscalate(Build.Now.AddDays(60)), s => s.Kind == RecoveryStepKind.AlertManager);
    }

    [Fact]
    public void A_compensation_can_be_replaced_while_the_plan_is_open_and_a_larger_one_needs_approval_afresh()
    {
        var plan = Build.RecoveryPlan();
        plan.Compensate("A training day", 1_000m, 300m, 800m, budget: 4_000m, Later);
        Assert.True(plan.Step(RecoveryStepKind.Compensate).IsDone);

        plan.Compensate("A free upgrade", 9_000m, 5_000m, 800m, budget: 4_000m, Later);

        Assert.Equal("A free upgrade", plan.Compensation!.Item);
        Assert.True(plan.CompensationAwaitsApproval);
        Assert.False(plan.Step(RecoveryStepKind.Compensate).IsDone);
    }

    [Fact]
    public void The_same_reshuffle_is_not_an_option_twice()
    {
        var plan = Build.RecoveryPlan();
        var other = Guid.NewGuid();
        plan.AddOption(RecoveryOptionKind.Reshuffle, "Take Acme's slot", Later, other);

        Assert.Throws<DomainException>(() => plan.AddOption(RecoveryOptionKind.Reshuffle, "Take Acme's slot again", Later, other));
        Assert.Single(plan.Options);
    }

    [Fact]
    public void The_next_step_for_a_manager_is_the_acknowledgement_then_the_playbook_order_and_for_a_rep_their_own_first_open_step()
    {
        var plan = Build.RecoveryPlan();

        Assert.Equal(RecoveryStepKind.AlertManager, plan.NextStepFor(Build.Manager, isManager: true)?.Kind);
        Assert.Equal(RecoveryStepKind.MakeRoom, plan.NextStepFor(Build.Rep, isManager: false)?.Kind);

        plan.AcknowledgeByManager(Build.Manager, Later);
        plan.RecordMakeRoom(Build.Day(10), Build.Day(12), Later);
        var option = plan.AddOption(RecoveryOptionKind.LoanOrDemoUnit, "Lend the demo cell", Later);
        plan.ChooseOption(option.Id, Later);
        plan.TellCustomer(Guid.NewGuid(), Later);

        Assert.Equal(RecoveryStepKind.Comfort, plan.NextStepFor(Build.Manager, isManager: true)?.Kind);
        Assert.Equal(RecoveryStepKind.Apologise, plan.NextStepFor(Build.Rep, isManager: false)?.Kind);
        Assert.Null(plan.NextStepFor("someone-else", isManager: false));
    }

    [Fact]
    public void A_plan_cannot_close_while_a_compensation_above_budget_waits_for_approval()
    {
        var plan = Build.RecoveryPlan();
        plan.Compensate("A new robot arm", 90_000m, 60_000m, 20_000m, budget: 4_000m, Later);

        var error = Assert.Throws<DomainException>(() => plan.Close(RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, "Order arms earlier", Later));

        Assert.StartsWith("The compensation above budget waits for the manager's approval", error.Message);
        Assert.False(plan.IsClosed);
        plan.ApproveCompensation(Build.Manager, Later);
        plan.Close(RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, "Order arms earlier", Later);
        Assert.True(plan.IsClosed);
    }

    [Fact]
    public void After_the_customer_refuses_a_carried_out_reshuffle_another_option_can_be_chosen()
    {
        var plan = Build.RecoveryPlan();
        var reshuffle = plan.AddOption(RecoveryOptionKind.Reshuffle, "Take Acme's slot", Later, Guid.NewGuid());
        var loan = plan.AddOption(RecoveryOptionKind.LoanOrDemoUnit, "Lend the demo cell", Later);
        plan.ChooseOption(reshuffle.Id, Later);
        plan.PresentSolution(accepted: false, Later);

        plan.ChooseOption(loan.Id, Later);

        Assert.Same(loan, plan.ChosenOption);
    }
}

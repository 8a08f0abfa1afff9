using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Bench;

/// <summary>
/// Realistic data made through the domain's own API, on a fixed clock: deals logged weeks ago whose promises' milestones
/// service staff have kept current since (started, re-forecast, blocked, done), some dates renegotiated, some customer
/// promises overdue; closed recovery plans worked through their steps. The same seed always gives the same data.
/// </summary>
internal sealed class SampleData(int seed)
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    public static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    private const string Rep = "rep-ana";
    private const string Manager = "manager-bo";
    private const string ServiceUser = "service-cy";

    private static readonly CommitmentKind[] Kinds = Enum.GetValues<CommitmentKind>();
    private static readonly RootCause[] RootCauses = Enum.GetValues<RootCause>();
    private static readonly Department[] Departments = Enum.GetValues<Department>();

    private static readonly string[] MilestoneTitles =
        ["Order parts", "Assemble", "Factory acceptance test", "Ship", "Install on site", "Train the operators", "Customer sign-off"];

    private readonly Random _random = new(seed);
    private readonly ChecklistTemplate _checklist = ChecklistTemplate.Create(1, ChecklistTemplate.DefaultItems, "admin-di", Now.AddYears(-1));
    private int _dealNumber;

    /// <summary>
    /// A deal logged 30 to 120 days ago with <paramref name="promisesOfOurs"/> promises of ours, each planned in
    /// <paramref name="milestonesEach"/> milestones updated day by day up to today, and a few promises of the customer's.
    /// </summary>
    public Deal Deal(int promisesOfOurs = 10, int milestonesEach = 6, int promisesOfTheirs = 3)
    {
        var loggedOn = Today.AddDays(-_random.Next(30, 121));
        var loggedAt = At(loggedOn, 9);
        var number = ++_dealNumber;
        var deal = Domain.Deals.Deal.Create(
            Guid.NewGuid(), $"Packaging line {number}", Rep, Money.Of(_random.Next(20, 500) * 1_000m, "EUR"),
            "Pack 40 cases a minute on the new line", loggedOn, _checklist, loggedAt, loggedOn);

        for (var i = 0; i < promisesOfTheirs; i++)
            AddTheirs(deal, loggedOn, loggedAt, i);

        // Everything that happened to the promises, replayed in the order it happened, so statuses follow as in the app.
        var events = new List<(DateOnly Day, int Order, Action Apply)>();
        for (var i = 0; i < promisesOfOurs; i++)
            AddOurs(deal, loggedOn, loggedAt, milestonesEach, i, events);
        foreach (var (_, _, apply) in events.OrderBy(e => e.Day).ThenBy(e => e.Order))
            apply();
        foreach (var commitment in deal.Commitments)
            commitment.RefreshStatus(Today);
        return deal;
    }

    /// <summary>A recovery plan worked through its steps and closed with a root cause, as the dashboard reads it.</summary>
    public RecoveryPlanFacts ClosedRecoveryPlan()
    {
        var detected = Now.AddDays(-_random.Next(5, 360)).AddMinutes(-_random.Next(0, 24 * 60));
        var opened = detected.AddMinutes(_random.Next(0, 30));
        var plan = RecoveryPlan.Open(
            Guid.NewGuid(), Guid.NewGuid(), detected, _random.Next(4) == 0 ? RiskLevel.Late : RiskLevel.AtRisk,
            RecoverySettings.Default(Rep, Manager), opened);

        var at = opened.AddHours(_random.Next(1, 6));
        var forecast = DateOnly.FromDateTime(detected.UtcDateTime).AddDays(_random.Next(5, 40));
        plan.RecordMakeRoom(forecast, _random.Next(3) == 0 ? null : forecast.AddDays(_random.Next(-10, 10)), at);
        plan.AcknowledgeByManager(Manager, at = at.AddMinutes(_random.Next(5, 240)));
        var option = plan.AddOption(
            _random.Next(3) == 0 ? RecoveryOptionKind.LoanOrDemoUnit : RecoveryOptionKind.PartialDelivery,
            "Ship the first half now and lend the demo unit meanwhile", at = at.AddHours(_random.Next(1, 8)));
        plan.ChooseOption(option.Id, at);
        if (_random.Next(10) > 0)
            plan.TellCustomer(Guid.NewGuid(), at = at.AddHours(_random.Next(1, 30)));
        plan.RecordComfort("The demo unit until ours ships", "Marco called their plant manager", at = at.AddHours(_random.Next(2, 48)));
        var accepted = _random.Next(100) < 85;
        plan.PresentSolution(accepted, at = at.AddHours(_random.Next(2, 72)));
        if (accepted)
            plan.Apologise(customerForgave: _random.Next(4) > 0, at = at.AddHours(_random.Next(1, 24)));
        if (_random.Next(10) < 7)
        {
            const decimal budget = 4_000m;
            var costToUs = _random.Next(200, 6_000);
            var faceValue = costToUs * (1.5m + (decimal)_random.NextDouble() * 2);
            plan.Compensate("Free preventive maintenance visit", faceValue, costToUs, faceValue / 2, budget, at = at.AddDays(_random.Next(1, 7)));
            // A plan closes only once a compensation above budget is approved.
            if (costToUs > budget)
                plan.ApproveCompensation(Manager, at = at.AddHours(_random.Next(1, 48)));
        }

        var resolved = at.AddDays(_random.Next(3, 40));
        plan.Close(
            RootCauses[_random.Next(RootCauses.Length)], Departments[_random.Next(Departments.Length)],
            "Check the supplier's stock before promising a date", resolved > Now ? Now : resolved);

        var status = _random.Next(100) switch
        {
            < 45 => CommitmentStatus.Kept,
            < 70 => CommitmentStatus.KeptLate,
            < 85 => CommitmentStatus.Broken,
            _ => CommitmentStatus.Waived,
        };
        var currency = _random.Next(100) switch { < 85 => "EUR", < 95 => "USD", _ => "GBP" };
        return RecoveryPlanFacts.Of(plan, status, currency, Now);
    }

    /// <summary>What the reshuffle ranking reads of another open promise: mostly open, dates around today's plans.</summary>
    public ReshuffleCandidateInput ReshuffleCandidate()
    {
        var promised = Today.AddDays(_random.Next(3, 121));
        var status = _random.Next(100) switch
        {
            < 92 => CommitmentStatus.Open,
            < 96 => CommitmentStatus.Broken,
            _ => CommitmentStatus.Kept,
        };
        return new ReshuffleCandidateInput(
            Guid.NewGuid(), Kinds[_random.Next(Kinds.Length)], status, promised,
            _random.Next(10) < 7 ? promised.AddDays(_random.Next(0, 31)) : null,
            promised.AddDays(_random.Next(-25, 6)),
            _random.Next(20, 500) * 1_000m);
    }

    private void AddTheirs(Deal deal, DateOnly loggedOn, DateTimeOffset loggedAt, int index)
    {
        var promised = loggedOn.AddDays(_random.Next(5, 61));
        var commitment = deal.AddCommitment(
            new CommitmentDraft(CommitmentDirection.Theirs, CommitmentKind.Other, $"Provide floor plans and site access ({index + 1})",
                Rep, Department.Customer, promised, null),
            LeadTimes.Defaults, Rep, loggedAt, loggedOn);
        // Most customers keep their promises; the rest are overdue, which puts our promises at risk.
        if (promised < Today && _random.Next(100) < 93)
            commitment.Complete(promised.AddDays(-_random.Next(0, 3)), Today);
    }

    private void AddOurs(Deal deal, DateOnly loggedOn, DateTimeOffset loggedAt, int milestones, int index, List<(DateOnly, int, Action)> events)
    {
        var kind = Kinds[_random.Next(Kinds.Length)];
        var span = _random.Next(30, 151);
        var promised = loggedOn.AddDays(span);
        DateOnly? need = _random.Next(4) == 0 ? null : promised.AddDays(_random.Next(0, 21));
        var commitment = deal.AddCommitment(
            new CommitmentDraft(CommitmentDirection.Ours, kind, $"{kind} for the packaging line, part {index + 1}", ServiceUser,
                Department.Fulfilment, promised, need),
            LeadTimes.Defaults, Rep, loggedAt, loggedOn);

        if (_random.Next(100) < 15)
        {
            var day = loggedOn.AddDays(span / 3);
            var newDate = promised.AddDays(_random.Next(7, 31));
            events.Add((day, events.Count, () =>
            {
                if (commitment.Status == CommitmentStatus.Open)
                    commitment.Renegotiate(newDate, "Eva Buyer", At(day, 11), "The customer moved the site works", Rep, At(day, 11), day);
            }));
        }

        for (var k = 0; k < milestones; k++)
        {
            var start = loggedOn.AddDays(span * k / milestones);
            var planned = loggedOn.AddDays(span * (k + 1) / milestones);
            var acceptance = kind == CommitmentKind.Outcome && k == milestones - 1;
            var milestone = commitment.AddMilestone(MilestoneTitles[k % MilestoneTitles.Length], ServiceUser, planned, acceptance);
            PlanUpdates(commitment, milestone, start, planned, acceptance, events);
        }
    }

    /// <summary>The updates service staff make to one milestone: started with a forecast, re-forecast, sometimes blocked, done.</summary>
    private void PlanUpdates(Commitment commitment, Milestone milestone, DateOnly start, DateOnly planned, bool acceptance, List<(DateOnly, int, Action)> events)
    {
        void On(DateOnly day, MilestoneChange change)
        {
            var hour = 8 + events.Count % 9;
            events.Add((day, events.Count, () => commitment.UpdateMilestone(milestone.Id, change, ServiceUser, At(day, hour), day)));
        }

        if (start >= Today)
        {
            // Not started yet; now and then someone already gave a forecast.
            if (_random.Next(4) == 0)
                On(Today.AddDays(-_random.Next(1, 10)), new MilestoneChange(MilestoneStatus.NotStarted, planned.AddDays(_random.Next(-3, 3))));
            return;
        }

        // Most steps finish about on plan; some slip a few days, a few slip weeks.
        var slip = _random.Next(100) switch
        {
            < 75 => _random.Next(-3, 2),
            < 92 => _random.Next(2, 6),
            _ => _random.Next(6, 25),
        };
        var finish = planned.AddDays(slip);
        On(start, new MilestoneChange(MilestoneStatus.InProgress, planned.AddDays(_random.Next(-2, 3))));

        var lastDay = finish < Today ? finish : Today;
        var reforecasts = _random.Next(0, 4);
        for (var j = 1; j <= reforecasts; j++)
        {
            var gap = lastDay.DayNumber - start.DayNumber;
            if (gap < 2)
                break;
            var day = start.AddDays(gap * j / (reforecasts + 1));
            var forecast = planned.AddDays(slip * j / reforecasts);
            On(day, _random.Next(100) < 6
                ? new MilestoneChange(MilestoneStatus.Blocked, forecast, Reason: "Waiting for parts from the supplier")
                : new MilestoneChange(MilestoneStatus.InProgress, forecast, Note: "Re-forecast after the weekly call"));
        }

        if (finish < Today && _random.Next(100) < 97)
        {
            On(finish, acceptance
                ? new MilestoneChange(MilestoneStatus.Done, null, finish, Acceptance: new CustomerAcceptance("Eva Buyer", finish, CommunicationChannel.Meeting))
                : new MilestoneChange(MilestoneStatus.Done, null, finish));
        }
    }

    private static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);
}

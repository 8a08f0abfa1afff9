using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Dashboard;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace CommitmentTracker.Web.Tests.Features.Dashboard;

/// <summary>
/// "What the recovery plans teach" on a prepared set of plans whose figures were worked out by hand (see
/// <see cref="ArrangeAsync"/>): the root-cause Pareto with its recovered/broken split, the departments, compensation
/// against budget, the durations, the lessons and the open plans; scoped like the rest of the dashboard.
/// </summary>
public sealed class RecoveryInsightsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The dashboard's clock: the default window holds the plans closed since 15 Jun 2025, 10:00.</summary>
    private static readonly DateTimeOffset InsightsNow = new(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);

    private readonly RecoveryInsightsService _insights = new(database, new FakeTimeProvider(InsightsNow));

    private async Task<IReadOnlyList<RecoveryLesson>> LessonsAsync(Actor actor, RootCause? cause) =>
        (await _insights.LessonsAsync(actor, null, cause, 0, 50, cancellationToken: Cancel)).Items;

    [Fact]
    public async Task Closed_plans_by_root_cause_form_a_pareto_with_the_recovered_and_broken_split_and_the_cumulative_share()
    {
        var north = await ArrangeAsync();

        var view = await _insights.GetAsync(north.Manager, null, cancellationToken: Cancel);

        // Six closed in the window (P7 closed before it; P8, P9 are open). Poor communication: P2 kept; P1 broken, P3 kept late.
        // Delivery problem: P4 waived; P5 broken. Customer-side delay: P6 kept.
        Assert.Equal(6, view.Figures.ClosedPlans);
        Assert.Equal(
            new[]
            {
                new RootCauseBar(RootCause.PoorCommunication, 1, 2, 0.5m, 0.5m),
                new RootCauseBar(RootCause.UnexpectedDeliveryProblem, 1, 1, 0.3333m, 0.8333m),
                new RootCauseBar(RootCause.CustomerSideDelay, 1, 0, 0.1667m, 1m),
            },
            view.Figures.ByRootCause);
    }

    [Fact]
    public async Task Closed_plans_split_by_the_department_of_the_root_cause_most_first()
    {
        var north = await ArrangeAsync();

        var view = await _insights.GetAsync(north.Manager, null, cancellationToken: Cancel);

        // Sales: P2 recovered, P1 broken; Fulfilment: P4 recovered, P5 broken; Service: P3 broken; Customer: P6 recovered.
        Assert.Equal(
            new[]
            {
                new DepartmentBar(Department.Sales, 1, 1),
                new DepartmentBar(Department.Fulfilment, 1, 1),
                new DepartmentBar(Department.Service, 0, 1),
                new DepartmentBar(Department.Customer, 1, 0),
            },
            view.Figures.ByDepartment);
    }

    [Fact]
    public async Task Compensation_is_spent_against_budget_per_currency_over_closed_and_open_plans()
    {
        var north = await ArrangeAsync();

        var view = await _insights.GetAsync(north.Manager, null, cancellationToken: Cancel);

        // EUR: P2 300 of 500 (within), P5 800 of 500 (approved), P8 600 of 500 (open, awaiting approval); P7 closed before the window.
        // USD: P6 100 of 250 on Ben's deal.
        Assert.Equal(
            new[]
            {
                new CompensationSpend("EUR", 3, 1_100m, 1_500m, 5_500m, 2, 1, 1, AwaitingApprovalCost: 600m), // the waiting 600 is not spent yet
                new CompensationSpend("USD", 1, 100m, 250m, 400m, 0, 0, 0),
            },
            view.Figures.Compensation);
    }

    [Fact]
    public async Task Durations_from_detection_are_averaged_with_their_median_over_the_plans_that_have_each_time()
    {
        var north = await ArrangeAsync();

        var view = await _insights.GetAsync(north.Manager, null, cancellationToken: Cancel);

        // Alerted after 1, 0, 2, 0, 1, 0 h (P1-P6) and 3, 0 h (open P8, P9): 7 h / 8; sorted 0 0 0 0 1 1 2 3.
        Assert.Equal(new DurationFigure(8, TimeSpan.FromHours(0.875), TimeSpan.FromHours(0.5)), view.Figures.DetectionToManagerAlerted);
        // Told after 4, 2, 6, 3, 1 h (P3 and P9 never told) and 5 h (P8): 21 h / 6.
        Assert.Equal(new DurationFigure(6, TimeSpan.FromHours(3.5), TimeSpan.FromHours(3.5)), view.Figures.DetectionToCustomerTold);
        // Resolved after 72, 48, 120, 24, 96, 240 h: 600 h / 6; median between 72 and 96.
        Assert.Equal(new DurationFigure(6, TimeSpan.FromHours(100), TimeSpan.FromHours(84)), view.Figures.DetectionToResolved);
    }

    [Fact]
    public async Task Open_plans_are_counted_with_those_that_have_an_overdue_step()
    {
        var north = await ArrangeAsync();

        var view = await _insights.GetAsync(north.Manager, null, cancellationToken: Cancel);

        // P8 was detected three days ago and its "make room" step (due after 4 h) is not done; P9 was detected an hour ago.
        Assert.Equal((2, 1), (view.Figures.OpenPlans, view.Figures.OpenPlansWithOverdueStep));
    }

    [Fact]
    public async Task Lessons_of_the_closed_plans_come_newest_first_and_filter_by_root_cause()
    {
        var north = await ArrangeAsync();

        var view = await _insights.GetAsync(north.Manager, null, cancellationToken: Cancel);

        Assert.Equal(new[] { north.P6, north.P5, north.P4, north.P3, north.P2, north.P1 }, view.Lessons.Select(l => l.PlanId));
        Assert.Equal(new[] { north.P3, north.P2, north.P1 }, (await LessonsAsync(north.Manager, RootCause.PoorCommunication)).Select(l => l.PlanId));
        Assert.Equal(new[] { north.P6 }, (await LessonsAsync(north.Manager, RootCause.CustomerSideDelay)).Select(l => l.PlanId));
        Assert.Empty((await LessonsAsync(north.Manager, RootCause.Dishonesty)));
        Assert.Equal(view.Lessons, (await LessonsAsync(north.Manager, null)));
        Assert.Equal(6, view.LessonsTotal);

        var lesson = view.Lessons.Single(l => l.PlanId == north.P5);
        Assert.Equal(
            (new DateTimeOffset(2026, 5, 5, 8, 0, 0, TimeSpan.Zero), RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, "Lesson of P5"),
            (lesson.ClosedAt, lesson.RootCause, lesson.Department, lesson.Lesson));
        Assert.Equal((north.AcmeDeal.Id, north.AcmeDeal.Title, "Promise 5", RecoveryOutcome.Broken),
            (lesson.DealId, lesson.DealTitle, lesson.PromiseDescription, lesson.Outcome));
        Assert.Equal((north.BirchDeal.Id, RecoveryOutcome.Recovered), (view.Lessons[0].DealId, view.Lessons[0].Outcome));
    }

    [Fact]
    public async Task A_shorter_window_counts_only_the_plans_closed_in_it_and_still_the_open_ones()
    {
        var north = await ArrangeAsync();

        // 30 days: since 16 May 2026, 10:00; only P6 (closed 30 May) of the closed plans.
        var view = await _insights.GetAsync(north.Manager, null, windowDays: 30, Cancel);

        Assert.Equal((30, InsightsNow.AddDays(-30)), (view.WindowDays, view.WindowStart));
        Assert.Equal(new[] { new RootCauseBar(RootCause.CustomerSideDelay, 1, 0, 1m, 1m) }, view.Figures.ByRootCause);
        Assert.Equal(new[] { north.P6 }, view.Lessons.Select(l => l.PlanId));
        Assert.Equal(2, view.Figures.OpenPlans);
        // P6 in USD and the open P8 in EUR, whose 600 above budget still waits for approval (not spent).
        Assert.Equal(new[] { ("USD", 100m, 0m), ("EUR", 0m, 600m) }, view.Figures.Compensation.Select(c => (c.Currency, c.Spent, c.AwaitingApprovalCost)));
    }

    [Fact]
    public async Task A_manager_sees_only_their_own_teams_plans_even_when_asking_for_another_team()
    {
        var north = await ArrangeAsync();

        var asked = await _insights.GetAsync(north.Manager, north.South.Id, cancellationToken: Cancel);
        var south = await _insights.GetAsync(north.SouthManager, north.Team.Id, cancellationToken: Cancel);

        Assert.Equal(north.Team.Id, asked.TeamId);
        Assert.Equal(6, asked.Figures.ClosedPlans);
        Assert.Equal(3, asked.Figures.ByRootCause.Single(b => b.RootCause == RootCause.PoorCommunication).Total);
        Assert.DoesNotContain(asked.Lessons, l => l.PlanId == north.S1);
        Assert.Equal(2, asked.Figures.OpenPlans);

        Assert.Equal(north.South.Id, south.TeamId);
        Assert.Equal(new[] { new RootCauseBar(RootCause.PoorCommunication, 0, 1, 1m, 1m) }, south.Figures.ByRootCause);
        Assert.Equal(new[] { north.S1 }, south.Lessons.Select(l => l.PlanId));
        Assert.Equal((1, 0), (south.Figures.OpenPlans, south.Figures.OpenPlansWithOverdueStep));
        Assert.Empty(south.Figures.Compensation);
    }

    [Fact]
    public async Task An_admin_picks_a_team_or_sees_every_team()
    {
        var north = await ArrangeAsync();
        var admin = await database.CreateAsync(AppRoles.Admin);

        var south = await _insights.GetAsync(admin, north.South.Id, cancellationToken: Cancel);
        var all = await _insights.GetAsync(admin, null, cancellationToken: Cancel);

        Assert.Equal(north.South.Id, south.TeamId);
        Assert.Equal(new[] { north.S1 }, south.Lessons.Select(l => l.PlanId));
        Assert.Null(all.TeamId);
        // Every team's lessons: the view holds the first page; the lessons page through all (this class arranges many teams).
        var everyTeam = await _insights.LessonsAsync(admin, null, null, 0, 200, cancellationToken: Cancel);
        Assert.Equal(everyTeam.TotalCount, all.LessonsTotal);
        Assert.Contains(everyTeam.Items, l => l.PlanId == north.S1);
        Assert.Contains(everyTeam.Items, l => l.PlanId == north.P1);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _insights.GetAsync(admin, Guid.NewGuid(), cancellationToken: Cancel));
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Service)]
    public async Task Reps_and_service_staff_are_refused(string role)
    {
        var north = await ArrangeAsync();
        var user = await database.CreateAsync(role, role == AppRoles.Rep ? north.Team : null, role == AppRoles.Service ? Department.Service : null);

        await Assert.ThrowsAsync<AccessDeniedException>(() => _insights.GetAsync(user, north.Team.Id, cancellationToken: Cancel));
    }

    [Fact]
    public async Task A_manager_without_a_team_gets_nothing()
    {
        await ArrangeAsync();
        var manager = await database.CreateAsync(AppRoles.Manager);

        var view = await _insights.GetAsync(manager, null, cancellationToken: Cancel);

        Assert.False(view.HasTeam);
        Assert.Equal(RecoveryFigures.Empty, view.Figures);
        Assert.Empty(view.Lessons);
    }

    /// <summary>
    /// Team North (manager, reps Anna and Ben) and team South (manager, rep Sam). Every plan is on its own promise; the
    /// promise's status is then set as it ended. Times are hours after detection.
    /// <code>
    /// plan  deal          detected          alerted told  closed  root cause / department           promise    compensation (face, cost, budget)
    /// P1    Anna/Acme EUR 10 Jan 2026 08:00 1       4     72      PoorCommunication / Sales         Broken
    /// P2    Anna/Acme     1 Feb  08:00      0       2     48      PoorCommunication / Sales         Kept       1,000, 300, 500
    /// P3    Anna/Acme     5 Mar  08:00      2       -     120     PoorCommunication / Service       KeptLate
    /// P4    Anna/Acme     1 Apr  08:00      0       6     24      UnexpectedDeliveryProblem / Fulf. Waived
    /// P5    Anna/Acme     1 May  08:00      1       3     96      UnexpectedDeliveryProblem / Fulf. Broken     3,000, 800, 500, approved
    /// P6    Ben/Birch USD 20 May 08:00      0       1     240     CustomerSideDelay / Customer      Kept       400, 100, 250
    /// P7    Anna/Acme     1 Apr 2025        0       -     720     BadTechnicalInformation / Product Broken     5,000, 5,000, 500 (closed before the window)
    /// P8    Anna/Acme     12 Jun 2026 10:00 3       5     open                                        Open       1,500, 600, 500, awaiting approval
    /// P9    Anna/Acme     15 Jun 09:00      0       -     open                                        Open
    /// S1    Sam/Fir EUR   1 Jun 08:00       0       1     24      PoorCommunication / Sales         Broken
    /// S2    Sam/Fir       15 Jun 09:00      0       -     open                                        Open
    /// </code>
    /// </summary>
    private async Task<DataSet> ArrangeAsync()
    {
        var team = await database.CreateTeamAsync();
        var south = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, team, Department.Sales, "Marta Manager");
        var anna = await database.CreateAsync(AppRoles.Rep, team, Department.Sales, "Anna Ahlberg");
        var ben = await database.CreateAsync(AppRoles.Rep, team, Department.Sales, "Ben Berger");
        var southManager = await database.CreateAsync(AppRoles.Manager, south, Department.Sales, "Sven South");
        var sam = await database.CreateAsync(AppRoles.Rep, south, Department.Sales, "Sam South");

        var promises = new Dictionary<string, Commitment>();
        void Promises(Deal deal, params string[] names)
        {
            foreach (var name in names)
                promises[name] = TestDeals.AddPromise(deal, description: $"Promise {name[1..]}");
        }

        var acme = await database.CreateDealAsync(anna, "Acme line", arrange: deal => Promises(deal, "P1", "P2", "P3", "P4", "P5", "P7", "P8", "P9"));
        var birch = await CreateDealInAsync(ben, "Birch packing", "USD", deal => Promises(deal, "P6"));
        var fir = await database.CreateDealAsync(sam, "Fir retrofit", arrange: deal => Promises(deal, "S1", "S2"));

        RecoveryPlan Plan(string name, Actor rep, Actor boss, DateTimeOffset detected, int alertedAfter, int? toldAfter, int? closedAfter,
            RootCause cause = RootCause.Other, Department department = Department.Sales, (decimal Face, decimal Cost, decimal Budget)? compensation = null, bool approve = false)
        {
            var promise = promises[name];
            var plan = RecoveryPlan.Open(promise.Id, promise.DealId, detected, RiskLevel.AtRisk, RecoverySettings.Default(rep.UserId, boss.UserId), detected.AddHours(alertedAfter));
            if (toldAfter is { } told)
                plan.TellCustomer(Guid.NewGuid(), detected.AddHours(told));
            if (compensation is { } c)
            {
                plan.Compensate("Two days of training", c.Face, c.Cost, c.Face / 2, c.Budget, detected.AddHours(alertedAfter));
                if (approve)
                    plan.ApproveCompensation(boss.UserId, detected.AddHours(alertedAfter + 1));
            }
            if (closedAfter is { } closed)
                plan.Close(cause, department, $"Lesson of {name}", detected.AddHours(closed));
            return plan;
        }

        static DateTimeOffset At(int year, int month, int day, int hour = 8) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);
        var plans = new[]
        {
            Plan("P1", anna, manager, At(2026, 1, 10), 1, 4, 72, RootCause.PoorCommunication, Department.Sales),
            Plan("P2", anna, manager, At(2026, 2, 1), 0, 2, 48, RootCause.PoorCommunication, Department.Sales, (1_000m, 300m, 500m)),
            Plan("P3", anna, manager, At(2026, 3, 5), 2, null, 120, RootCause.PoorCommunication, Department.Service),
            Plan("P4", anna, manager, At(2026, 4, 1), 0, 6, 24, RootCause.UnexpectedDeliveryProblem, Department.Fulfilment),
            Plan("P5", anna, manager, At(2026, 5, 1), 1, 3, 96, RootCause.UnexpectedDeliveryProblem, Department.Fulfilment, (3_000m, 800m, 500m), approve: true),
            Plan("P6", ben, manager, At(2026, 5, 20), 0, 1, 240, RootCause.CustomerSideDelay, Department.Customer, (400m, 100m, 250m)),
            Plan("P7", anna, manager, At(2025, 4, 1), 0, null, 720, RootCause.BadTechnicalInformation, Department.Product, (5_000m, 5_000m, 500m), approve: true),
            Plan("P8", anna, manager, At(2026, 6, 12, 10), 3, 5, null, compensation: (1_500m, 600m, 500m)),
            Plan("P9", anna, manager, At(2026, 6, 15, 9), 0, null, null),
            Plan("S1", sam, southManager, At(2026, 6, 1), 0, 1, 24, RootCause.PoorCommunication, Department.Sales),
            Plan("S2", sam, southManager, At(2026, 6, 15, 9), 0, null, null),
        };
        await using (var db = database.CreateDbContext())
        {
            db.ChangedAt = InsightsNow;
            db.RecoveryPlans.AddRange(plans);
            await db.SaveChangesAsync(Cancel);
        }

        await EndAsAsync(CommitmentStatus.Broken, promises["P1"], promises["P5"], promises["P7"], promises["S1"]);
        await EndAsAsync(CommitmentStatus.Kept, promises["P2"], promises["P6"]);
        await EndAsAsync(CommitmentStatus.KeptLate, promises["P3"]);
        await EndAsAsync(CommitmentStatus.Waived, promises["P4"]);

        var ids = plans.ToDictionary(p => p.CommitmentId, p => p.Id);
        Guid Id(string name) => ids[promises[name].Id];
        return new DataSet(team, south, manager, southManager, acme, birch, fir,
            Id("P1"), Id("P2"), Id("P3"), Id("P4"), Id("P5"), Id("P6"), Id("P7"), Id("P8"), Id("P9"), Id("S1"), Id("S2"));
    }

    /// <summary>How the promises ended, set directly: the insights read the status as stored.</summary>
    private async Task EndAsAsync(CommitmentStatus status, params Commitment[] promises)
    {
        var ids = promises.Select(p => p.Id).ToList();
        await database.QueryAsync(db => db.Commitments.Where(c => ids.Contains(c.Id)).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status), Cancel));
    }

    /// <summary>A verbal deal in another currency than <see cref="TestDeals.CreateDealAsync"/>'s euros.</summary>
    private async Task<Deal> CreateDealInAsync(Actor owner, string title, string currency, Action<Deal> arrange)
    {
        var account = await database.CreateAccountAsync();
        var deal = Deal.Create(account.Id, title, owner.UserId, Money.Of(20_000m, currency), "Pack 40 cases a minute",
            TestDeals.Today, await database.ActiveChecklistAsync(), TestDeals.Now, TestDeals.Today);
        arrange(deal);
        await using var db = database.CreateDbContext();
        db.Add(deal);
        await db.SaveChangesAsync(Cancel);
        return deal;
    }

    private sealed record DataSet(
        Team Team, Team South, Actor Manager, Actor SouthManager, Deal AcmeDeal, Deal BirchDeal, Deal FirDeal,
        Guid P1, Guid P2, Guid P3, Guid P4, Guid P5, Guid P6, Guid P7, Guid P8, Guid P9, Guid S1, Guid S2);
}

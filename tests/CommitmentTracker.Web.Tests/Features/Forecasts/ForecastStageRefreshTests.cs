using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Forecasts;
using CommitmentTracker.Web.Features.Forecasts;
using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CommitmentTracker.Web.Tests.Features.Forecasts.ForecastHistory;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Forecasts;

/// <summary>
/// The refresh also times each promise from the stage its plan reached (the day of the milestone that brought it there),
/// and counts every duration in the working days of the deal's rep's team, holidays included: PostgreSQL must agree with
/// the domain's <see cref="PromiseHistory"/>, <see cref="PlanProgress"/> and <see cref="WorkingCalendar"/>.
/// </summary>
public sealed class ForecastStageRefreshTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Promises_are_also_timed_from_each_stage_their_plan_reached()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var madeOn = Today.AddDays(-60);
        // Four-step plans: steps done on days 3, 8, 9 and 14 after promising; the last one done keeps the promise.
        // Half done (two of four) on day 8: from there the promise took the working days from day 8 to day 14.
        await HistoryDealAsync(rep, deal =>
        {
            for (var i = 0; i < 3; i++)
            {
                var promise = Made(deal, CommitmentKind.Training, Department.Sales, madeOn);
                var steps = Enumerable.Range(0, 4).Select(n => promise.AddMilestone($"Step {n}", rep.UserId, madeOn.AddDays(20))).ToList();
                foreach (var (step, day) in steps.Zip([3, 8, 9, 14]))
                    promise.UpdateMilestone(step.Id, new MilestoneChange(MilestoneStatus.Done, null, madeOn.AddDays(day)), rep.UserId, At(madeOn.AddDays(day)), madeOn.AddDays(day));
                Assert.Equal(madeOn.AddDays(14), promise.CompletedOn);
            }
            // One still open with its first step done on day 3 (a quarter): censored from there through yesterday.
            var open = Made(deal, CommitmentKind.Training, Department.Sales, madeOn);
            var first = Enumerable.Range(0, 4).Select(n => open.AddMilestone($"Step {n}", rep.UserId, madeOn.AddDays(90))).ToList()[0];
            open.UpdateMilestone(first.Id, new MilestoneChange(MilestoneStatus.Done, null, madeOn.AddDays(3)), rep.UserId, At(madeOn.AddDays(3)), madeOn.AddDays(3));
        });

        await database.Refresher().RefreshAsync(Cancel);

        var week = WorkingCalendar.Default(Guid.Empty);
        var half = await CurveAsync("Kind|Training|*|*|*|HalfDone");
        Assert.Equal((3, 3), (half.Promises, half.Completed));
        Assert.Equal([week.WorkingDaysBetween(madeOn.AddDays(8), madeOn.AddDays(14))], half.Days);
        var all = await CurveAsync("Kind|Training|*|*|*|AllDone");
        Assert.Equal([0], all.Days); // kept the day the plan was all done
        var started = await CurveAsync("Kind|Training|*|*|*|Started");
        Assert.Equal((4, 3), (started.Promises, started.Completed)); // the open one counts there, censored
        Assert.Equal(
            SurvivalCurve.Estimate([
                .. Enumerable.Repeat(new PromiseObservation(week.WorkingDaysBetween(madeOn.AddDays(3), madeOn.AddDays(14)), true), 3),
                PromiseHistory.Observe(CommitmentStatus.Open, madeOn.AddDays(3), null, Today, week)!.Value,
            ]).Survival,
            started.Undone);
    }

    [Fact]
    public async Task Durations_count_the_working_days_of_the_reps_team_with_its_holidays()
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var calendar = WorkingCalendar.Default(team.Id);
        calendar.SetWeek([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday], WorkingCalendar.DefaultDayStart, WorkingCalendar.DefaultDayEnd, "UTC");
        var madeOn = Today.AddDays(-40);
        calendar.AddHoliday(madeOn.AddDays(1), "Works outing"); // a Thursday
        await database.QueryAsync(async db =>
        {
            db.WorkingCalendars.Add(calendar);
            return await db.SaveChangesAsync(Cancel);
        });
        await HistoryDealAsync(rep, deal =>
        {
            for (var i = 0; i < 5; i++)
                Made(deal, CommitmentKind.Support, Department.Service, madeOn).Complete(madeOn.AddDays(10 + i), Today);
        });

        await database.Refresher().RefreshAsync(Cancel);

        var curve = await CurveAsync("Kind|Support|*|*|*");
        var expected = Enumerable.Range(10, 5).Select(d => calendar.WorkingDaysBetween(madeOn, madeOn.AddDays(d))).Distinct().Order();
        Assert.Equal(expected, curve.Days);
        Assert.NotEqual(WorkingCalendar.Default(Guid.Empty).WorkingDaysBetween(madeOn, madeOn.AddDays(10)), curve.Days[0]);
    }

    [Fact]
    public async Task An_open_promise_half_done_gets_its_chance_and_risk_reason_from_promises_at_that_stage()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var madeOn = Today.AddDays(-80);
        // Thirty installations: half their plan done on day 8, kept on day 30 (a slow last half).
        await HistoryDealAsync(rep, deal =>
        {
            for (var i = 0; i < 30; i++)
                Planned(deal, rep, madeOn, [3, 8, 9, 30]);
        });
        // Open and already 40 days old: older than any in the history, so its age alone says nothing. Half done yesterday,
        // promised ten days after that: promises at that stage needed three weeks more.
        Commitment open = null!;
        var dealId = await HistoryDealAsync(rep, deal => open = Planned(deal, rep, Today.AddDays(-40), [5, 39], promisedAfter: 48, steps: 4));
        await database.Refresher().RefreshAsync(Cancel);

        var forecasts = await database.QueryAsync(db => ForecastService.ForOpenPromisesAsync(db,
            [new ForecastService.OpenPromise(open.Id, CommitmentKind.Installation, Department.Service, 20_000m, 4, Today.AddDays(-40), Today.AddDays(8), rep.UserId,
                new PlanProgress(PlanStage.HalfDone, Today.AddDays(-1)))], Today, Cancel));
        await database.QueryAsync(async db =>
        {
            await RiskReevaluation.ApplyAsync(db, [dealId], Now, Cancel);
            return await db.SaveChangesAsync(Cancel);
        });

        var forecast = forecasts.ById[open.Id];
        Assert.Equal((PlanStage?)PlanStage.HalfDone, forecast.Group!.Stage);
        Assert.Equal(0.0, forecast.Probability!.Value, 9);
        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(open.Id));
        Assert.Contains(stored.RiskReasons, r => r.Sentence == "Only 0% of similar promises with half of their milestones done finished by their date");
    }

    /// <summary>An installation with a plan of <paramref name="steps"/> milestones, the first ones done on the given days after it was made.</summary>
    private static Commitment Planned(Deal deal, Actor rep, DateOnly madeOn, int[] doneAfter, int promisedAfter = 120, int? steps = null)
    {
        var promise = deal.AddCommitment(
            new CommitmentDraft(CommitmentDirection.Ours, CommitmentKind.Installation, "Install the robot cell", deal.OwnerId, Department.Service, madeOn.AddDays(promisedAfter), null, "Planned with the customer"),
            LeadTimes.Defaults, deal.OwnerId, At(madeOn), madeOn);
        var plan = Enumerable.Range(0, steps ?? doneAfter.Length).Select(n => promise.AddMilestone($"Step {n}", rep.UserId, madeOn.AddDays(promisedAfter))).ToList();
        foreach (var (step, day) in plan.Zip(doneAfter))
            promise.UpdateMilestone(step.Id, new MilestoneChange(MilestoneStatus.Done, null, madeOn.AddDays(day)), rep.UserId, At(madeOn.AddDays(day)), madeOn.AddDays(day));
        return promise;
    }

    private Task<ForecastCurveRecord> CurveAsync(string key) =>
        database.QueryAsync(db => db.ForecastCurves.AsNoTracking().SingleAsync(c => c.GroupKey == key, Cancel));

    private static Commitment Made(Deal deal, CommitmentKind kind, Department department, DateOnly madeOn) =>
        deal.AddCommitment(
            new CommitmentDraft(CommitmentDirection.Ours, kind, "Train the line crew", deal.OwnerId, department, madeOn.AddDays(120), null, "Planned with the customer"),
            LeadTimes.Defaults, deal.OwnerId, At(madeOn), madeOn);

    private async Task<Guid> HistoryDealAsync(Actor owner, Action<Deal> arrange) =>
        (await database.HistoryDealAsync(owner, Today.AddDays(-100), arrange, Cancel)).Id;
}

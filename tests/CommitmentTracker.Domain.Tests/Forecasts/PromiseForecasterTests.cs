using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Forecasts;

namespace CommitmentTracker.Domain.Tests.Forecasts;

/// <summary>Which history a forecast uses, what it says about it, and the dates it offers.</summary>
public sealed class PromiseForecasterTests
{
    private static readonly ForecastSubject Subject = new(CommitmentKind.Installation, Department.Service, ValueBand.From10kTo100k, 5);

    /// <summary>A curve of <paramref name="promises"/> promises, each done on day <paramref name="day"/>.</summary>
    private static SurvivalCurve Curve(int promises, int day = 10) =>
        SurvivalCurve.Estimate(Enumerable.Repeat(new PromiseObservation(day, true), promises));

    private static Func<ReferenceGroup, SurvivalCurve?> Groups(int similar, int kindAndDepartment, int kind, int all) => group => group.Level switch
    {
        ReferenceLevel.Similar => similar == 0 ? null : Curve(similar, 5),
        ReferenceLevel.KindAndDepartment => kindAndDepartment == 0 ? null : Curve(kindAndDepartment, 6),
        ReferenceLevel.Kind => kind == 0 ? null : Curve(kind, 7),
        _ => all == 0 ? null : Curve(all, 8),
    };

    private static PromiseForecast Forecast(Func<ReferenceGroup, SurvivalCurve?> curves, DateOnly? promised = null) =>
        PromiseForecaster.ForNewPromise(Subject, curves, Build.Today, promised, LeadTimes.Defaults, ForecastSettings.Defaults, CalendarDays.Instance);

    [Theory]
    [InlineData(30, 40, 50, 60, ReferenceLevel.Similar)]
    [InlineData(29, 40, 50, 60, ReferenceLevel.KindAndDepartment)]
    [InlineData(29, 29, 50, 60, ReferenceLevel.Kind)]
    [InlineData(0, 0, 29, 60, ReferenceLevel.All)]
    public void The_finest_group_with_at_least_30_promises_is_used(int similar, int kindAndDepartment, int kind, int all, ReferenceLevel expected)
    {
        var forecast = Forecast(Groups(similar, kindAndDepartment, kind, all));

        Assert.Equal(expected, forecast.Group!.Level);
        Assert.Equal(expected != ReferenceLevel.Similar, forecast.FellBack);
    }

    [Fact]
    public void The_chain_goes_from_kind_department_value_and_plan_to_kind_and_department_to_kind_to_all()
    {
        var chain = ReferenceGroup.ChainFor(Subject);

        Assert.Equal(
            [
                "Similar|Installation|Service|From10kTo100k|5",
                "KindAndDepartment|Installation|Service|*|*",
                "Kind|Installation|*|*|*",
                "All|*|*|*|*",
            ],
            chain.Select(g => g.Key));
    }

    [Fact]
    public void With_too_little_history_anywhere_the_lead_time_applies_and_says_so()
    {
        var forecast = Forecast(Groups(0, 0, 12, 29), Build.Day(10));

        Assert.False(forecast.FromHistory);
        Assert.Null(forecast.Probability);
        Assert.Equal(Build.Day(28), forecast.LeadTimeDate);
        Assert.Equal("Based on the standard lead time of 28 days for installation promises.", forecast.Basis);
        Assert.Equal("Too little history (29 promises in the last 24 months, fewer than 30 in any group): the standard lead time applies.", forecast.Fallback);
    }

    [Fact]
    public void The_basis_names_the_group_in_one_sentence()
    {
        var forecast = Forecast(Groups(10, 214, 300, 400));

        Assert.Equal("Based on 214 installation promises of the Service department in the last 24 months.", forecast.Basis);
        Assert.Equal("Too few promises like this one (10 installation promises of the Service department on deals of 10,000 to 100,000 with 5 milestones, fewer than 30), so a broader group is used.", forecast.Fallback);
    }

    [Fact]
    public void The_finest_group_is_described_with_value_and_plan()
    {
        var forecast = Forecast(Groups(31, 214, 300, 400));

        Assert.Equal("Based on 31 installation promises of the Service department on deals of 10,000 to 100,000 with 5 milestones in the last 24 months.", forecast.Basis);
        Assert.Null(forecast.Fallback);
    }

    [Fact]
    public void The_chance_and_the_dates_come_from_the_curve_counted_from_today()
    {
        // Promises done on days 1..100, evenly.
        var curve = SurvivalCurve.Estimate(Enumerable.Range(1, 100).Select(d => new PromiseObservation(d, true)));

        var forecast = Forecast(_ => curve, Build.Day(70));

        Assert.Equal(0.70, forecast.Probability!.Value, 9);
        Assert.Equal((Build.Day(50), Build.Day(80), Build.Day(90)), (forecast.Date50, forecast.Date80, forecast.Date90));
        Assert.True(forecast.IsBelow(0.71m));
        Assert.False(forecast.IsBelow(0.70m));
    }

    [Fact]
    public void Durations_are_counted_by_the_calendar_given()
    {
        var curve = SurvivalCurve.Estimate(Enumerable.Range(1, 100).Select(d => new PromiseObservation(d, true)));
        var doubled = new DoubleDays();

        var forecast = PromiseForecaster.ForNewPromise(Subject, _ => curve, Build.Today, Build.Day(70), LeadTimes.Defaults, ForecastSettings.Defaults, doubled);

        Assert.Equal(1.0, forecast.Probability!.Value, 9); // 70 calendar days count as 140: beyond every promise
        Assert.Equal(Build.Day(40), forecast.Date80); // day 80 of the curve, counted back in the calendar's days
    }

    [Fact]
    public void An_open_promise_is_forecast_from_those_still_undone_at_its_age()
    {
        var curve = SurvivalCurve.Estimate(Enumerable.Range(0, 30).Select(i => new PromiseObservation(i % 10 + 1, true)));

        // Made 6 days ago: undone through yesterday (day 5); promised on day 8 from promising.
        var forecast = PromiseForecaster.ForOpenPromise(Subject, _ => curve, Build.Day(-6), Build.Today, Build.Day(2), ForecastSettings.Defaults, CalendarDays.Instance);

        Assert.Equal(0.6, forecast!.Probability!.Value, 9);
        Assert.Equal(Build.Day(-6).AddDays(9), forecast.Date80);
    }

    [Fact]
    public void An_open_promise_older_than_any_in_the_history_has_no_forecast()
    {
        var curve = SurvivalCurve.Estimate(Enumerable.Range(1, 40).Select(d => new PromiseObservation(d % 10 + 1, true)));

        Assert.Null(PromiseForecaster.ForOpenPromise(Subject, _ => curve, Build.Day(-30), Build.Today, Build.Day(5), ForecastSettings.Defaults, CalendarDays.Instance));
    }

    [Fact]
    public void An_open_promise_with_half_its_plan_done_is_forecast_from_similar_promises_timed_from_that_stage()
    {
        // By age the history is slow (done on day 20); timed from reaching half, the same promises finish 3 days later.
        var byAge = Curve(40, day: 20);
        var fromHalf = Curve(40, day: 3);
        var progress = new PlanProgress(PlanStage.HalfDone, Build.Day(-1));

        var forecast = PromiseForecaster.ForOpenPromise(
            Subject, g => g.Stage == PlanStage.HalfDone ? fromHalf : g.Stage is null ? byAge : null,
            Build.Day(-6), Build.Today, Build.Day(4), ForecastSettings.Defaults, CalendarDays.Instance, progress);

        Assert.Equal(1.0, forecast!.Probability!.Value, 9);
        Assert.Equal(PlanStage.HalfDone, forecast.Group!.Stage);
        Assert.Equal(Build.Day(2), forecast.Date80); // three days after reaching half
        Assert.Equal(
            "Based on 40 installation promises of the Service department on deals of 10,000 to 100,000 with 5 milestones, timed from when half of their milestones were done, in the last 24 months.",
            forecast.Basis);
    }

    [Fact]
    public void Without_enough_history_at_the_stage_an_open_promise_is_forecast_from_its_age()
    {
        var byAge = Curve(40, day: 20);
        var thin = Curve(29, day: 3);
        var progress = new PlanProgress(PlanStage.Started, Build.Day(-1));

        var forecast = PromiseForecaster.ForOpenPromise(
            Subject, g => g.Stage is null ? byAge : thin, Build.Day(-6), Build.Today, Build.Day(4), ForecastSettings.Defaults, CalendarDays.Instance, progress);

        Assert.Null(forecast!.Group!.Stage);
        Assert.Equal(0.0, forecast.Probability!.Value, 9); // day 10 from promising; the age history finishes on day 20
    }

    [Fact]
    public void A_new_promise_counts_working_days_across_a_weekend_and_a_holiday()
    {
        // Every similar promise took 5 working days. Today is Monday 2 March; Friday 6 March is a holiday.
        var calendar = Calendars.WorkingCalendar.Default(Guid.NewGuid());
        calendar.AddHoliday(Build.Day(4), "Founders' day");
        var curve = Curve(40, day: 5);

        var onFriday = PromiseForecaster.ForNewPromise(Subject, _ => curve, Build.Today, Build.Day(4), LeadTimes.Defaults, ForecastSettings.Defaults, calendar);
        var onMonday = PromiseForecaster.ForNewPromise(Subject, _ => curve, Build.Today, Build.Day(7), LeadTimes.Defaults, ForecastSettings.Defaults, calendar);

        Assert.Equal(0.0, onFriday.Probability!.Value, 9); // Tue-Thu: 3 working days
        Assert.Equal(0.0, onMonday.Probability!.Value, 9); // Tue-Thu and Mon 9: 4
        Assert.Equal(1.0, PromiseForecaster.ForNewPromise(Subject, _ => curve, Build.Today, Build.Day(8), LeadTimes.Defaults, ForecastSettings.Defaults, calendar).Probability!.Value, 9);
        Assert.Equal(Build.Day(8), onMonday.Date80); // the fifth working day: Tuesday 10 March
    }

    private sealed class DoubleDays : IDurationCalendar
    {
        public int DaysBetween(DateOnly from, DateOnly to) => 2 * (to.DayNumber - from.DayNumber);

        public DateOnly AddDays(DateOnly from, int days) => from.AddDays(days / 2);
    }
}

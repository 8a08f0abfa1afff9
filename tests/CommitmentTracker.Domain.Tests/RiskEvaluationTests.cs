using System.Globalization;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Tests;

/// <summary>Every risk rule at its boundaries. The promise is logged on day 0 (2 Mar); the test moves the clock.</summary>
public sealed class RiskEvaluationTests
{
    /// <summary>A delivery of ours logged today and promised for day 20 (22 Mar), without milestones.</summary>
    private static Commitment Promise(Deal? deal = null, int promisedDay = 20) =>
        Build.Promise(deal, Build.Ours(promised: Build.Day(promisedDay), aggressiveReason: "Stock on hand"));

    private static RiskAssessment Evaluate(Commitment promise, DateOnly on, RiskSettings? settings = null, IEnumerable<Commitment>? customer = null) =>
        RiskEvaluator.Evaluate(promise, customer ?? [], settings ?? RiskSettings.Defaults, Build.At(on));

    private static RiskAssessment Evaluate(Commitment promise, DateTimeOffset now) =>
        RiskEvaluator.Evaluate(promise, [], RiskSettings.Defaults, now);

    private static string[] Rules(RiskAssessment assessment) => assessment.Reasons.Select(r => r.Rule).ToArray();

    private static RiskReason Reason(RiskAssessment assessment, string rule) => Assert.Single(assessment.Reasons, r => r.Rule == rule);

    // ---------- late ----------

    [Theory]
    [InlineData(-1, RiskLevel.OnTrack)]
    [InlineData(0, RiskLevel.OnTrack)]
    [InlineData(1, RiskLevel.Late)]
    [InlineData(2, RiskLevel.Late)]
    public void A_promise_is_late_only_from_the_day_after_its_promised_date(int daysFromPromise, RiskLevel expected)
    {
        var promise = Promise();

        var assessment = Evaluate(promise, Build.Day(20 + daysFromPromise));

        Assert.Equal(expected, assessment.Level);
        Assert.Equal(expected == RiskLevel.Late ? [RiskRule.Late] : [], Rules(assessment));
    }

    [Fact]
    public void A_late_promise_says_how_late_and_since_the_day_after_the_promise()
    {
        var promise = Promise();

        var reason = Reason(Evaluate(promise, Build.Day(23)), RiskRule.Late);

        Assert.Equal("Not done and 3 days past the promised 22 Mar", reason.Sentence);
        Assert.Equal(Build.Day(21), reason.Since);
        Assert.False(reason.CustomerCaused);
        Assert.Equal("Not done and 1 day past the promised 22 Mar", Reason(Evaluate(promise, Build.Day(21)), RiskRule.Late).Sentence);
    }

    [Fact]
    public void The_day_turns_at_midnight_UTC()
    {
        var promise = Promise();

        Assert.Equal(RiskLevel.OnTrack, Evaluate(promise, Build.At(Build.Day(20), 23, 59)).Level);
        Assert.Equal(RiskLevel.Late, Evaluate(promise, Build.At(Build.Day(21), 0, 0)).Level);
        // 23:00 in New York on the promised day is already the next day in UTC.
        Assert.Equal(RiskLevel.Late, Evaluate(promise, new DateTimeOffset(Build.Day(20).ToDateTime(new TimeOnly(23, 0)), TimeSpan.FromHours(-5))).Level);
    }

    [Fact]
    public void A_broken_promise_is_still_evaluated_as_late()
    {
        var promise = Promise();
        promise.RefreshStatus(Build.Day(21));

        Assert.Equal(CommitmentStatus.Broken, promise.Status);
        Assert.Equal(RiskLevel.Late, Evaluate(promise, Build.Day(21)).Level);
    }

    // ---------- at risk: forecast past the promise ----------

    [Fact]
    public void A_forecast_on_the_promised_date_is_not_past_it()
    {
        var promise = Promise();
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(18));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(20)), Build.Day(1));

        var assessment = Evaluate(promise, Build.Day(1));

        Assert.DoesNotContain(RiskRule.ForecastPastPromise, Rules(assessment));
        Assert.Equal(RiskLevel.Watch, assessment.Level);
    }

    [Fact]
    public void A_forecast_one_day_past_the_promise_puts_it_at_risk()
    {
        var promise = Promise();
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(18));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(21)), Build.Day(1));

        var assessment = Evaluate(promise, Build.Day(1));

        Assert.Equal(RiskLevel.AtRisk, assessment.Level);
        var reason = Reason(assessment, RiskRule.ForecastPastPromise);
        Assert.Equal("Install forecast 23 Mar is 1 day past the promised 22 Mar", reason.Sentence);
        Assert.Equal(Build.Day(1), reason.Since);
    }

    [Fact]
    public void The_sentence_names_the_milestone_and_both_dates()
    {
        var promise = Promise(promisedDay: 5);
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(4));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(10)), Build.Day(0));

        var reason = Reason(Evaluate(promise, Build.Day(0)), RiskRule.ForecastPastPromise);

        Assert.Equal("Install forecast 12 Mar is 5 days past the promised 7 Mar", reason.Sentence);
    }

    [Fact]
    public void Dates_in_sentences_do_not_follow_the_current_culture()
    {
        var promise = Promise(promisedDay: 5);
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(4));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(10)), Build.Day(0));
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");

            Assert.Equal("Install forecast 12 Mar is 5 days past the promised 7 Mar", Reason(Evaluate(promise, Build.Day(0)), RiskRule.ForecastPastPromise).Sentence);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Without_a_forecast_a_planned_date_past_the_promise_puts_it_at_risk()
    {
        var promise = Promise();
        promise.AddMilestone("Install", Build.ServiceUser, Build.Day(25));

        var assessment = Evaluate(promise, Build.Day(2));

        Assert.Equal(RiskLevel.AtRisk, assessment.Level);
        var reason = Reason(assessment, RiskRule.ForecastPastPromise);
        Assert.Equal("Install is planned for 27 Mar, 5 days past the promised 22 Mar", reason.Sentence);
        Assert.Equal(Build.Today, reason.Since);
    }

    [Fact]
    public void A_forecast_before_the_promise_overrides_a_plan_past_it()
    {
        var promise = Promise();
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(25));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(10)), Build.Day(1));

        Assert.Equal(RiskLevel.OnTrack, Evaluate(promise, Build.Day(1)).Level);
    }

    [Fact]
    public void A_finished_milestone_no_longer_counts()
    {
        var promise = Promise();
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(25));
        promise.AddMilestone("Hand over", Build.ServiceUser, Build.Day(19));
        Build.UpdateOn(promise, install, Build.Skipped(), Build.Day(1));

        Assert.DoesNotContain(RiskRule.ForecastPastPromise, Rules(Evaluate(promise, Build.Day(1))));
    }

    [Fact]
    public void A_forecast_past_the_promise_dates_from_the_update_that_first_pushed_it_past()
    {
        var promise = Promise();
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(18));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(18)), Build.Day(1));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(22)), Build.Day(3));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(24)), Build.Day(5));

        Assert.Equal(Build.Day(3), Reason(Evaluate(promise, Build.Day(6)), RiskRule.ForecastPastPromise).Since);

        // Back in time, then past again: a new condition with a new start.
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(19)), Build.Day(7));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(23)), Build.Day(9));

        Assert.Equal(Build.Day(9), Reason(Evaluate(promise, Build.Day(9)), RiskRule.ForecastPastPromise).Since);
    }

    [Fact]
    public void A_renegotiated_date_that_the_forecast_passes_dates_from_the_renegotiation()
    {
        var promise = Promise();
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(12));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(15)), Build.Day(1));
        promise.Renegotiate(Build.Day(14), "Eva Buyer", Build.At(Build.Day(4)), "Their line is ready sooner", Build.Rep, Build.At(Build.Day(4)), Build.Day(4));

        var reason = Reason(Evaluate(promise, Build.Day(5)), RiskRule.ForecastPastPromise);

        Assert.Equal(Build.Day(4), reason.Since);
        Assert.Equal("Install forecast 17 Mar is 1 day past the promised 16 Mar", reason.Sentence);
    }

    // ---------- at risk: blocked ----------

    [Fact]
    public void A_blocked_milestone_puts_the_promise_at_risk_with_the_reason()
    {
        var promise = Promise();
        var ship = promise.AddMilestone("Ship", Build.ServiceUser, Build.Day(15));
        Build.UpdateOn(promise, ship, Build.Blocked("Parts held at customs"), Build.Day(4));
        Build.UpdateOn(promise, ship, Build.Blocked("Parts held at customs, broker chased", forecast: Build.Day(16)), Build.Day(6));

        var assessment = Evaluate(promise, Build.Day(7));

        Assert.Equal(RiskLevel.AtRisk, assessment.Level);
        var reason = Reason(assessment, RiskRule.Blocked);
        Assert.Equal("Ship is blocked since 6 Mar: Parts held at customs, broker chased", reason.Sentence);
        Assert.Equal(Build.Day(4), reason.Since);
        Assert.False(reason.CustomerCaused);
    }

    [Fact]
    public void An_unblocked_milestone_no_longer_puts_the_promise_at_risk()
    {
        var promise = Promise();
        var ship = promise.AddMilestone("Ship", Build.ServiceUser, Build.Day(15));
        Build.UpdateOn(promise, ship, Build.Blocked("Parts held at customs"), Build.Day(4));
        Build.UpdateOn(promise, ship, Build.InProgress(), Build.Day(6));

        Assert.Equal(RiskLevel.OnTrack, Evaluate(promise, Build.Day(7)).Level);
    }

    // ---------- at risk: the customer's promise is overdue ----------

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, false)]
    [InlineData(11, true)]
    public void An_overdue_customer_promise_on_the_deal_puts_ours_at_risk_from_the_day_after_it_was_due(int day, bool atRisk)
    {
        var deal = Build.Deal();
        var ours = Promise(deal);
        var theirs = Build.Promise(deal, Build.Theirs(promised: Build.Day(10)));

        var assessment = Evaluate(ours, Build.Day(day), customer: [theirs]);

        Assert.Equal(atRisk ? RiskLevel.AtRisk : RiskLevel.OnTrack, assessment.Level);
        Assert.Equal(atRisk ? [RiskRule.CustomerOverdue] : [], Rules(assessment));
    }

    [Fact]
    public void An_overdue_customer_promise_is_marked_customer_caused()
    {
        var deal = Build.Deal();
        var ours = Promise(deal);
        var theirs = Build.Promise(deal, Build.Theirs(promised: Build.Day(10), description: "Provide floor plans"));

        var reason = Reason(Evaluate(ours, Build.Day(12), customer: [theirs]), RiskRule.CustomerOverdue);

        Assert.True(reason.CustomerCaused);
        Assert.Equal("The customer's promise \"Provide floor plans\" was due 12 Mar and is 2 days overdue", reason.Sentence);
        Assert.Equal(Build.Day(11), reason.Since);
    }

    [Fact]
    public void A_customer_promise_still_overdue_after_it_was_marked_broken_counts()
    {
        var deal = Build.Deal();
        var ours = Promise(deal);
        var theirs = Build.Promise(deal, Build.Theirs(promised: Build.Day(10)));
        theirs.RefreshStatus(Build.Day(11));

        Assert.Equal(CommitmentStatus.Broken, theirs.Status);
        Assert.Equal(RiskLevel.AtRisk, Evaluate(ours, Build.Day(11), customer: [theirs]).Level);
    }

    [Fact]
    public void A_customer_promise_kept_late_or_waived_is_not_overdue()
    {
        var deal = Build.Deal();
        var ours = Promise(deal);
        var keptLate = Build.Promise(deal, Build.Theirs(promised: Build.Day(10)));
        keptLate.Complete(Build.Day(12), Build.Day(12));
        var waived = Build.Promise(deal, Build.Theirs(promised: Build.Day(8)));
        waived.Waive("We scan the plans ourselves", Build.Rep, Build.At(Build.Day(5)));

        var assessment = Evaluate(ours, Build.Day(13), customer: [keptLate, waived]);

        Assert.Equal(CommitmentStatus.KeptLate, keptLate.Status);
        Assert.Equal(RiskLevel.OnTrack, assessment.Level);
    }

    [Fact]
    public void Only_the_customers_promises_on_the_same_deal_count()
    {
        var deal = Build.Deal();
        var ours = Promise(deal);
        var otherDeals = Build.Promise(draft: Build.Theirs(promised: Build.Day(10)));
        var ourOtherPromise = Build.Promise(deal, Build.Ours(CommitmentKind.Training, promised: Build.Day(10), aggressiveReason: "Trainer free"));

        Assert.Equal(RiskLevel.OnTrack, Evaluate(ours, Build.Day(12), customer: [otherDeals, ourOtherPromise]).Level);
    }

    // ---------- watch: forecast near the promise ----------

    [Theory]
    [InlineData(0, true)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public void A_forecast_within_the_window_before_the_promise_is_watched(int daysBeforePromise, bool watched)
    {
        var promise = Promise();
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(10));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(20 - daysBeforePromise)), Build.Day(1));

        var assessment = Evaluate(promise, Build.Day(1));

        Assert.Equal(watched ? RiskLevel.Watch : RiskLevel.OnTrack, assessment.Level);
        Assert.Equal(watched ? [RiskRule.ForecastNearPromise] : [], Rules(assessment));
    }

    [Fact]
    public void A_near_forecast_says_how_much_room_is_left()
    {
        var promise = Promise();
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(10));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(18)), Build.Day(2));

        var reason = Reason(Evaluate(promise, Build.Day(3)), RiskRule.ForecastNearPromise);

        Assert.Equal("Install forecast 20 Mar is only 2 days before the promised 22 Mar", reason.Sentence);
        Assert.Equal(Build.Day(2), reason.Since);

        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(20)), Build.Day(3));

        Assert.Equal("Install forecast 22 Mar is the promised date itself: no room for a slip", Reason(Evaluate(promise, Build.Day(3)), RiskRule.ForecastNearPromise).Sentence);
    }

    [Fact]
    public void A_wider_watch_window_in_the_settings_watches_an_earlier_forecast()
    {
        var promise = Promise();
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(10));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(14)), Build.Day(1));

        Assert.Equal(RiskLevel.OnTrack, Evaluate(promise, Build.Day(1)).Level);
        Assert.Equal(RiskLevel.Watch, Evaluate(promise, Build.Day(1), RiskSettings.Defaults with { WatchWithinDays = 7 }).Level);
        Assert.Equal(RiskLevel.OnTrack, Evaluate(promise, Build.Day(1), RiskSettings.Defaults with { WatchWithinDays = 5 }).Level);
    }

    [Fact]
    public void Only_the_latest_forecast_of_the_unfinished_milestones_is_compared()
    {
        var promise = Promise();
        var ship = promise.AddMilestone("Ship", Build.ServiceUser, Build.Day(10));
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(12));
        Build.UpdateOn(promise, ship, Build.InProgress(forecast: Build.Day(18)), Build.Day(1));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(19)), Build.Day(1));

        var reason = Reason(Evaluate(promise, Build.Day(1)), RiskRule.ForecastNearPromise);

        Assert.StartsWith("Install forecast 21 Mar", reason.Sentence, StringComparison.Ordinal);
    }

    // ---------- watch: a milestone behind plan ----------

    [Theory]
    [InlineData(4, false)]
    [InlineData(5, false)]
    [InlineData(6, true)]
    public void A_milestone_is_behind_plan_from_the_day_after_its_planned_date(int day, bool behind)
    {
        var promise = Promise();
        promise.AddMilestone("Order parts", Build.ServiceUser, Build.Day(5));
        promise.AddMilestone("Install", Build.ServiceUser, Build.Day(19));

        var assessment = Evaluate(promise, Build.Day(day));

        Assert.Equal(behind ? RiskLevel.Watch : RiskLevel.OnTrack, assessment.Level);
        Assert.Equal(behind ? [RiskRule.MilestoneBehindPlan] : [], Rules(assessment));
    }

    [Fact]
    public void A_milestone_behind_plan_says_by_how_much_and_that_the_promise_is_still_reachable()
    {
        var promise = Promise();
        var order = promise.AddMilestone("Order parts", Build.ServiceUser, Build.Day(5));
        var reason = Reason(Evaluate(promise, Build.Day(8)), RiskRule.MilestoneBehindPlan);

        Assert.Equal("Order parts was planned for 7 Mar and is 3 days behind plan; the promised 22 Mar is still reachable", reason.Sentence);
        Assert.Equal(Build.Day(6), reason.Since);

        Build.UpdateOn(promise, order, Build.InProgress(forecast: Build.Day(9)), Build.Day(8));

        Assert.Equal(
            "Order parts was planned for 7 Mar and is 3 days behind plan; its forecast 11 Mar still meets the promised 22 Mar",
            Reason(Evaluate(promise, Build.Day(8)), RiskRule.MilestoneBehindPlan).Sentence);
    }

    [Fact]
    public void A_milestone_behind_plan_whose_forecast_misses_the_promise_is_at_risk_not_watched()
    {
        var promise = Promise();
        var order = promise.AddMilestone("Order parts", Build.ServiceUser, Build.Day(5));
        Build.UpdateOn(promise, order, Build.InProgress(forecast: Build.Day(21)), Build.Day(6));

        var assessment = Evaluate(promise, Build.Day(7));

        Assert.Equal(RiskLevel.AtRisk, assessment.Level);
        Assert.Equal([RiskRule.ForecastPastPromise], Rules(assessment));
    }

    [Fact]
    public void A_finished_milestone_is_never_behind_plan()
    {
        var promise = Promise();
        var order = promise.AddMilestone("Order parts", Build.ServiceUser, Build.Day(5));
        promise.AddMilestone("Install", Build.ServiceUser, Build.Day(19));
        Build.UpdateOn(promise, order, Build.Done(Build.Day(7)), Build.Day(7));

        Assert.Equal(RiskLevel.OnTrack, Evaluate(promise, Build.Day(8)).Level);
    }

    // ---------- watch: stale ----------

    [Theory]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(6, true)]
    public void A_milestone_in_progress_is_stale_after_the_set_days_without_an_update(int idleDays, bool stale)
    {
        var promise = Promise();
        var build = promise.AddMilestone("Build and configure", Build.ServiceUser, Build.Day(15));
        Build.UpdateOn(promise, build, Build.InProgress(), Build.Day(1));

        var assessment = Evaluate(promise, Build.Day(1 + idleDays));

        Assert.Equal(stale ? RiskLevel.Watch : RiskLevel.OnTrack, assessment.Level);
        Assert.Equal(stale ? [RiskRule.Stale] : [], Rules(assessment));
    }

    [Fact]
    public void A_stale_milestone_says_when_it_was_last_updated_and_is_stale_since_the_threshold_day()
    {
        var promise = Promise();
        var build = promise.AddMilestone("Build and configure", Build.ServiceUser, Build.Day(15));
        Build.UpdateOn(promise, build, Build.InProgress(), Build.Day(1));

        var reason = Reason(Evaluate(promise, Build.Day(8)), RiskRule.Stale);

        Assert.Equal("Build and configure is in progress with no update for 7 days (last 3 Mar)", reason.Sentence);
        Assert.Equal(Build.Day(6), reason.Since);
    }

    [Fact]
    public void The_stale_threshold_follows_the_settings()
    {
        var promise = Promise();
        var build = promise.AddMilestone("Build and configure", Build.ServiceUser, Build.Day(15));
        Build.UpdateOn(promise, build, Build.InProgress(), Build.Day(1));
        var patient = RiskSettings.Defaults with { StaleAfterDays = 10 };

        Assert.Equal(RiskLevel.OnTrack, Evaluate(promise, Build.Day(10), patient).Level);
        Assert.Equal(RiskLevel.Watch, Evaluate(promise, Build.Day(11), patient).Level);
    }

    [Fact]
    public void An_update_resets_staleness()
    {
        var promise = Promise();
        var build = promise.AddMilestone("Build and configure", Build.ServiceUser, Build.Day(15));
        Build.UpdateOn(promise, build, Build.InProgress(), Build.Day(1));
        Build.UpdateOn(promise, build, Build.InProgress(forecast: Build.Day(14)), Build.Day(7));

        Assert.Equal(RiskLevel.OnTrack, Evaluate(promise, Build.Day(8)).Level);
    }

    [Fact]
    public void Only_milestones_in_progress_go_stale()
    {
        var promise = Promise();
        promise.AddMilestone("Not started yet", Build.ServiceUser, Build.Day(15));
        var done = promise.AddMilestone("Done long ago", Build.ServiceUser, Build.Day(15));
        Build.UpdateOn(promise, done, Build.Done(Build.Day(1)), Build.Day(1));

        Assert.Equal(RiskLevel.OnTrack, Evaluate(promise, Build.Day(12)).Level);
    }

    // ---------- watch: behind schedule ----------

    /// <summary>Four milestones planned for the last days before the promise (day 20), so only the schedule rule can fire.</summary>
    private static (Commitment Promise, Milestone[] Steps) FourSteps()
    {
        var promise = Promise();
        var steps = Enumerable.Range(1, 4).Select(i => promise.AddMilestone($"Step {i}", Build.ServiceUser, Build.Day(16 + i))).ToArray();
        return (promise, steps);
    }

    [Theory]
    [InlineData(14, 2, false)]
    [InlineData(15, 2, true)]
    [InlineData(15, 3, false)]
    [InlineData(16, 3, false)]
    [InlineData(16, 0, true)]
    public void Three_quarters_of_the_time_gone_with_under_three_quarters_finished_is_watched(int day, int finished, bool watched)
    {
        var (promise, steps) = FourSteps();
        foreach (var step in steps.Take(finished))
            Build.UpdateOn(promise, step, Build.Done(Build.Day(1)), Build.Day(1));

        var assessment = Evaluate(promise, Build.Day(day));

        Assert.Equal(watched ? RiskLevel.Watch : RiskLevel.OnTrack, assessment.Level);
        Assert.Equal(watched ? [RiskRule.BehindSchedule] : [], Rules(assessment));
    }

    [Fact]
    public void Behind_schedule_says_how_much_time_and_work_is_done()
    {
        var (promise, steps) = FourSteps();
        Build.UpdateOn(promise, steps[0], Build.Done(Build.Day(1)), Build.Day(1));
        Build.UpdateOn(promise, steps[1], Build.Skipped(), Build.Day(1));

        var reason = Reason(Evaluate(promise, Build.Day(16)), RiskRule.BehindSchedule);

        Assert.Equal("80% of the time to the promised 22 Mar has passed with 2 of 4 milestones finished", reason.Sentence);
        Assert.Equal(Build.Day(15), reason.Since);
    }

    [Fact]
    public void Skipped_milestones_count_as_finished_for_the_schedule()
    {
        var (promise, steps) = FourSteps();
        foreach (var step in steps.Take(3))
            Build.UpdateOn(promise, step, Build.Skipped(), Build.Day(1));

        Assert.DoesNotContain(RiskRule.BehindSchedule, Rules(Evaluate(promise, Build.Day(16))));
    }

    [Fact]
    public void A_promise_without_milestones_is_never_behind_schedule()
    {
        var promise = Promise();

        Assert.Equal(RiskLevel.OnTrack, Evaluate(promise, Build.Day(20)).Level);
    }

    [Fact]
    public void The_schedule_shares_follow_the_settings()
    {
        var (promise, steps) = FourSteps();
        Build.UpdateOn(promise, steps[0], Build.Done(Build.Day(1)), Build.Day(1));
        var earlier = RiskSettings.Defaults with { ScheduleElapsedShare = 0.5m };
        var stricter = RiskSettings.Defaults with { ScheduleDoneShare = 1m };

        Assert.Equal(RiskLevel.OnTrack, Evaluate(promise, Build.Day(9), earlier).Level);
        Assert.Equal(RiskLevel.Watch, Evaluate(promise, Build.Day(10), earlier).Level);
        Build.UpdateOn(promise, steps[1], Build.Done(Build.Day(2)), Build.Day(2));
        Build.UpdateOn(promise, steps[2], Build.Done(Build.Day(2)), Build.Day(2));
        Assert.Equal(RiskLevel.OnTrack, Evaluate(promise, Build.Day(15)).Level);
        Assert.Equal(RiskLevel.Watch, Evaluate(promise, Build.Day(15), stricter).Level);
    }

    // ---------- what is evaluated, and how reasons combine ----------

    [Fact]
    public void Closed_promises_are_on_track_whatever_their_milestones_say()
    {
        var kept = Promise();
        kept.Complete(Build.Day(0), Build.Day(0));
        var keptLate = Promise();
        var step = keptLate.AddMilestone("Install", Build.ServiceUser, Build.Day(25));
        Build.UpdateOn(keptLate, step, Build.Done(Build.Day(22)), Build.Day(22));
        var waived = Promise();
        waived.AddMilestone("Install", Build.ServiceUser, Build.Day(25));
        waived.Waive("Customer cancelled the line", Build.Rep, Build.At(Build.Day(1)));

        Assert.Equal(
            [CommitmentStatus.Kept, CommitmentStatus.KeptLate, CommitmentStatus.Waived],
            [kept.Status, keptLate.Status, waived.Status]);
        foreach (var closed in new[] { kept, keptLate, waived })
            Assert.Equal(RiskAssessment.OnTrack, Evaluate(closed, Build.Day(30)));
    }

    [Fact]
    public void The_customers_own_promises_are_not_assessed()
    {
        var theirs = Build.Promise(draft: Build.Theirs(promised: Build.Day(10)));

        var assessment = Evaluate(theirs, Build.Day(15));

        Assert.Equal(RiskLevel.OnTrack, assessment.Level);
        Assert.Empty(assessment.Reasons);
    }

    [Fact]
    public void Every_reason_that_applies_is_kept_worst_first_and_the_level_is_the_worst()
    {
        var deal = Build.Deal();
        var promise = Promise(deal);
        var ship = promise.AddMilestone("Ship", Build.ServiceUser, Build.Day(15));
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(19));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(24)), Build.Day(2));
        Build.UpdateOn(promise, ship, Build.Blocked("Parts held at customs"), Build.Day(3));
        var theirs = Build.Promise(deal, Build.Theirs(promised: Build.Day(10)));

        var assessment = Evaluate(promise, Build.Day(22), customer: [theirs]);

        Assert.Equal(RiskLevel.Late, assessment.Level);
        Assert.Equal(
            [RiskRule.Late, RiskRule.ForecastPastPromise, RiskRule.Blocked, RiskRule.CustomerOverdue, RiskRule.Stale, RiskRule.BehindSchedule],
            Rules(assessment));
        Assert.Equal([false, false, false, true, false, false], assessment.Reasons.Select(r => r.CustomerCaused));
    }

    [Fact]
    public void Evaluation_is_pure_the_same_inputs_give_the_same_answer_and_nothing_changes()
    {
        var promise = Promise();
        var install = promise.AddMilestone("Install", Build.ServiceUser, Build.Day(18));
        Build.UpdateOn(promise, install, Build.InProgress(forecast: Build.Day(21)), Build.Day(1));

        var first = Evaluate(promise, Build.Day(2));
        var second = Evaluate(promise, Build.Day(2));

        Assert.Equal(first.Level, second.Level);
        Assert.Equal(first.Reasons, second.Reasons);
        Assert.Equal((RiskLevel.OnTrack, (DateTimeOffset?)null), (promise.RiskLevel, promise.RiskEvaluatedAt));
    }

    // ---------- settings ----------

    [Fact]
    public void The_default_settings_are_those_of_the_design()
    {
        var settings = RiskSettings.Defaults;

        Assert.Equal((3, 5, 0.75m, 0.75m), (settings.WatchWithinDays, settings.StaleAfterDays, settings.ScheduleElapsedShare, settings.ScheduleDoneShare));
        Assert.Equal(settings, new RiskSettings());
        Assert.Equal(settings, new RiskSettings(3, 5, 0.75m, 0.75m));
    }

    [Theory]
    [InlineData(-1, 5, 0.75, 0.75)]
    [InlineData(91, 5, 0.75, 0.75)]
    [InlineData(3, 0, 0.75, 0.75)]
    [InlineData(3, 5, 0, 0.75)]
    [InlineData(3, 5, 1.01, 0.75)]
    [InlineData(3, 5, 0.75, -0.5)]
    [InlineData(3, 5, 0.75, 75)]
    public void Nonsense_settings_are_refused(int watchWithinDays, int staleAfterDays, double elapsedShare, double doneShare)
    {
        var ex = Assert.Throws<DomainException>(() => new RiskSettings(watchWithinDays, staleAfterDays, (decimal)elapsedShare, (decimal)doneShare));

        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public void Changing_one_setting_is_checked_too()
    {
        var ex = Assert.Throws<DomainException>(() => RiskSettings.Defaults with { StaleAfterDays = 0 });

        Assert.Contains("stale", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_edges_of_the_settings_are_allowed()
    {
        var settings = new RiskSettings(0, 1, 1m, 1m);

        Assert.Equal((0, 1, 1m, 1m), (settings.WatchWithinDays, settings.StaleAfterDays, settings.ScheduleElapsedShare, settings.ScheduleDoneShare));
    }
}

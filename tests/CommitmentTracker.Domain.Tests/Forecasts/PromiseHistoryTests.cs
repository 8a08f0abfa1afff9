using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Forecasts;

namespace CommitmentTracker.Domain.Tests.Forecasts;

/// <summary>How each promise enters the history: completed ones are events, open and broken ones censored, waived ones left out.</summary>
public sealed class PromiseHistoryTests
{
    private static readonly DateOnly MadeOn = Build.Day(-40);

    private static PromiseObservation? Observe(CommitmentStatus status, DateOnly? completedOn = null) =>
        PromiseHistory.Observe(status, MadeOn, completedOn, Build.Today, CalendarDays.Instance);

    [Theory]
    [InlineData(CommitmentStatus.Kept)]
    [InlineData(CommitmentStatus.KeptLate)]
    public void A_completed_promise_is_done_after_the_days_from_promising_to_completion(CommitmentStatus status)
    {
        Assert.Equal(new PromiseObservation(25, true), Observe(status, Build.Day(-15)));
    }

    [Theory]
    [InlineData(CommitmentStatus.Open)]
    [InlineData(CommitmentStatus.Broken)]
    public void An_open_or_broken_promise_counts_as_undone_through_yesterday(CommitmentStatus status)
    {
        Assert.Equal(new PromiseObservation(39, false), Observe(status));
    }

    [Fact]
    public void A_waived_promise_is_left_out()
    {
        Assert.Null(Observe(CommitmentStatus.Waived));
    }

    [Fact]
    public void A_promise_made_today_tells_nothing_yet()
    {
        Assert.Null(PromiseHistory.Observe(CommitmentStatus.Open, Build.Today, null, Build.Today, CalendarDays.Instance));
    }

    [Fact]
    public void A_renegotiated_promise_counts_from_the_day_it_was_first_made_and_its_first_date()
    {
        var promise = Build.Promise(draft: Build.Ours(promised: Build.Day(30)));
        promise.Renegotiate(Build.Day(45), "Eva Buyer", Build.At(Build.Day(5)), "Parts late", Build.Rep, Build.At(Build.Day(5)), Build.Day(5));
        promise.Renegotiate(Build.Day(50), "Eva Buyer", Build.At(Build.Day(20)), "Parts later", Build.Rep, Build.At(Build.Day(20)), Build.Day(20));

        Assert.Equal(Build.Today, PromiseHistory.MadeOn(promise));
        Assert.Equal(Build.Day(30), PromiseHistory.FirstPromisedDate(promise));
        Assert.Equal(new PromiseObservation(24, false), PromiseHistory.Observe(promise, Build.Day(25), CalendarDays.Instance));
    }

    [Fact]
    public void With_a_working_calendar_durations_are_working_days()
    {
        // Made on Monday 2 March (Build.Today); Friday 6 March a holiday. Done on Tuesday 10 March: Tue-Thu, Mon, Tue = 5.
        var calendar = Calendars.WorkingCalendar.Default(Guid.NewGuid());
        calendar.AddHoliday(Build.Day(4), "Founders' day");

        Assert.Equal(new PromiseObservation(5, true), PromiseHistory.Observe(CommitmentStatus.Kept, Build.Today, Build.Day(8), Build.Day(20), calendar));
        // Still open on Monday 9 March: undone through Sunday, 3 working days after it was made.
        Assert.Equal(new PromiseObservation(3, false), PromiseHistory.Observe(CommitmentStatus.Open, Build.Today, null, Build.Day(7), calendar));
    }
}

using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Forecasts;

namespace CommitmentTracker.Domain.Tests.Forecasts;

/// <summary>How far a promise's plan is, and the day it got there: the point an open promise is forecast from.</summary>
public sealed class PlanProgressTests
{
    [Theory]
    [InlineData(0, 4, PlanStage.NotStarted)]
    [InlineData(1, 4, PlanStage.Started)]
    [InlineData(2, 4, PlanStage.HalfDone)]
    [InlineData(3, 4, PlanStage.HalfDone)]
    [InlineData(4, 4, PlanStage.AllDone)]
    [InlineData(1, 1, PlanStage.AllDone)]
    [InlineData(1, 3, PlanStage.Started)]
    [InlineData(2, 3, PlanStage.HalfDone)]
    [InlineData(0, 0, PlanStage.NotStarted)]
    public void The_stage_is_none_fewer_than_half_half_or_more_or_all_of_the_milestones_done(int done, int planned, PlanStage expected)
    {
        Assert.Equal(expected, PlanProgress.StageOf(done, planned));
    }

    [Fact]
    public void The_stage_is_reached_on_the_day_the_milestone_that_brought_the_plan_there_was_done()
    {
        // Four milestones, three done (out of order): half was reached with the second done, on day -6.
        var progress = PlanProgress.Of([Build.Day(-2), Build.Day(-10), Build.Day(-6)], planned: 4, madeOn: Build.Day(-20));

        Assert.Equal(new PlanProgress(PlanStage.HalfDone, Build.Day(-6)), progress);
    }

    [Fact]
    public void A_plan_with_nothing_done_is_at_its_start_since_the_promise_was_made()
    {
        Assert.Equal(new PlanProgress(PlanStage.NotStarted, Build.Day(-20)), PlanProgress.Of([], planned: 3, madeOn: Build.Day(-20)));
    }

    [Fact]
    public void Skipped_milestones_do_not_count_and_done_ones_count_by_their_completion_day()
    {
        var progress = PlanProgress.Of(
            [
                (MilestoneStatus.Done, Build.Day(-9)),
                (MilestoneStatus.Skipped, null),
                (MilestoneStatus.Done, Build.Day(-4)),
                (MilestoneStatus.InProgress, null),
            ],
            madeOn: Build.Day(-20));

        // Two of three planned done: half or more, reached with the first done (one of three is fewer than half).
        Assert.Equal(new PlanProgress(PlanStage.HalfDone, Build.Day(-4)), progress);
    }
}

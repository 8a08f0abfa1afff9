namespace CommitmentTracker.Domain.Forecasts;

/// <summary>How far an open promise's milestone plan is: the state the chance of keeping it is estimated from.</summary>
public enum PlanStage
{
    /// <summary>No milestone done yet (or no plan): only the promise's age tells.</summary>
    NotStarted,

    /// <summary>Some milestones done, fewer than half.</summary>
    Started,

    /// <summary>Half or more done, not all.</summary>
    HalfDone,

    /// <summary>Every milestone done; the promise is not yet marked kept.</summary>
    AllDone,
}

/// <summary>
/// The stage a promise's plan reached and the day it got there: the day the milestone that brought it into the stage was
/// done. Past promises are timed from the same point, so "similar promises at this stage" compares like with like.
/// </summary>
public sealed record PlanProgress(PlanStage Stage, DateOnly ReachedOn)
{
    /// <summary>The stage of <paramref name="done"/> milestones done out of <paramref name="planned"/> (skipped ones not counted).</summary>
    public static PlanStage StageOf(int done, int planned) =>
        planned <= 0 || done <= 0 ? PlanStage.NotStarted
        : done >= planned ? PlanStage.AllDone
        : 2 * done >= planned ? PlanStage.HalfDone
        : PlanStage.Started;

    /// <summary>
    /// The progress of a plan of <paramref name="planned"/> milestones whose done ones were completed on
    /// <paramref name="doneOn"/>; a plan with none done is at <see cref="PlanStage.NotStarted"/> since the promise was made.
    /// </summary>
    public static PlanProgress Of(IEnumerable<DateOnly> doneOn, int planned, DateOnly madeOn)
    {
        ArgumentNullException.ThrowIfNull(doneOn);
        var days = doneOn.Order().ToList();
        var stage = StageOf(days.Count, planned);
        if (stage == PlanStage.NotStarted)
            return new(stage, madeOn);
        // The first count of done milestones that falls in the stage: its milestone brought the plan there.
        var first = Enumerable.Range(1, days.Count).First(k => StageOf(k, planned) == stage);
        return new(stage, days[first - 1]);
    }

    /// <summary>The progress of a promise's milestones: done ones count by their completion day, skipped ones not at all.</summary>
    public static PlanProgress Of(IEnumerable<(Commitments.MilestoneStatus Status, DateOnly? CompletedOn)> milestones, DateOnly madeOn)
    {
        var list = milestones.ToList();
        var done = list.Where(m => m.Status == Commitments.MilestoneStatus.Done && m.CompletedOn is not null).Select(m => m.CompletedOn!.Value);
        return Of(done, list.Count(m => m.Status != Commitments.MilestoneStatus.Skipped), madeOn);
    }

    /// <summary>The point similar promises are timed from, for the basis sentence.</summary>
    public static string Describe(PlanStage stage) => stage switch
    {
        PlanStage.Started => "timed from their first milestone done",
        PlanStage.HalfDone => "timed from when half of their milestones were done",
        PlanStage.AllDone => "timed from their last milestone done",
        _ => "timed from when they were made",
    };

    /// <summary>"At this stage" in the risk reason's words.</summary>
    public static string AtStage(PlanStage stage) => stage switch
    {
        PlanStage.Started => "with their first milestones done",
        PlanStage.HalfDone => "with half of their milestones done",
        PlanStage.AllDone => "with every milestone done",
        _ => "still open at this age",
    };
}

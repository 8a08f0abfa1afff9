namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// One run of the periodic risk sweep, by whichever instance took it: when it started and finished, how many promises
/// changed level, and which instance ran it. Several instances share one timetable through these rows (a run is skipped
/// when another instance ran one within the interval), and the health endpoint reads the last one.
/// </summary>
public sealed class RiskSweepRun
{
    public long Id { get; set; }
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>Null while it runs, or when the run failed (its instance stopped or the database went away).</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>How many promises changed level; null until it finished.</summary>
    public int? PromisesChanged { get; set; }

    /// <summary>The instance that ran it (<c>App:InstanceName</c>, else host name and process id).</summary>
    public string Instance { get; set; } = "";
}

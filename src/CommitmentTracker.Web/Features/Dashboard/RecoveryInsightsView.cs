using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Recovery;

namespace CommitmentTracker.Web.Features.Dashboard;

/// <summary>The lesson of one closed recovery plan, with the promise and deal it was about.</summary>
public sealed record RecoveryLesson
{
    public Guid PlanId { get; init; }
    public DateTimeOffset ClosedAt { get; init; }
    public RootCause RootCause { get; init; }
    public Department Department { get; init; }
    public string Lesson { get; init; } = "";
    public Guid DealId { get; init; }
    public string DealTitle { get; init; } = "";
    public string PromiseDescription { get; init; } = "";
    public RecoveryOutcome Outcome { get; init; }
}

/// <summary>What the recovery plans of one team (or every team, for an admin) teach, over a window of days.</summary>
public sealed record RecoveryInsightsView
{
    /// <summary>False for a manager not (yet) appointed to a team: there is nothing to show.</summary>
    public bool HasTeam { get; init; } = true;

    /// <summary>The team shown; null when an admin looks at every team, or a manager has no team.</summary>
    public Guid? TeamId { get; init; }

    public int WindowDays { get; init; }

    /// <summary>Plans closed since then count; open plans always do.</summary>
    public DateTimeOffset WindowStart { get; init; }

    public RecoveryFigures Figures { get; init; } = RecoveryFigures.Empty;

    /// <summary>The first page of the lessons of the plans closed in the window, newest first.</summary>
    public IReadOnlyList<RecoveryLesson> Lessons { get; init; } = [];

    /// <summary>How many lessons the window holds in all.</summary>
    public int LessonsTotal { get; init; }

    /// <summary>The window in words: "12 months" for a year, else days.</summary>
    public string WindowLabel => WindowDays == 365 ? "12 months" : $"{WindowDays} days";

}

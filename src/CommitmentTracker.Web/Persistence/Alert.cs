using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// One alert to one person: a promise rose to AtRisk or Late. Written in the same transaction as the change that
/// raised the level (an outbox): the bell reads it at once, and the mail dispatcher sends it and records when.
/// </summary>
public sealed class Alert
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid CommitmentId { get; set; }
    public Guid DealId { get; set; }
    public string RecipientId { get; set; } = "";
    public RiskLevel Level { get; set; }
    public string Title { get; set; } = "";
    public string Reasons { get; set; } = "";

    /// <summary>When the rise was detected (the evaluation that raised the level).</summary>
    public DateTimeOffset DetectedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
    /// <summary>When the mail went out: detection to alert latency is <c>EmailedAt - DetectedAt</c>.</summary>
    public DateTimeOffset? EmailedAt { get; set; }

    public int EmailAttempts { get; set; }
    public string? EmailError { get; set; }

    /// <summary>
    /// Not before this time may the mail dispatcher try again: set when an instance claims the alert (a lease, so a
    /// crashed instance's claim expires) and after a failure (the backoff).
    /// </summary>
    public DateTimeOffset? EmailNextAttemptAt { get; set; }

    /// <summary>The W3C trace parent of the save that raised it: its mail joins that trace (Observability/Telemetry).</summary>
    public string? TraceParent { get; set; }
}

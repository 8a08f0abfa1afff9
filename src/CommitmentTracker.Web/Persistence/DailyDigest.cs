namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// That a manager's daily digest for a day was handled (sent, or found nothing at risk). One row per manager and day:
/// the key keeps it once a day across restarts and instances.
/// </summary>
public sealed class DailyDigest
{
    public string ManagerId { get; set; } = "";
    public DateOnly Date { get; set; }
    public DateTimeOffset SentAt { get; set; }

    /// <summary>How many at-risk promises it listed; 0 means no mail was needed.</summary>
    public int Promises { get; set; }
}

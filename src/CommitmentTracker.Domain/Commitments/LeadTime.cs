namespace CommitmentTracker.Domain.Commitments;

/// <summary>The standard lead time of one kind of promise, set by an admin.</summary>
public sealed class LeadTime
{
    private LeadTime() { }

    public LeadTime(CommitmentKind kind, int days)
    {
        Guard.Defined(kind, "Kind");
        Kind = kind;
        Set(days);
    }

    public CommitmentKind Kind { get; private set; }
    public int Days { get; private set; }

    public void Set(int days)
    {
        if (days is < 0 or > 730)
            throw new DomainException("A lead time must be between 0 and 730 days.");
        Days = days;
    }

    public static LeadTimes ToPolicy(IEnumerable<LeadTime> rows) =>
        new(rows.ToDictionary(r => r.Kind, r => r.Days));
}

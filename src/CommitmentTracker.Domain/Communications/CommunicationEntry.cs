namespace CommitmentTracker.Domain.Communications;

/// <summary>Who a communication went to or came from.</summary>
public enum CommunicationDirection { ToCustomer, FromCustomer, Internal }

/// <summary>
/// One entry of a deal's communication log. Append-only: there are no methods that change an entry;
/// a correction is a new entry that points to the one it corrects.
/// </summary>
public sealed class CommunicationEntry
{
    private CommunicationEntry() { }

    public Guid Id { get; private set; }
    public Guid DealId { get; private set; }
    public Guid? CommitmentId { get; private set; }
    public CommunicationChannel Channel { get; private set; }
    public CommunicationDirection Direction { get; private set; }
    public string People { get; private set; } = "";
    public string Summary { get; private set; } = "";
    public DateTimeOffset OccurredAt { get; private set; }
    public string LoggedBy { get; private set; } = "";
    public DateTimeOffset LoggedAt { get; private set; }

    /// <summary>The earlier entry this one corrects, if it is a correction.</summary>
    public Guid? CorrectsEntryId { get; private set; }

    /// <summary>The received email this entry logs (<see cref="InboundEmail"/>), kept whole as the record.</summary>
    public Guid? EmailId { get; private set; }

    public static CommunicationEntry Log(
        Guid dealId, Guid? commitmentId, CommunicationChannel channel, CommunicationDirection direction,
        string people, string summary, DateTimeOffset occurredAt, string loggedBy, DateTimeOffset now, Guid? emailId = null)
    {
        Guard.Defined(channel, "Channel");
        Guard.Defined(direction, "Direction");
        if (occurredAt > now.AddMinutes(5))
            throw new DomainException("A communication cannot be logged in the future.");
        return new CommunicationEntry
        {
            Id = Guid.NewGuid(),
            DealId = dealId,
            CommitmentId = commitmentId,
            Channel = channel,
            Direction = direction,
            People = Guard.Required(people, "People", FieldLengths.Name),
            Summary = Guard.Required(summary, "Summary", FieldLengths.Text),
            OccurredAt = occurredAt,
            LoggedBy = loggedBy,
            LoggedAt = now,
            EmailId = emailId,
        };
    }

    /// <summary>Writes a new entry that corrects this one; this entry stays as it was.</summary>
    public CommunicationEntry CorrectWith(string summary, string loggedBy, DateTimeOffset now)
    {
        var text = summary ?? "";
        if (string.Equals(text.Trim(), Summary, StringComparison.Ordinal))
            throw new DomainException("The correction says the same as the entry it corrects: write what should have been recorded.");
        var correction = Log(DealId, CommitmentId, Channel, Direction, People, text, OccurredAt, loggedBy, now, EmailId);
        correction.CorrectsEntryId = Id;
        return correction;
    }
}

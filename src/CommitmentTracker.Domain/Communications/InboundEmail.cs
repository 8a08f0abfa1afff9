namespace CommitmentTracker.Domain.Communications;

/// <summary>Where a received email stands: waiting in its user's inbox, logged on a deal, or discarded by its user.</summary>
public enum InboundEmailStatus { Inbox, Logged, Discarded }

/// <summary>An attachment of a received email, listed only: its content is not kept.</summary>
public sealed record EmailAttachment(string Name, long Size, string ContentType);

/// <summary>
/// An email received by the app's own mail listener, kept as the record of what was written (sender, recipients, subject,
/// text; attachments listed). It is logged on a deal as a communication entry at once when it can be matched, else it waits
/// in the inbox of the user it was sent to until they file it to a deal or discard it. What was written never changes.
/// </summary>
public sealed class InboundEmail
{
    /// <summary>The longest text kept of a message; the rest is cut, and the cut said.</summary>
    public const int MaxTextLength = 100_000;

    private readonly List<EmailAttachment> _attachments = [];

    private InboundEmail() { }

    public Guid Id { get; private set; }

    /// <summary>The Message-ID header, when the mail had one; the same message sent to two app addresses is kept once.</summary>
    public string? MessageId { get; private set; }

    public string FromAddress { get; private set; } = "";
    public string FromName { get; private set; } = "";

    /// <summary>Every recipient the message names (To and Cc) and the app addresses it was delivered to (BCC shows only here).</summary>
    public string Recipients { get; private set; } = "";

    public string Subject { get; private set; } = "";

    /// <summary>The plain text of the message (HTML converted to text).</summary>
    public string TextBody { get; private set; } = "";

    /// <summary>When the sender sent it (the Date header), else when it was received.</summary>
    public DateTimeOffset SentAt { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>The user whose address it was sent to: whose inbox it waits in. Null for mail sent only to a deal's address.</summary>
    public string? InboxUserId { get; private set; }

    public InboundEmailStatus Status { get; private set; }
    public Guid? DealId { get; private set; }

    /// <summary>The communication entry the message is logged as.</summary>
    public Guid? CommunicationEntryId { get; private set; }

    /// <summary>Who filed or discarded it from the inbox ("system" when it was matched on arrival), and when.</summary>
    public string? HandledBy { get; private set; }

    public DateTimeOffset? HandledAt { get; private set; }

    public IReadOnlyList<EmailAttachment> Attachments => _attachments;

    /// <summary>A received message, waiting in <paramref name="inboxUserId"/>'s inbox until it is logged.</summary>
    public static InboundEmail Receive(
        string? messageId, string fromAddress, string? fromName, string recipients, string? subject, string? textBody,
        DateTimeOffset? sentAt, IEnumerable<EmailAttachment> attachments, string? inboxUserId, DateTimeOffset now)
    {
        var text = Clean(textBody ?? "");
        if (text.Length > MaxTextLength)
            text = text[..MaxTextLength] + "\n[… the rest of the message was cut]";
        var email = new InboundEmail
        {
            Id = Guid.NewGuid(),
            MessageId = Cut(messageId, 500),
            FromAddress = Cut(fromAddress, FieldLengths.Name) ?? "",
            FromName = Cut(fromName, FieldLengths.Name) ?? "",
            Recipients = Cut(recipients, FieldLengths.Text) ?? "",
            Subject = Cut(subject, FieldLengths.Title) ?? "",
            TextBody = text,
            SentAt = sentAt is { } s && s <= now.AddMinutes(5) ? s : now,
            ReceivedAt = now,
            InboxUserId = inboxUserId,
            Status = InboundEmailStatus.Inbox,
        };
        email._attachments.AddRange(attachments.Select(a => a with
        {
            Name = Cut(a.Name, FieldLengths.Name) ?? "(unnamed)",
            ContentType = Cut(a.ContentType, FieldLengths.ShortText) ?? "",
        }));
        return email;
    }

    /// <summary>Who it is from, as a person reads it: "Hannah Berg &lt;hannah@customer.example&gt;".</summary>
    public string Sender => string.IsNullOrWhiteSpace(FromName) ? FromAddress : $"{FromName} <{FromAddress}>";

    /// <summary>
    /// Logs the message on a deal as a communication entry from or to the customer; the entry keeps the subject and the
    /// start of the text, and points back to this record. A message is logged once.
    /// </summary>
    public CommunicationEntry LogTo(Guid dealId, CommunicationDirection direction, string byUserId, DateTimeOffset now)
    {
        if (Status != InboundEmailStatus.Inbox)
            throw new DomainException(Status == InboundEmailStatus.Logged
                ? "This email is already logged on a deal."
                : "This email was discarded.");
        var entry = CommunicationEntry.Log(
            dealId, null, CommunicationChannel.Email, direction, People(), Summary(), SentAt, byUserId, now, Id);
        Status = InboundEmailStatus.Logged;
        DealId = dealId;
        CommunicationEntryId = entry.Id;
        HandledBy = byUserId;
        HandledAt = now;
        return entry;
    }

    /// <summary>Removes the message from the inbox without logging it; it stays as a record of what was received.</summary>
    public void Discard(string byUserId, DateTimeOffset now)
    {
        if (Status != InboundEmailStatus.Inbox)
            throw new DomainException(Status == InboundEmailStatus.Logged
                ? "This email is already logged on a deal."
                : "This email was already discarded.");
        Status = InboundEmailStatus.Discarded;
        HandledBy = byUserId;
        HandledAt = now;
    }

    /// <summary>The subject and the start of the text, as the log shows it.</summary>
    public string Summary()
    {
        const int start = 600;
        var body = string.Join(' ', TextBody.Split(['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        if (body.Length > start)
            body = body[..start].TrimEnd() + " …";
        var subject = string.IsNullOrWhiteSpace(Subject) ? "(no subject)" : Subject;
        return body.Length == 0 ? $"Email: {subject}" : $"Email: {subject}\n{body}";
    }

    private string People()
    {
        var people = $"{Sender} → {Recipients}";
        return people.Length <= FieldLengths.Name ? people : people[..(FieldLengths.Name - 1)] + "…";
    }

    private static string? Cut(string? value, int max)
    {
        if (value is null)
            return null;
        var text = Clean(value).Replace('\n', ' ').Trim();
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    /// <summary>Control characters other than line breaks and tabs are dropped: mail is not typed by our users.</summary>
    private static string Clean(string value) =>
        new(value.Replace("\r\n", "\n", StringComparison.Ordinal).Where(c => !char.IsControl(c) || c is '\n' or '\t').ToArray());
}

/// <summary>The app's mail addresses: one per deal (deal-&lt;first 12 hex digits of its id&gt;) and one per user.</summary>
public static class InboundAddress
{
    private const string DealPrefix = "deal-";
    private const int DealKeyLength = 12;

    /// <summary>The local part of a deal's address, e.g. "deal-3f2a9c0b1d4e".</summary>
    public static string DealLocalPart(Guid dealId) => DealPrefix + dealId.ToString("N")[..DealKeyLength];

    /// <summary>The first and last id a deal's address can stand for (ids are unique in their first 48 bits in practice).</summary>
    public static (Guid From, Guid To)? DealIdRange(string localPart)
    {
        var local = (localPart ?? "").Trim().ToLowerInvariant();
        if (!local.StartsWith(DealPrefix, StringComparison.Ordinal) || local.Length != DealPrefix.Length + DealKeyLength)
            return null;
        var key = local[DealPrefix.Length..];
        if (!key.All(Uri.IsHexDigit))
            return null;
        return (Guid.ParseExact(key + new string('0', 20), "N"), Guid.ParseExact(key + new string('f', 20), "N"));
    }

    /// <summary>The local part of a user's address: their sign-in email's local part, letters, digits, dots and dashes only.</summary>
    public static string UserLocalPart(string email)
    {
        var local = (email ?? "").Split('@')[0].ToLowerInvariant();
        var slug = new string(local.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-').ToArray()).Trim('-', '.');
        return slug.StartsWith(DealPrefix, StringComparison.Ordinal) ? "user-" + slug : slug;
    }
}

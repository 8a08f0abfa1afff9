namespace CommitmentTracker.Web.Persistence;

/// <summary>Where a webhook delivery stands: waiting to be sent (or retried), delivered, or given up on.</summary>
public enum WebhookDeliveryStatus { Pending, Delivered, Failed }

/// <summary>
/// One event to one webhook: the outbox row, written in the same transaction as the change that raised the event, and
/// sent (and retried) by the webhook dispatcher. The body is fixed when the event happens, so a retry sends the same bytes.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid WebhookId { get; set; }

    /// <summary>The event's id, the same for every hook told of it: receivers use it to ignore a repeat.</summary>
    public Guid EventId { get; set; }

    /// <summary>The event's wire name, e.g. <c>promise.kept</c>.</summary>
    public string EventType { get; set; } = "";

    /// <summary>The JSON body sent.</summary>
    public string Body { get; set; } = "";

    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public WebhookDeliveryStatus Status { get; set; }

    /// <summary>Tries so far, counted since it was (re)queued.</summary>
    public int Attempts { get; set; }

    /// <summary>Not before this time may a dispatcher send it: the backoff after a failure, or a claim's lease.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>One try at sending a delivery, kept as a record: the answer's status and (the start of) its body, or the error.</summary>
public sealed class WebhookAttempt
{
    public const int ResponseBodyLength = 1000;

    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid DeliveryId { get; set; }
    public int Number { get; set; }
    public DateTimeOffset AttemptedAt { get; set; }
    public int? StatusCode { get; set; }
    public string? ResponseBody { get; set; }
    public int DurationMs { get; set; }
    public string? Error { get; set; }
    public bool Succeeded { get; set; }
}

/// <summary>
/// A secret calendar (ICS) address of one user: their own dates (no account), or one account's as they may see it. Only
/// the SHA-256 of the token is stored; resetting replaces it, so the old address stops working at once.
/// </summary>
public sealed class CalendarFeed
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string UserId { get; set; } = "";
    public Guid? AccountId { get; set; }
    public byte[] TokenHash { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}

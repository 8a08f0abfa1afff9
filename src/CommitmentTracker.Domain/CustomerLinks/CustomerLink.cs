namespace CommitmentTracker.Domain.CustomerLinks;

/// <summary>Where a customer's link stands at a moment: it opens only while <see cref="Active"/>.</summary>
public enum CustomerLinkState { Active, Expired, Revoked }

/// <summary>
/// A secret link to one deal that its customer opens without signing in, to read the deal in plain words, acknowledge the
/// checklist, confirm outcomes and comment. Only the SHA-256 of its token (<see cref="ShareToken"/>) is stored; it expires by
/// itself and can be revoked by anyone who may change the deal (the service's access check). Who created and who revoked
/// it, and when, stays on it: links are revoked, never deleted.
/// </summary>
public sealed class CustomerLink
{
    /// <summary>The expiries offered, in days; the default is <see cref="DefaultExpiryDays"/>.</summary>
    public static IReadOnlyList<int> ExpiryChoices { get; } = [14, 30, 90];

    public const int DefaultExpiryDays = 30;

    /// <summary>No link lives longer: a deal changes, and a link forwarded around should not work for ever.</summary>
    public const int MaxExpiryDays = 90;

    /// <summary>How the audit trail names the customer acting through a link: <c>customer via link {id}</c>.</summary>
    public const string ActorPrefix = "customer via link ";

    private CustomerLink() { }

    public Guid Id { get; private set; }
    public Guid DealId { get; private set; }

    /// <summary>SHA-256 of the secret token; the token itself is shown once, to its creator, and never stored.</summary>
    public byte[] TokenHash { get; private set; } = [];

    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public string? RevokedBy { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Who the customer is in the audit trail, the communication log and milestone updates when they act through this link.</summary>
    public string Actor => ActorPrefix + Id.ToString("N")[..8];

    /// <summary>True when an audit or log entry's author is a customer acting through a link, not a user.</summary>
    public static bool IsCustomerActor(string? changedBy) => changedBy is not null && changedBy.StartsWith(ActorPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Creates a link for a deal; <paramref name="tokenHash"/> is <see cref="ShareToken.Hash"/> of a new token. Who may
    /// create one is the service's access check (those who may change the deal); this guards the link's own rules.
    /// </summary>
    public static CustomerLink Create(Guid dealId, byte[] tokenHash, int expiryDays, string createdBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tokenHash);
        if (dealId == Guid.Empty)
            throw new DomainException("A customer's link belongs to a deal.");
        if (tokenHash.Length != ShareToken.HashLength)
            throw new DomainException("The link's secret is not valid.");
        if (expiryDays is < 1 or > MaxExpiryDays)
            throw new DomainException($"A customer's link expires after 1 to {MaxExpiryDays} days.");
        if (string.IsNullOrWhiteSpace(createdBy))
            throw new DomainException("A link is created by someone.");
        return new CustomerLink
        {
            Id = Guid.NewGuid(),
            DealId = dealId,
            TokenHash = tokenHash.ToArray(),
            CreatedBy = createdBy,
            CreatedAt = now,
            ExpiresAt = now.AddDays(expiryDays),
        };
    }

    /// <summary>Revoked outranks expired: a revoked link says so whatever its expiry.</summary>
    public CustomerLinkState StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? CustomerLinkState.Revoked
        : now >= ExpiresAt ? CustomerLinkState.Expired
        : CustomerLinkState.Active;

    /// <summary>True while the customer's page opens and takes their acts: not revoked, not expired.</summary>
    public bool IsActiveAt(DateTimeOffset now) => StateAt(now) == CustomerLinkState.Active;

    /// <summary>Why the link cannot be revoked now (already revoked, or expired), or null when it can.</summary>
    public string? WhyCannotRevoke(DateTimeOffset now) => StateAt(now) switch
    {
        CustomerLinkState.Revoked => "This link was already revoked.",
        CustomerLinkState.Expired => "This link has expired already: it no longer opens.",
        _ => null,
    };

    /// <summary>Revokes the link: from now on the customer's page says it is no longer valid.</summary>
    public void Revoke(string userId, DateTimeOffset now)
    {
        if (WhyCannotRevoke(now) is { } why)
            throw new DomainException(why);
        if (string.IsNullOrWhiteSpace(userId))
            throw new DomainException("A link is revoked by someone.");
        RevokedBy = userId;
        RevokedAt = now;
    }
}

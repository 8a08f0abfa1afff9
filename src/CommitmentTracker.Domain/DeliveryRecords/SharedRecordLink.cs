namespace CommitmentTracker.Domain.DeliveryRecords;

/// <summary>Whose delivery record a shared link shows.</summary>
public enum SharedRecordScope { Team, Rep }

/// <summary>Where a shared link stands at a moment: it opens only while <see cref="Active"/>.</summary>
public enum SharedRecordLinkState { Active, Expired, Revoked }

/// <summary>
/// A read-only public link to a delivery record (the team's, or one rep's), for a rep to show a prospect. It carries a
/// long random secret of which only a hash is stored, expires by itself, and can be revoked by the person who created it
/// or by someone who oversees the team (its managers, an admin). Who created and who revoked it, and when, stays on it.
/// </summary>
public sealed class SharedRecordLink
{
    /// <summary>The expiries offered, in days; the default is <see cref="DefaultExpiryDays"/>.</summary>
    public static IReadOnlyList<int> ExpiryChoices { get; } = [7, 30, 90, 180];

    public const int DefaultExpiryDays = 30;

    /// <summary>No link lives longer: a record shown to a prospect should be fresh enough to ask for again.</summary>
    public const int MaxExpiryDays = 365;

    /// <summary>The longest note (who the link is for), shown only to the staff who may revoke it.</summary>
    public const int NoteLength = FieldLengths.ShortText;

    private SharedRecordLink() { }

    public Guid Id { get; private set; }

    /// <summary>SHA-256 of the secret token; the token itself is shown once, to its creator, and never stored.</summary>
    public byte[] TokenHash { get; private set; } = [];

    public SharedRecordScope Scope { get; private set; }

    /// <summary>The team whose record it is, or the rep's team when it was created: whose managers oversee the link.</summary>
    public Guid TeamId { get; private set; }

    /// <summary>The rep whose record it shows (scope Rep); null for a team's record.</summary>
    public string? RepId { get; private set; }

    /// <summary>Who the link is for, in the creator's words ("Contoso's buyer"); internal, never shown on the public page.</summary>
    public string? Note { get; private set; }

    public string CreatedBy { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public string? RevokedBy { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>
    /// Creates a link for a record; <paramref name="tokenHash"/> is <see cref="ShareToken.Hash"/> of a new token.
    /// Who may share which record is the service's access check; this guards the link's own rules.
    /// </summary>
    public static SharedRecordLink Create(
        SharedRecordScope scope, Guid teamId, string? repId, byte[] tokenHash, int expiryDays, string? note, string createdBy, DateTimeOffset now)
    {
        Guard.Defined(scope, "Whose record");
        ArgumentNullException.ThrowIfNull(tokenHash);
        if (tokenHash.Length != ShareToken.HashLength)
            throw new DomainException("The link's secret is not valid.");
        if (teamId == Guid.Empty)
            throw new DomainException("A shared record belongs to a team: join a team first.");
        if (scope == SharedRecordScope.Rep && string.IsNullOrWhiteSpace(repId))
            throw new DomainException("Choose whose record to share.");
        if (expiryDays is < 1 or > MaxExpiryDays)
            throw new DomainException($"A link expires after 1 to {MaxExpiryDays} days.");
        if (string.IsNullOrWhiteSpace(createdBy))
            throw new DomainException("A link is created by someone.");
        return new SharedRecordLink
        {
            Id = Guid.NewGuid(),
            TokenHash = tokenHash.ToArray(),
            Scope = scope,
            TeamId = teamId,
            RepId = scope == SharedRecordScope.Rep ? repId : null,
            Note = Guard.Optional(note, "Note", NoteLength),
            CreatedBy = createdBy,
            CreatedAt = now,
            ExpiresAt = now.AddDays(expiryDays),
        };
    }

    /// <summary>Revoked outranks expired: a revoked link says so whatever its expiry.</summary>
    public SharedRecordLinkState StateAt(DateTimeOffset now) =>
        RevokedAt is not null ? SharedRecordLinkState.Revoked
        : now >= ExpiresAt ? SharedRecordLinkState.Expired
        : SharedRecordLinkState.Active;

    /// <summary>True while the public page may show the record: not revoked, not expired.</summary>
    public bool IsActiveAt(DateTimeOffset now) => StateAt(now) == SharedRecordLinkState.Active;

    /// <summary>
    /// Why <paramref name="userId"/> may not revoke the link now, or null when they may. The creator may; so may whoever
    /// <paramref name="oversees"/> the link's team (its managers, an admin); nobody else, not even a colleague in the team.
    /// </summary>
    public string? WhyCannotRevoke(string userId, bool oversees, DateTimeOffset now)
    {
        if (userId != CreatedBy && !oversees)
            return "Only the person who created this link, or a manager of the team, can revoke it.";
        return StateAt(now) switch
        {
            SharedRecordLinkState.Revoked => "This link was already revoked.",
            SharedRecordLinkState.Expired => "This link has expired already: it no longer opens.",
            _ => null,
        };
    }

    /// <summary>Revokes the link: from now on the public page says it is no longer valid.</summary>
    public void Revoke(string userId, bool oversees, DateTimeOffset now)
    {
        if (WhyCannotRevoke(userId, oversees, now) is { } why)
            throw new DomainException(why);
        RevokedBy = userId;
        RevokedAt = now;
    }
}

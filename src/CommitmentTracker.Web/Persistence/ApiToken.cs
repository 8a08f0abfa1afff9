using System.Security.Cryptography;
using CommitmentTracker.Domain;

namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// A personal API token: the API acts as its user, with that user's access, optionally read-only. Only the SHA-256 of the
/// secret is stored (the secret is shown once, to its creator); <see cref="Prefix"/> lets the user recognise it in lists.
/// A token expires by itself and can be revoked; a revoked one stays on record (who, when).
/// </summary>
public sealed class ApiToken
{
    /// <summary>Every token starts with this, so a leaked one is recognisable (secret scanners) and the API can tell it from other bearers.</summary>
    public const string TokenPrefix = "ct_";

    /// <summary>Characters of the token shown in lists: "ct_" and the first eight of the secret.</summary>
    public const int PrefixLength = 11;

    public const int NameLength = FieldLengths.ShortText;

    /// <summary>The expiries offered, in days; no token lives longer than <see cref="MaxExpiryDays"/>.</summary>
    public static IReadOnlyList<int> ExpiryChoices { get; } = [7, 30, 90, 365];

    public const int MaxExpiryDays = 365;

    private ApiToken() { }

    public Guid Id { get; private set; }
    public string UserId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string Prefix { get; private set; } = "";

    /// <summary>SHA-256 of the whole token text.</summary>
    public byte[] TokenHash { get; private set; } = [];

    public bool IsReadOnly { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public string? RevokedBy { get; private set; }

    /// <summary>A new token for <paramref name="userId"/>, and its secret text (to show once; it is not stored).</summary>
    public static (ApiToken Token, string Secret) Create(string userId, string name, int expiryDays, bool isReadOnly, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(userId))
            throw new DomainException("A token belongs to a user.");
        if (expiryDays is < 1 or > MaxExpiryDays)
            throw new DomainException($"A token expires after 1 to {MaxExpiryDays} days.");
        var secret = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ApiToken
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Name = name?.Trim() is { Length: > 0 and <= NameLength } trimmed ? trimmed
                : throw new DomainException($"Give the token a name of up to {NameLength} characters."),
            Prefix = secret[..PrefixLength],
            TokenHash = HashOf(secret),
            IsReadOnly = isReadOnly,
            CreatedAt = now,
            ExpiresAt = now.AddDays(expiryDays),
        };
        return (token, secret);
    }

    /// <summary>SHA-256 of a presented token's text.</summary>
    public static byte[] HashOf(string token) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));

    /// <summary>True when the text has the shape of a token (prefix, length, URL-safe base64): anything else is refused before a lookup.</summary>
    public static bool LooksLikeToken(string? text) =>
        text is { Length: 46 } && text.StartsWith(TokenPrefix, StringComparison.Ordinal)
        && text.AsSpan(TokenPrefix.Length).ToArray().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;

    /// <summary>Revokes the token; revoking it again changes nothing.</summary>
    public void Revoke(string byUserId, DateTimeOffset now)
    {
        if (RevokedAt is not null)
            return;
        RevokedAt = now;
        RevokedBy = byUserId;
    }
}

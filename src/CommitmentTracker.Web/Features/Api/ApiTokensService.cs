using CommitmentTracker.Domain;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>The form creating a personal API token.</summary>
public sealed class NewApiTokenInput
{
    public string Name { get; set; } = "";
    public int ExpiryDays { get; set; } = 90;
    public bool IsReadOnly { get; set; }
}

/// <summary>Validates a new token: a name to recognise it by, and an expiry of at most a year.</summary>
public sealed class NewApiTokenValidator : ModelValidator<NewApiTokenInput>
{
    public NewApiTokenValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Name the token after what uses it (\"CRM sync\"), so you can tell your tokens apart.")
            .MaximumLength(ApiToken.NameLength).WithMessage($"Keep the name under {ApiToken.NameLength} characters.");
        RuleFor(x => x.ExpiryDays).InclusiveBetween(1, ApiToken.MaxExpiryDays).WithMessage($"A token expires after 1 to {ApiToken.MaxExpiryDays} days.");
    }
}

/// <summary>A token in the list: never its secret, only the prefix to recognise it.</summary>
public sealed record ApiTokenRow(
    Guid Id, string Name, string Prefix, bool IsReadOnly, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt, string UserName)
{
    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && now < ExpiresAt;
}

/// <summary>A token just created, with its secret: shown once, never stored.</summary>
public sealed record ApiTokenCreated(ApiTokenRow Token, string Secret);

/// <summary>Creates, lists and revokes personal API tokens: each user their own; an admin may see and revoke everyone's.</summary>
public sealed class ApiTokensService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, NewApiTokenValidator validator)
{
    /// <summary>The actor's own tokens, newest first; with <paramref name="everyone"/>, an admin's view of every user's.</summary>
    public async Task<IReadOnlyList<ApiTokenRow>> ListAsync(Actor actor, bool everyone = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (everyone && !actor.IsAdmin)
            throw new AccessDeniedException("Only admins see everyone's API tokens.");
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tokens = db.ApiTokens.AsNoTracking();
        if (!everyone)
            tokens = tokens.Where(t => t.UserId == actor.UserId);
        return await tokens.OrderByDescending(t => t.CreatedAt).Take(500)
            .Select(t => new ApiTokenRow(t.Id, t.Name, t.Prefix, t.IsReadOnly, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt,
                db.Users.Where(u => u.Id == t.UserId).Select(u => u.DisplayName).First()))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Creates a token acting as the actor; the secret is in the result only.</summary>
    public async Task<ApiTokenCreated> CreateAsync(Actor actor, NewApiTokenInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await validator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var (token, secret) = ApiToken.Create(actor.UserId, input.Name, input.ExpiryDays, input.IsReadOnly, now);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return new ApiTokenCreated(
            new ApiTokenRow(token.Id, token.Name, token.Prefix, token.IsReadOnly, token.CreatedAt, token.ExpiresAt, null, null, actor.DisplayName), secret);
    }

    /// <summary>Revokes a token of the actor's (an admin: anyone's); another user's token is reported as not found.</summary>
    public async Task RevokeAsync(Actor actor, Guid tokenId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && (actor.IsAdmin || t.UserId == actor.UserId), cancellationToken)
            ?? throw new RecordNotFoundException("API token");
        token.Revoke(actor.UserId, now);
        await db.SaveChangesAsync(cancellationToken);
    }
}

using System.Security.Claims;
using System.Text.Encodings.Web;
using CommitmentTracker.Web.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>
/// Authenticates <c>Authorization: Bearer ct_…</c> with a personal API token: the token's hash is looked up (one index
/// probe), and an active token of an active user signs the request in as that user. Role, team and department are not
/// taken from the token: every endpoint reads the user afresh (<see cref="ApiCaller"/>), like every action in the app.
/// Challenges and refusals answer with problem details, never a redirect to the sign-in page.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    /// <summary>The claim saying the token may only read.</summary>
    public const string ReadOnlyClaim = "commitmenttracker:api_read_only";

    /// <summary>The claim carrying the token's id.</summary>
    public const string TokenIdClaim = "commitmenttracker:api_token";

    /// <summary>How often the "last used" time is written: not on every request, which would make every read a write.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    private const string FailureKey = "ct-api-auth-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var presented = header["Bearer ".Length..].Trim();
        if (!ApiToken.LooksLikeToken(presented))
            return Fail("The bearer token is not a CommitmentTracker API token (they start with ct_).");

        var hash = ApiToken.HashOf(presented);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(Context.RequestAborted);
        var token = await db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash)
            .Select(t => new { t.Id, t.UserId, t.IsReadOnly, t.ExpiresAt, t.RevokedAt, t.LastUsedAt, Active = db.Users.Any(u => u.Id == t.UserId && u.IsActive) })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (token is null)
            return Fail("The API token is not known.");
        if (token.RevokedAt is not null)
            return Fail("The API token was revoked.");
        if (now >= token.ExpiresAt)
            return Fail("The API token has expired.");
        if (!token.Active)
            return Fail("The token's user is deactivated.");

        if (token.LastUsedAt is null || now - token.LastUsedAt >= LastUsedResolution)
            await db.ApiTokens.Where(t => t.Id == token.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, token.UserId),
            new Claim(TokenIdClaim, token.Id.ToString()),
            new Claim(ReadOnlyClaim, token.IsReadOnly ? "true" : "false"),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private AuthenticateResult Fail(string why)
    {
        Context.Items[FailureKey] = why;
        return AuthenticateResult.Fail(why);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = Context.Items[FailureKey] as string
            ?? "Send a personal API token: Authorization: Bearer ct_… (create one under My settings › API tokens).";
        return ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Not signed in", detail);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "Not allowed", "This token may not do that.");
}

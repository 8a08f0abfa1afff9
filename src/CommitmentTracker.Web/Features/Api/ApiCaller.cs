using System.Globalization;
using System.Security.Claims;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>The user a request acts for (read afresh from the database, as every action in the app), and whether the token may only read.</summary>
public sealed record ApiCaller(Actor Actor, bool IsReadOnly)
{
    private const string Key = "ct-api-caller";

    /// <summary>The caller of this request; set by <see cref="Filter"/> before any endpoint of the API runs.</summary>
    public static ApiCaller Of(HttpContext context) =>
        context?.Items[Key] as ApiCaller ?? throw new InvalidOperationException("The API caller is read by the API group's filter.");

    /// <summary>
    /// Resolves the token's user into an <see cref="Actor"/> (a user deactivated or without a role since is refused with 401),
    /// and refuses every write of a read-only token with 403 before the endpoint runs.
    /// </summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        var dbFactory = context.RequestServices.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var actor = userId is null ? null : await ActorAccessor.LoadAsync(dbFactory, userId, context.RequestAborted);
        if (actor is null)
            throw new AccessChangedException(AccessChange.Deactivated);
        var readOnly = context.User.FindFirstValue(ApiTokenAuthenticationHandler.ReadOnlyClaim) == "true";
        if (readOnly && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            throw new AccessDeniedException("This API token is read-only: create a token without the read-only flag to make changes.");
        context.Items[Key] = new ApiCaller(actor, readOnly);
        return await next(invocation);
    }
}

/// <summary>The caller quoted no version of the record it changes (no If-Match): 428.</summary>
public sealed class PreconditionRequiredException(string message) : Exception(message);

/// <summary>Row versions as entity tags: ETag on reads, If-Match required on every change of an existing record.</summary>
public static class ApiVersions
{
    public static string ETagOf(uint version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Sets the response's ETag.</summary>
    public static void SetETag(this HttpContext context, uint version)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.ETag = ETagOf(version);
    }

    /// <summary>
    /// The version the caller quoted in If-Match. Missing (or "*", which quotes no version): 428. A value that is no version of
    /// ours cannot match the record: 412.
    /// </summary>
    public static uint RequiredVersion(this HttpContext context, string what)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
            throw new PreconditionRequiredException(
                $"Send If-Match with the ETag of the {what} you read (GET it first): changes are checked against the version you saw, so nobody's change is overwritten unseen.");
        if (header.StartsWith("W/", StringComparison.Ordinal))
            header = header[2..];
        if (header.Length >= 2 && header[0] == '"' && header[^1] == '"'
            && uint.TryParse(header[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            return version;
        throw new ConcurrencyConflictException($"If-Match does not hold an ETag of this {what}: GET it again and quote its ETag.");
    }

    /// <summary>Refuses with 412 when the record's current version is not the one quoted (before any work is done).</summary>
    public static void EnsureVersion(uint quoted, uint current, string what)
    {
        if (quoted != current)
            throw new ConcurrencyConflictException(
                $"This {what} was changed by someone else since you read it (your If-Match {ETagOf(quoted)}, now {ETagOf(current)}), so your change was not saved. GET it again, then apply your change.");
    }
}

using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace CommitmentTracker.Web.Features;

/// <summary>
/// The rate limit of a public page that needs no sign-in (a shared record, a customer's link): a fixed window of
/// <paramref name="permitsPerMinute"/> requests per client address, per instance and approximate by design (the 256-bit
/// tokens make guessing hopeless anyway; this keeps the page's queries bounded). Refusals are 429 with Retry-After and
/// the page's own message.
/// </summary>
public sealed class PerAddressRateLimit(int permitsPerMinute, string message) : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
    {
        context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.HttpContext.Response.Headers.RetryAfter = "60";
        context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
        await context.HttpContext.Response.WriteAsync(message, cancellationToken);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) => RateLimitPartition.GetFixedWindowLimiter(
        httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, permitsPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}

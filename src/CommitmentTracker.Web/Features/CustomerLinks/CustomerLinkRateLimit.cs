using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace CommitmentTracker.Web.Features.CustomerLinks;

/// <summary>
/// Caps how often one address may open or post to customers' pages, the same way as shared delivery records: a fixed window
/// of <c>CustomerLinks:PermitsPerMinute</c> requests per client address (default 60), per instance and approximate by
/// design. The 256-bit token makes guessing hopeless anyway; this keeps the page's queries (and its audit rows) bounded.
/// </summary>
public static class CustomerLinkRateLimit
{
    public const string Policy = "customer-link";

    public const string Message = "Too many requests from your address. Please wait a minute, then reload the page.";

    public static IServiceCollection AddCustomerLinkRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = Math.Max(1, configuration.GetValue("CustomerLinks:PermitsPerMinute", 60));
        services.AddRateLimiter(options => options.AddPolicy(Policy, new PerAddressPolicy(permits)));
        return services;
    }

    /// <summary>The policy with its own rejection text (the app-wide one speaks of shared records).</summary>
    private sealed class PerAddressPolicy(int permits) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, cancellationToken) =>
        {
            context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.HttpContext.Response.Headers.RetryAfter = "60";
            context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
            await context.HttpContext.Response.WriteAsync(Message, cancellationToken);
        };

        public RateLimitPartition<string> GetPartition(HttpContext httpContext) => RateLimitPartition.GetFixedWindowLimiter(
            httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }
}

using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace CommitmentTracker.Web.Features.DeliveryRecords;

/// <summary>
/// Caps how often one address may open shared records (the public page needs no sign-in, so nothing else slows a visitor
/// who tries tokens or reloads in a loop): <c>SharedRecords:PermitsPerMinute</c> per client address, default 60. Per
/// instance and approximate by design: the token's 256 bits make guessing hopeless anyway; this keeps the page's queries cheap.
/// </summary>
public static class SharedRecordRateLimit
{
    public const string Policy = "shared-record";

    public const string Message = "Too many requests for shared records from your address. Try again in a minute.";

    public static IServiceCollection AddSharedRecordRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = Math.Max(1, configuration.GetValue("SharedRecords:PermitsPerMinute", 60));
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(Message, cancellationToken);
            };
            options.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }
}

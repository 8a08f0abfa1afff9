namespace CommitmentTracker.Web.Features.DeliveryRecords;

/// <summary>
/// Caps how often one address may open shared records (the public page needs no sign-in, so nothing else slows a visitor
/// who tries tokens or reloads in a loop): <c>SharedRecords:PermitsPerMinute</c> per client address, default 60
/// (<see cref="PerAddressRateLimit"/>).
/// </summary>
public static class SharedRecordRateLimit
{
    public const string Policy = "shared-record";

    public const string Message = "Too many requests for shared records from your address. Try again in a minute.";

    public static IServiceCollection AddSharedRecordRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue("SharedRecords:PermitsPerMinute", 60);
        services.AddRateLimiter(options => options.AddPolicy(Policy, new PerAddressRateLimit(permits, Message)));
        return services;
    }
}

namespace CommitmentTracker.Web.Features.CustomerLinks;

/// <summary>
/// Caps how often one address may open or post to customers' pages: <c>CustomerLinks:PermitsPerMinute</c> requests per
/// client address (default 60), as for shared delivery records (<see cref="PerAddressRateLimit"/>).
/// </summary>
public static class CustomerLinkRateLimit
{
    public const string Policy = "customer-link";

    public const string Message = "Too many requests from your address. Please wait a minute, then reload the page.";

    public static IServiceCollection AddCustomerLinkRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue("CustomerLinks:PermitsPerMinute", 60);
        services.AddRateLimiter(options => options.AddPolicy(Policy, new PerAddressRateLimit(permits, Message)));
        return services;
    }
}

namespace CommitmentTracker.Web.Features.InboundMail;

/// <summary>Registers email that logs itself: the options, the service and the SMTP listener (which stays idle when off).</summary>
public static class InboundMailServiceCollectionExtensions
{
    public static IServiceCollection AddInboundMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<InboundMailOptions>(configuration.GetSection(InboundMailOptions.Section));
        services.AddScoped<InboundMailService>();
        services.AddSingleton<MailListener>();
        services.AddHostedService(sp => sp.GetRequiredService<MailListener>());
        return services;
    }
}

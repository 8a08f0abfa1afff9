using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CommitmentTracker.Web.Features.Webhooks;

/// <summary>Registers webhooks: the outbox written inside every save, the dispatcher, its HttpClient and the admin service.</summary>
public static class WebhooksFeature
{
    /// <summary>Register after risk: the outbox reads the rises and plans the risk interceptor adds to a save.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ISaveChangesInterceptor, WebhookOutbox>();
        services.Configure<WebhookOptions>(configuration.GetSection(WebhookOptions.Section));
        services.AddHttpClient(WebhookDispatcher.HttpClientName)
            // A receiver's redirect is not followed: the signed body goes only where the admin said.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            // The dispatcher's own per-try timeout (Webhooks:TimeoutSeconds) applies; this is only a backstop.
            .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromMinutes(2));
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddScoped<WebhooksService>();
        return services;
    }
}

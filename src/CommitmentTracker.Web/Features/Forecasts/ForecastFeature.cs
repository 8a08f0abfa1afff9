namespace CommitmentTracker.Web.Features.Forecasts;

/// <summary>Registers the promise forecast: the service the pages ask and the periodic recomputation of the curves.</summary>
public static class ForecastFeature
{
    public static IServiceCollection AddForecasts(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForecastRefreshOptions>(configuration.GetSection(ForecastRefreshOptions.Section));
        services.AddScoped<ForecastService>();
        services.AddSingleton<ForecastRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<ForecastRefresher>());
        return services;
    }
}

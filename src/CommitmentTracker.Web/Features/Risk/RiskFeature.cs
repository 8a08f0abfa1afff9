using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CommitmentTracker.Web.Features.Risk;

/// <summary>Registers risk: its re-evaluation inside every save (with what a rise sets off) and the periodic sweep.</summary>
public static class RiskFeature
{
    public static IServiceCollection AddRisk(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ISaveChangesInterceptor, RiskSaveInterceptor>();
        services.Configure<RiskSweepOptions>(configuration.GetSection(RiskSweepOptions.Section));
        services.Configure<RiskSweepOptions>(o => o.Instance = Persistence.AppInstance.Name(configuration));
        services.AddSingleton<RiskSweep>();
        services.AddHostedService(sp => sp.GetRequiredService<RiskSweep>());
        services.AddHealthChecks().AddCheck<RiskSweepHealthCheck>("risk-sweep", tags: ["ready"]);
        return services;
    }
}

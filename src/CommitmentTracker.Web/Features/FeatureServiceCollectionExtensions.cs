using CommitmentTracker.Web.Security;
using FluentValidation;

namespace CommitmentTracker.Web.Features;

/// <summary>Registers the feature services, one per capability.</summary>
public static class FeatureServiceCollectionExtensions
{
    public static IServiceCollection AddFeatures(this IServiceCollection services)
    {
        services.AddScoped<ActorAccessor>();
        services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
        services.AddScoped<Deals.DealsService>();
        services.AddScoped<Fulfilment.FulfilmentService>();
        services.AddScoped<Administration.UsersService>();
        return services;
    }
}

using CommitmentTracker.Web.Components.Account;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor.Services;

namespace CommitmentTracker.Web.Security;

/// <summary>Registers the UI shell: MudBlazor, the authentication state for components, and sign-in.</summary>
public static class ShellServiceCollectionExtensions
{
    public static IServiceCollection AddShell(this IServiceCollection services)
    {
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<SignInService>();
        return services;
    }
}

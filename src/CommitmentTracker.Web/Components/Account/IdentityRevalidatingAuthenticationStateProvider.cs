using System.Security.Claims;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Components.Account;

/// <summary>
/// Rechecks a connected circuit's user every minute, even while they do nothing: the circuit loses its sign-in when the
/// user was deleted, deactivated, or had their security stamp changed (a password reset); a changed role, team or
/// department keeps the sign-in and tells the open pages (<see cref="ActorAccessor.AccessChanged"/>), which move to the
/// new access. Every action checks the user's record anyway (<see cref="ActorAccessor"/>): this only makes an idle page notice.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
        ILoggerFactory loggerFactory,
        IServiceScopeFactory scopeFactory,
        IServiceProvider circuitServices,
        IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    /// <summary>How often an idle circuit's user is rechecked; also the cookie's own revalidation interval (Program.cs).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override TimeSpan RevalidationInterval => Interval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // A new scope, so the user manager reads fresh data rather than the circuit's tracked entities.
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        return await IsStillValidAsync(userManager, authenticationState.User);
    }

    private async Task<bool> IsStillValidAsync(UserManager<AppUser> userManager, ClaimsPrincipal principal)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null || !user.IsActive)
        {
            return false;
        }

        if (userManager.SupportsUserSecurityStamp)
        {
            var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
            if (principalStamp != await userManager.GetSecurityStampAsync(user))
            {
                return false;
            }
        }

        var roles = await userManager.GetRolesAsync(user);
        if (roles.Count == 1 && !AccessClaims.Match(principal, new Actor(user.Id, user.DisplayName, roles[0], user.TeamId, user.Department)))
        {
            // Resolved late: the accessor itself depends on this provider.
            circuitServices.GetService<ActorAccessor>()?.Report(AccessChange.Changed);
        }

        return roles.Count == 1;
    }
}

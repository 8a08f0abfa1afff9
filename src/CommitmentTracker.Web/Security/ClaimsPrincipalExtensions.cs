using System.Security.Claims;

namespace CommitmentTracker.Web.Security;

/// <summary>Reads what the shell shows about the signed-in user from the sign-in cookie's claims.</summary>
public static class ClaimsPrincipalExtensions
{
    /// <summary>The display name, falling back to the user name (the email) for cookies issued without it.</summary>
    public static string GetDisplayName(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var displayName = user.FindFirstValue(AppClaimTypes.DisplayName);
        return string.IsNullOrWhiteSpace(displayName) ? user.Identity?.Name ?? "" : displayName;
    }

    /// <summary>The application roles the user holds, in the order of <see cref="AppRoles.All"/>.</summary>
    public static IReadOnlyList<string> GetAppRoles(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return AppRoles.All.Where(user.IsInRole).ToList();
    }

    /// <summary>
    /// The page a user starts on: deals for reps and managers, fulfilment for service staff, user
    /// administration for admins; null for a user without any role.
    /// </summary>
    public static string? GetHomePath(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInRole(AppRoles.Manager))
        {
            return "dashboard";
        }

        if (user.IsInRole(AppRoles.Rep))
        {
            return "home";
        }

        if (user.IsInRole(AppRoles.Service))
        {
            return "fulfilment";
        }

        return user.IsInRole(AppRoles.Admin) ? "admin/users" : null;
    }
}

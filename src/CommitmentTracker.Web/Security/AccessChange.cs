using System.Security.Claims;

namespace CommitmentTracker.Web.Security;

/// <summary>How the signed-in user's access differs from what their sign-in (and the pages opened with it) assumed.</summary>
public enum AccessChange
{
    /// <summary>An administrator changed the user's role, team or department.</summary>
    Changed,

    /// <summary>The account was deactivated (or removed, or lost its role).</summary>
    Deactivated,
}

/// <summary>
/// Refuses an action taken for a user whose access changed since the page acting for them read it: nothing was saved.
/// The user's open pages show the change too (<c>Components/Layout/AccessWatch.razor</c>).
/// </summary>
public sealed class AccessChangedException(AccessChange change) : Exception(MessageOf(change))
{
    public AccessChange Change { get; } = change;

    public static string MessageOf(AccessChange change) => change switch
    {
        AccessChange.Deactivated => "Your account is no longer active, so nothing was saved. Ask an administrator if this is a mistake.",
        _ => "Your access changed since this page was opened, so nothing was saved. Reload the page to continue with your new access.",
    };
}

/// <summary>
/// The access the sign-in cookie was issued with (role, team, department), compared with the user's current record:
/// a difference means an administrator changed the user while they were signed in.
/// </summary>
public static class AccessClaims
{
    /// <summary>The claims written at sign-in, beside Identity's role claims.</summary>
    public static IEnumerable<Claim> Of(Guid? teamId, Domain.Department? department) =>
    [
        new(AppClaimTypes.Team, teamId?.ToString() ?? ""),
        new(AppClaimTypes.Department, department?.ToString() ?? ""),
    ];

    /// <summary>
    /// True when the principal carries the actor's role (and no other application role), team and department. A cookie
    /// issued before team and department were claims is compared on its roles only.
    /// </summary>
    public static bool Match(ClaimsPrincipal principal, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(actor);
        var roles = principal.GetAppRoles();
        if (roles.Count != 1 || roles[0] != actor.Role)
            return false;
        if (principal.FindFirst(AppClaimTypes.Team) is { } team && team.Value != (actor.TeamId?.ToString() ?? ""))
            return false;
        return principal.FindFirst(AppClaimTypes.Department) is not { } department
            || department.Value == (actor.Department?.ToString() ?? "");
    }
}

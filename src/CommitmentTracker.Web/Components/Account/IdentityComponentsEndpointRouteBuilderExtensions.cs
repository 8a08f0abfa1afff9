using CommitmentTracker.Web.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

// In the routing namespace, like the template, so Program.cs finds it without a using.
namespace Microsoft.AspNetCore.Routing;

/// <summary>The account endpoints that are not pages: signing out (posted from the app bar) and refreshing the sign-in.</summary>
internal static class IdentityComponentsEndpointRouteBuilderExtensions
{
    public static IEndpointConventionBuilder MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        var accountGroup = endpoints.MapGroup("/Account");

        // A form post with an antiforgery token (validated by UseAntiforgery for [FromForm] endpoints).
        accountGroup.MapPost("/Logout", async (
            [FromServices] SignInManager<AppUser> signInManager,
            [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect($"~/{LocalPathOrEmpty(returnUrl)}");
        });

        // Where an open page goes when the user's access changed (Components/Layout/AccessWatch.razor) or the circuit lost its
        // sign-in (RedirectToLogin): a user still allowed in gets a cookie reissued with their current role, team and
        // department and lands on their start page; one deactivated, or whose password was reset, is signed out and told why.
        // A GET, as a navigation: it never grants more than the user's record allows, and signs out only those already out.
        accountGroup.MapGet("/RefreshAccess", async (
            HttpContext http,
            [FromServices] SignInManager<AppUser> signInManager,
            [FromQuery] string? returnUrl,
            [FromQuery] string? ended) =>
        {
            var userId = signInManager.UserManager.GetUserId(http.User);
            if (userId is null)
                return TypedResults.LocalRedirect(LoginPath(ended == "inactive" ? "inactive" : null, returnUrl));
            // Null when the user is unknown, deactivated (AppSignInManager) or their security stamp changed.
            var user = await signInManager.ValidateSecurityStampAsync(http.User);
            if (user is null)
            {
                var record = await signInManager.UserManager.FindByIdAsync(userId);
                await signInManager.SignOutAsync();
                return TypedResults.LocalRedirect(LoginPath(record is { IsActive: true } ? "signin" : "inactive", returnUrl: null));
            }

            await signInManager.RefreshSignInAsync(user);
            return TypedResults.LocalRedirect($"~/{LocalPathOrEmpty(returnUrl)}");
        });

        return accountGroup;
    }

    private static string LoginPath(string? ended, string? returnUrl)
    {
        var query = new List<string>();
        if (ended is not null)
            query.Add($"ended={ended}");
        if (LocalPathOrEmpty(returnUrl) is { Length: > 0 } path)
            query.Add($"returnUrl={Uri.EscapeDataString("/" + path)}");
        return "~/Account/Login" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
    }

    // Only a relative path of this site may follow the sign-out, never another host ("//evil.example").
    private static string LocalPathOrEmpty(string? returnUrl)
    {
        var path = returnUrl?.TrimStart('~').TrimStart('/') ?? "";
        return path.StartsWith('\\') || !Uri.IsWellFormedUriString(path, UriKind.Relative) || path.Contains("//", StringComparison.Ordinal)
            ? ""
            : path;
    }
}

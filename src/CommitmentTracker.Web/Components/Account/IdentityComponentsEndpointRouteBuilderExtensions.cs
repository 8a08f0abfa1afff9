using CommitmentTracker.Web.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

// In the routing namespace, like the template, so Program.cs finds it without a using.
namespace Microsoft.AspNetCore.Routing;

/// <summary>The one account endpoint that is not a page: signing out, posted from the app bar.</summary>
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

        return accountGroup;
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

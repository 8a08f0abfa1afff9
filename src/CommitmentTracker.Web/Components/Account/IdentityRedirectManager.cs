using Microsoft.AspNetCore.Components;

namespace CommitmentTracker.Web.Components.Account;

/// <summary>Redirects from the static account pages, refusing to send the user to another site.</summary>
internal sealed class IdentityRedirectManager(NavigationManager navigationManager)
{
    /// <summary>Navigates to a path of this site; anything else (another host, "//evil", "/\evil") goes to the home page.</summary>
    public void RedirectTo(string? uri) => navigationManager.NavigateTo(LocalPathOrHome(uri));

    /// <summary>The uri when it is a relative path of this site, else "" (the home page). Never throws on bad input.</summary>
    public static string LocalPathOrHome(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
            return "";
        // Control characters and backslashes are how browsers are tricked into treating a path as another host.
        if (uri.Any(c => char.IsControl(c) || c == '\\')
            || !Uri.IsWellFormedUriString(uri, UriKind.Relative)
            || uri.StartsWith("//", StringComparison.Ordinal)
            || HasScheme(uri))
            return "";
        return uri;
    }

    // "javascript:alert(1)" or "mailto:x": a colon before the first slash or query names a scheme.
    private static bool HasScheme(string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        var end = uri.IndexOfAny(['/', '?', '#']);
        return colon >= 0 && (end < 0 || colon < end);
    }
}

namespace CommitmentTracker.Web.Components.Layout;

/// <summary>
/// The user's light or dark choice. It lives in a cookie (written by wwwroot/js/theme.js) so that the very
/// first server render already uses it, without a flash of the other theme.
/// </summary>
public static class ThemePreference
{
    public const string CookieName = "ct-theme";

    /// <summary>Name of the cascading value carrying the choice from <c>Routes</c> to the layouts.</summary>
    public const string CascadingValueName = "PrefersDarkTheme";

    /// <summary>True for dark, false for light, null when the user has not chosen (then the system decides).</summary>
    public static bool? Parse(string? cookieValue) => cookieValue switch
    {
        "dark" => true,
        "light" => false,
        _ => null,
    };
}

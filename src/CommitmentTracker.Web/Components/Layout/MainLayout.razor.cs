using CommitmentTracker.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace CommitmentTracker.Web.Components.Layout;

/// <summary>The shell of every interactive page: app bar, navigation drawer, theme and error boundary.</summary>
public partial class MainLayout
{
    private MudThemeProvider? themeProvider;
    private AppErrorBoundary? errorBoundary;
    private bool drawerOpen = true;
    private bool isDarkMode;
    private bool isInteractive;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    // The current page's own address with the fragment: a bare "#main-content" resolves against <base href="/">.
    private string SkipToContentHref => Navigation.ToBaseRelativePath(Navigation.Uri).Split('#')[0] + "#main-content";

    [CascadingParameter(Name = ThemePreference.CascadingValueName)]
    private bool? PrefersDarkTheme { get; set; }

    protected override void OnInitialized() => isDarkMode = PrefersDarkTheme == true;

    // A new page clears the error of the previous one.
    protected override void OnParametersSet() => errorBoundary?.Recover();

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        if (PrefersDarkTheme is null && themeProvider is not null)
        {
            isDarkMode = await themeProvider.GetSystemDarkModeAsync();
        }

        isInteractive = true;
        StateHasChanged();
    }

    // Native controls (checkboxes, scrollbars, date inputs) follow the theme too.
    private string ColorScheme => isDarkMode ? "color-scheme: dark" : "color-scheme: light";

    private void ToggleDrawer() => drawerOpen = !drawerOpen;

    private async Task ToggleThemeAsync()
    {
        isDarkMode = !isDarkMode;
        await JS.InvokeVoidAsync("commitmentTracker.rememberTheme", isDarkMode);
    }

    private static string Initials(string name)
    {
        var parts = name.Split([' ', '.', '@'], StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            0 => "?",
            1 => parts[0][..1].ToUpperInvariant(),
            _ => string.Concat(parts[0][..1], parts[1][..1]).ToUpperInvariant(),
        };
    }
}

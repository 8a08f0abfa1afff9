using MudBlazor;

namespace CommitmentTracker.Web.Components.Layout;

/// <summary>The product's MudBlazor theme: calm blues and greys, light and dark, with the system font stack.</summary>
public static class AppTheme
{
    // No web font is downloaded: the machines may have no internet, and system fonts render fastest.
    private static readonly string[] SystemFonts =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "Noto Sans", "sans-serif"];

    // Text on the dark palette's light accent colours (filled buttons, chips), for enough contrast.
    private const string DarkText = "#10141b";

    public static MudTheme Theme { get; } = Create();

    private static MudTheme Create()
    {
        var typography = new Typography();
        BaseTypography[] styles =
        [
            typography.Default, typography.H1, typography.H2, typography.H3, typography.H4, typography.H5,
            typography.H6, typography.Subtitle1, typography.Subtitle2, typography.Body1, typography.Body2,
            typography.Button, typography.Caption, typography.Overline,
        ];
        foreach (var style in styles)
        {
            style.FontFamily = SystemFonts;
        }

        typography.Button.TextTransform = "none";
        typography.H5.FontWeight = "600";
        typography.H6.FontWeight = "600";

        return new MudTheme
        {
            Typography = typography,
            LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px", AppbarHeight = "60px" },
            PaletteLight = new PaletteLight
            {
                Primary = "#1f5fae",
                Secondary = "#5c6b80",
                Tertiary = "#0f7b6c",
                Info = "#2f6fd0",
                Success = "#2e7d32",
                Warning = "#9a5b00", // 5.4:1 on white (AA); #b26a00 was 4.2:1
                Error = "#c62828",
                Background = "#f5f6f8",
                Surface = "#ffffff",
                AppbarBackground = "#ffffff",
                AppbarText = "#1f2733",
                DrawerBackground = "#ffffff",
                DrawerText = "#1f2733",
                DrawerIcon = "#5c6b80",
                TextPrimary = "#1f2733",
                TextSecondary = "#5c6b80",
                LinesDefault = "#e2e5ea",
                Divider = "#e2e5ea",
            },
            PaletteDark = new PaletteDark
            {
                Primary = "#7fa8f0",
                PrimaryContrastText = DarkText,
                TertiaryContrastText = DarkText,
                InfoContrastText = DarkText,
                SuccessContrastText = DarkText,
                WarningContrastText = DarkText,
                ErrorContrastText = DarkText,
                Secondary = "#9aa6b8",
                Tertiary = "#4fb3a4",
                Info = "#7fa8f0",
                Success = "#66bb6a",
                Warning = "#ffb74d",
                Error = "#ef7070",
                Background = "#121419",
                Surface = "#1a1d24",
                AppbarBackground = "#1a1d24",
                AppbarText = "#e4e7ec",
                DrawerBackground = "#1a1d24",
                DrawerText = "#e4e7ec",
                DrawerIcon = "#9aa6b8",
                TextPrimary = "#e4e7ec",
                TextSecondary = "#9aa6b8",
                LinesDefault = "#2c313b",
                Divider = "#2c313b",
            },
        };
    }
}

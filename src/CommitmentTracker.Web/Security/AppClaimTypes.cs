namespace CommitmentTracker.Web.Security;

/// <summary>Claim types this application adds to the sign-in cookie beside Identity's own.</summary>
public static class AppClaimTypes
{
    /// <summary>The user's <see cref="Persistence.AppUser.DisplayName"/>, shown in the app bar.</summary>
    public const string DisplayName = "commitmenttracker:display_name";

    /// <summary>The user's team at sign-in (empty for none): compared with the record to notice a change.</summary>
    public const string Team = "commitmenttracker:team";

    /// <summary>The user's department at sign-in (empty for none): compared with the record to notice a change.</summary>
    public const string Department = "commitmenttracker:department";
}

namespace CommitmentTracker.Web.Security;

/// <summary>The password rule, shared by Identity and the forms that set passwords.</summary>
public static class PasswordRules
{
    public const int MinimumLength = 12;
}

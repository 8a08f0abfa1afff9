namespace CommitmentTracker.Web.Security;

/// <summary>The four roles of DESIGN.md, as Identity role names.</summary>
public static class AppRoles
{
    public const string Rep = "Rep";
    public const string Manager = "Manager";
    public const string Service = "Service";
    public const string Admin = "Admin";

    public static readonly IReadOnlyList<string> All = [Rep, Manager, Service, Admin];
}

namespace CommitmentTracker.Web.Security;

/// <summary>The signed-in user an operation is performed for; services check access against it.</summary>
public sealed record Actor(string UserId, string DisplayName, string Role, Guid? TeamId, Domain.Department? Department)
{
    public bool IsAdmin => Role == AppRoles.Admin;
    public bool IsManager => Role == AppRoles.Manager;
    public bool IsRep => Role == AppRoles.Rep;
    public bool IsService => Role == AppRoles.Service;
}

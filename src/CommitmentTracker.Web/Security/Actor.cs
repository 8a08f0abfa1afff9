namespace CommitmentTracker.Web.Security;

/// <summary>The signed-in user an operation is performed for; services check access against it.</summary>
public sealed record Actor(string UserId, string DisplayName, string Role, Guid? TeamId, Domain.Department? Department)
{
    public bool IsAdmin => Role == AppRoles.Admin;
    public bool IsManager => Role == AppRoles.Manager;
    public bool IsRep => Role == AppRoles.Rep;
    public bool IsService => Role == AppRoles.Service;

    /// <summary>True when both have the same role, team and department: what access is decided by.</summary>
    public bool HasSameAccessAs(Actor other) =>
        other is not null && Role == other.Role && TeamId == other.TeamId && Department == other.Department;
}

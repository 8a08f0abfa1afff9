using CommitmentTracker.Domain;
using Microsoft.AspNetCore.Identity;

namespace CommitmentTracker.Web.Persistence;

/// <summary>A person who signs in: a rep, service staff, a manager or an admin.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The team the user belongs to (reps and their manager); null for admins and most service staff.</summary>
    public Guid? TeamId { get; set; }

    /// <summary>The department a service user works in; decides which unassigned milestones they may update.</summary>
    public Department? Department { get; set; }

    /// <summary>A deactivated user cannot sign in; their records stay.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>The IANA time zone the user reads and enters times in (e.g. Europe/Berlin); null until known (UTC is shown).</summary>
    public string? TimeZone { get; set; }
}

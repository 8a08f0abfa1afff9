namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// Failed sign-ins for an address that is no account, counted like Identity counts a user's, so that an unknown address
/// is locked out after as many failures as a real one and the sign-in page cannot tell which addresses exist.
/// </summary>
public sealed class SignInFailure
{
    /// <summary>The address as typed, normalised the way Identity normalises emails.</summary>
    public string LoginKey { get; set; } = "";

    /// <summary>Failures since the last lockout.</summary>
    public int FailedCount { get; set; }

    public DateTimeOffset? LockoutEnd { get; set; }

    public DateTimeOffset LastFailedAt { get; set; }
}

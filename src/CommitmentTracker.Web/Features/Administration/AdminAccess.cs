using CommitmentTracker.Web.Security;

namespace CommitmentTracker.Web.Features.Administration;

/// <summary>Administration is for admins only; every administration service checks this first.</summary>
internal static class AdminAccess
{
    public static void EnsureAdmin(this Actor actor, string what)
    {
        if (!actor.IsAdmin)
            throw new AccessDeniedException($"Only administrators manage {what}.");
    }
}

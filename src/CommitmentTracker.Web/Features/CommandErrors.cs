namespace CommitmentTracker.Web.Features;

/// <summary>
/// The record does not exist or the user may not see it; both look the same from outside,
/// so asking for another team's record by its id reveals nothing.
/// </summary>
public sealed class RecordNotFoundException(string what) : Exception($"This {what} does not exist, or it is not one you can see.");

/// <summary>The user's role does not allow the action (the page hides it too, but the server decides).</summary>
public sealed class AccessDeniedException(string message) : Exception(message);

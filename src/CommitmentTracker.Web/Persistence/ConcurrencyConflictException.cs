namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// Someone else saved the same record since the user opened it. The message says who changed what,
/// so the user can re-apply their change knowingly instead of silently overwriting it.
/// </summary>
public sealed class ConcurrencyConflictException(string message) : Exception(message);

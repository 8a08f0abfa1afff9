namespace CommitmentTracker.Domain;

/// <summary>A rule of the domain refused an action; the message is written for the user who tried it.</summary>
public sealed class DomainException(string message) : Exception(message);

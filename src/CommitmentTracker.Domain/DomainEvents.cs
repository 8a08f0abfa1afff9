namespace CommitmentTracker.Domain;

/// <summary>A fact of the domain that other parts of the product react to (an alert, a recovery plan).</summary>
public interface IDomainEvent
{
    DateTimeOffset OccurredAt { get; }
}

/// <summary>An aggregate that records what happened to it until its save hands the events to their handlers.</summary>
public interface IHasDomainEvents
{
    IReadOnlyList<IDomainEvent> DomainEvents { get; }

    void ClearDomainEvents();
}

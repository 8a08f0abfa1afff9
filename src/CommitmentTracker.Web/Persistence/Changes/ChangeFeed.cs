namespace CommitmentTracker.Web.Persistence.Changes;

/// <summary>Deals whose data changed in one committed save.</summary>
public sealed record DealsChanged(IReadOnlyList<Guid> DealIds);

/// <summary>
/// Tells open pages that deals changed, so they refresh without a reload. Fed by PostgreSQL LISTEN/NOTIFY:
/// every committed save that touches a deal sends a notification, and every app instance hears it, so live
/// updates keep working with several instances behind a load balancer.
/// </summary>
public sealed class ChangeFeed
{
    public event Action<DealsChanged>? DealsChanged;

    internal void Raise(DealsChanged change) => DealsChanged?.Invoke(change);
}

using System.Globalization;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.CustomerLinks;
using CommitmentTracker.Domain.Deals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;

namespace CommitmentTracker.Web.Persistence;

/// <summary>Turns the change tracker's pending changes to deals, promises and milestones into audit entries.</summary>
internal static class AuditTrail
{
    private static readonly HashSet<Type> Audited =
    [
        typeof(Deal), typeof(Commitment), typeof(Milestone), typeof(DealChecklistItem), typeof(Touchpoint),
        typeof(SharedRisk), typeof(TechnicalReview), typeof(Account), typeof(Contact), typeof(CustomerLink),
    ];

    public static List<AuditEntry> Collect(ChangeTracker tracker, string changedBy, DateTimeOffset now)
    {
        var entries = new List<AuditEntry>();
        var commitmentDeals = tracker.Entries<Commitment>().ToDictionary(e => e.Entity.Id, e => e.Entity.DealId);
        var tracked = tracker.Entries().ToList();
        // Owners by type and id, built once: looking each owned value's owner up in the tracker would detect changes per value,
        // quadratic in a large save (a seeded demo, an import).
        var owners = new Lazy<Dictionary<(IReadOnlyEntityType, object), EntityEntry>>(() => tracked
            .Where(e => !e.Metadata.IsOwned() && e.Metadata.FindProperty("Id") is not null && e.Property("Id").CurrentValue is not null)
            .GroupBy(e => ((IReadOnlyEntityType)e.Metadata, e.Property("Id").CurrentValue!))
            .ToDictionary(g => g.Key, g => g.First()));
        foreach (var entry in tracked.Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            var (entity, ownerEntry) = Resolve(entry, owners);
            if (entity is null || !Audited.Contains(entity.GetType()))
                continue;
            // An owned value of a record being added is part of that record's "added" entry.
            if (!ReferenceEquals(entry, ownerEntry) && ownerEntry.State == EntityState.Added)
                continue;
            var id = (Guid)ownerEntry.Property("Id").CurrentValue!;
            var dealId = DealIdOf(entity, commitmentDeals);
            var prefix = ReferenceEquals(entry, ownerEntry) ? "" : entry.Metadata.GetTableName() is null ? "" : $"{OwnedName(entry)}.";
            if (entry.State is EntityState.Added or EntityState.Deleted && ReferenceEquals(entry, ownerEntry))
            {
                entries.Add(New(entity, id, dealId, entry.State.ToString(), null, null, Describe(entity), changedBy, now));
                continue;
            }
            foreach (var property in entry.Properties.Where(p => IsChange(entry.State, p)))
            {
                var oldValue = entry.State == EntityState.Added ? null : Format(property.OriginalValue);
                var newValue = entry.State == EntityState.Deleted ? null : Format(property.CurrentValue);
                entries.Add(New(entity, id, dealId, "Modified", prefix + property.Metadata.Name, oldValue, newValue, changedBy, now));
            }
            foreach (var complex in entry.ComplexProperties)
            {
                foreach (var property in complex.Properties.Where(p => IsChange(entry.State, p)))
                    entries.Add(New(entity, id, dealId, "Modified", $"{complex.Metadata.Name}.{property.Metadata.Name}", Format(property.OriginalValue), Format(property.CurrentValue), changedBy, now));
            }
        }
        return entries;
    }

    /// <summary>Bookkeeping that changes on every evaluation; the level itself is audited.</summary>
    private static readonly HashSet<string> NotAudited = ["RiskEvaluatedAt", "RiskSince", "_riskReasons", "LastUpdatedAt", "LastUpdatedBy"];

    private static bool IsChange(EntityState state, PropertyEntry property) =>
        !property.Metadata.IsPrimaryKey() && !NotAudited.Contains(property.Metadata.Name) && !property.Metadata.IsForeignKey() && !property.Metadata.IsConcurrencyToken
        && state switch
        {
            EntityState.Added => property.CurrentValue is not null,
            EntityState.Deleted => property.OriginalValue is not null,
            _ => property.IsModified && !Equals(property.OriginalValue, property.CurrentValue),
        };

    /// <summary>An owned value (an acknowledgement) is audited as a change of its owner.</summary>
    private static (object? Entity, EntityEntry OwnerEntry) Resolve(EntityEntry entry, Lazy<Dictionary<(IReadOnlyEntityType, object), EntityEntry>> owners)
    {
        if (!entry.Metadata.IsOwned())
            return (entry.Entity, entry);
        var ownership = entry.Metadata.FindOwnership();
        var owner = ownership is null ? null : entry.References.FirstOrDefault(r => r.Metadata == ownership.DependentToPrincipal)?.TargetEntry;
        if (owner is null && ownership is not null && entry.Property(ownership.Properties[0].Name).CurrentValue is { } ownerId)
            owner = owners.Value.GetValueOrDefault((ownership.PrincipalEntityType, ownerId));
        return owner is null ? (null, entry) : (owner.Entity, owner);
    }

    private static string OwnedName(EntityEntry entry) => entry.Metadata.FindOwnership()?.PrincipalToDependent?.Name ?? entry.Metadata.ClrType.Name;

    private static Guid? DealIdOf(object entity, Dictionary<Guid, Guid> commitmentDeals) => entity switch
    {
        Deal d => d.Id,
        Commitment c => c.DealId,
        Milestone m => commitmentDeals.TryGetValue(m.CommitmentId, out var dealId) ? dealId : null,
        DealChecklistItem i => i.DealId,
        Touchpoint t => t.DealId,
        SharedRisk r => r.DealId,
        TechnicalReview r => r.DealId,
        CustomerLink l => l.DealId,
        _ => null,
    };

    private static string Describe(object entity) => entity switch
    {
        Deal d => d.Title,
        Commitment c => c.Description,
        Milestone m => m.Title,
        DealChecklistItem i => i.Title,
        Touchpoint t => t.Title,
        SharedRisk r => r.Title,
        TechnicalReview r => r.Request,
        Account a => a.Name,
        Contact c => c.Name,
        CustomerLink l => $"expires {l.ExpiresAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
        _ => entity.GetType().Name,
    };

    private static AuditEntry New(object entity, Guid id, Guid? dealId, string action, string? field, string? oldValue, string? newValue, string changedBy, DateTimeOffset now) => new()
    {
        DealId = dealId,
        EntityType = entity.GetType().Name,
        EntityId = id,
        Action = action,
        Field = field,
        OldValue = Truncate(oldValue),
        NewValue = Truncate(newValue),
        ChangedBy = changedBy,
        ChangedAt = now,
    };

    private static string? Format(object? value) => value switch
    {
        null => null,
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string? Truncate(string? value) => value is { Length: > 1000 } ? value[..1000] : value;
}

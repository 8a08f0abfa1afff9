using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// What every save does, whatever it stores: refuses edits of append-only records, writes the audit trail into the same
/// transaction, and once stored clears the aggregates' domain events and tells every app instance which deals changed
/// (PostgreSQL NOTIFY, delivered on commit).
/// Registered last, so it sees what feature interceptors added to the save.
/// </summary>
internal sealed class RecordKeepingInterceptor : SaveChangesInterceptor
{
    public static RecordKeepingInterceptor Instance { get; } = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db)
            db.ChangedDeals = Prepare(db);
        return ValueTask.FromResult(result);
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        // Every interceptor has handed on what the aggregates recorded: a later save of this context must not do it again.
        foreach (var entry in eventData.Context?.ChangeTracker.Entries<IHasDomainEvents>().ToList() ?? [])
            entry.Entity.ClearDomainEvents();
        if (eventData.Context is AppDbContext { ChangedDeals.Count: > 0 } db)
        {
            var payload = System.Text.Json.JsonSerializer.Serialize(db.ChangedDeals);
            db.ChangedDeals = [];
            await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Changes.ChangeListener.Channel}, {payload})", cancellationToken);
        }
        return result;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db)
            db.ChangedDeals = [];
        return Task.CompletedTask;
    }

    /// <summary>Refuses edits of records, adds the audit rows; returns the deals the save touches.</summary>
    private static List<Guid> Prepare(AppDbContext db)
    {
        db.ChangeTracker.DetectChanges();
        RefuseChangesToRecords(db);
        var audit = AuditTrail.Collect(db.ChangeTracker, db.ChangedBy, db.SaveTime);
        db.AuditEntries.AddRange(audit);
        var communications = db.ChangeTracker.Entries<CommunicationEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.DealId);
        var plans = db.ChangeTracker.Entries<RecoveryPlan>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified).Select(e => e.Entity.DealId);
        return audit.Select(a => a.DealId).OfType<Guid>().Concat(communications).Concat(plans).Distinct().ToList();
    }

    /// <summary>The communication log and histories are append-only: what was said is a record the company stands behind.</summary>
    private static void RefuseChangesToRecords(AppDbContext db)
    {
        var changed = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Modified or EntityState.Deleted)
            .FirstOrDefault(e => e.Entity is CommunicationEntry or MilestoneUpdate or PromisedDateChange or DealStageChange or AuditEntry);
        if (changed is not null)
            throw new InvalidOperationException($"{changed.Entity.GetType().Name} records are append-only; write a new entry instead.");
    }
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Persistence;

/// <summary>Optimistic concurrency through xmin: expected versions in, readable conflicts out.</summary>
public static class ConcurrencyExtensions
{
    /// <summary>The unique index that keeps one open recovery plan per promise.</summary>
    public const string OpenRecoveryPlanIndex = "ix_recovery_plans_commitment_id_open";

    /// <summary>The row version (xmin) of a tracked entity.</summary>
    public static uint VersionOf(this AppDbContext db, object entity) =>
        (uint)db.Entry(entity).Property(AppDbContext.Version).CurrentValue!;

    /// <summary>Declares the version the user saw; saving then fails if the row changed since.</summary>
    public static void ExpectVersion(this AppDbContext db, object entity, uint version) =>
        db.Entry(entity).Property(AppDbContext.Version).OriginalValue = version;

    /// <summary>Saves; on a concurrency conflict, explains who changed what since the user opened the record.</summary>
    public static async Task SaveOrExplainConflictAsync(this AppDbContext db, string what, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            var details = new List<string>();
            foreach (var entry in ex.Entries)
            {
                var id = entry.Metadata.FindProperty("Id") is null ? null : entry.Property("Id").CurrentValue as Guid?;
                if (id is null)
                    continue;
                var latest = await db.AuditEntries.AsNoTracking()
                    .Where(a => a.EntityId == id && a.Field != null)
                    .OrderByDescending(a => a.Id).Take(10).ToListAsync(cancellationToken);
                if (latest.Count == 0)
                    continue;
                var by = latest[0].ChangedBy;
                var name = await db.Users.Where(u => u.Id == by).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? "someone";
                var changes = latest.Where(a => a.ChangedAt == latest[0].ChangedAt)
                    .Select(a => $"{AuditEntry.FieldLabel(a.Field!)} {a.OldValue ?? "(empty)"} → {a.NewValue ?? "(empty)"}");
                details.Add($"{name} changed it at {Components.Shared.TimeFormat.DateTime(latest[0].ChangedAt, TimeZoneInfo.Utc)}: {string.Join("; ", changes)}.");
            }
            var message = $"This {what} was changed by someone else since you opened it, so your change was not saved. "
                + (details.Count > 0 ? string.Join(" ", details) + " " : "")
                + "Reload to see the latest version, then apply your change again.";
            throw new ConcurrencyConflictException(message);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: OpenRecoveryPlanIndex })
        {
            // The change raised a promise while someone opened its recovery plan: one plan per promise, so try again.
            throw new ConcurrencyConflictException(
                $"A recovery plan was opened for this promise at the same moment, so your change to this {what} was not saved. Apply it again.");
        }
    }

}

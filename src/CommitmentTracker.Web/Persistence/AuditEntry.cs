namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// One recorded change: who changed which field of which record, from what to what, and when. Written by
/// <see cref="AppDbContext"/> in the same transaction as the change itself; append-only (a database trigger refuses edits).
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    /// <summary>The deal the change belongs to, so the deal page can show its whole history.</summary>
    public Guid? DealId { get; set; }

    public string EntityType { get; set; } = "";
    public Guid EntityId { get; set; }

    /// <summary>Added, Modified or Deleted.</summary>
    public string Action { get; set; } = "";

    /// <summary>The field that changed; null for a whole record added or deleted.</summary>
    public string? Field { get; set; }

    public string? OldValue { get; set; }
    public string? NewValue { get; set; }
    public string ChangedBy { get; set; } = "";
    public DateTimeOffset ChangedAt { get; set; }

    /// <summary>A field name as people read it: "PromisedDate" becomes "Promised date", "Value.Amount" stays dotted.</summary>
    public static string FieldLabel(string field) =>
        string.Concat(field.Select((c, i) => i > 0 && char.IsUpper(c) && field[i - 1] != '.' ? " " + char.ToLowerInvariant(c) : c.ToString()));
}

using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Persistence;

/// <summary>One short-lived context per operation, stamped with who acts and when, for the audit trail.</summary>
public static class DbContextFactoryExtensions
{
    /// <summary>
    /// A context for a change made by <paramref name="actor"/>. The actor is checked against the user's current record first
    /// (one query by primary key): a deactivated user, or one whose role, team or department changed since the page read it,
    /// is refused with <see cref="AccessChangedException"/> before anything is read or written.
    /// </summary>
    public static async Task<AppDbContext> CreateForAsync(this IDbContextFactory<AppDbContext> factory, Actor actor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(actor);
        var db = await factory.CreateDbContextAsync(cancellationToken);
        try
        {
            await ActorAccessor.EnsureCurrentAsync(db, actor, cancellationToken);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }

        db.ChangedBy = actor.UserId;
        db.ChangedAt = now;
        return db;
    }
}

using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Persistence;

/// <summary>One short-lived context per operation, stamped with who acts and when, for the audit trail.</summary>
public static class DbContextFactoryExtensions
{
    public static async Task<AppDbContext> CreateForAsync(this IDbContextFactory<AppDbContext> factory, Actor actor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var db = await factory.CreateDbContextAsync(cancellationToken);
        db.ChangedBy = actor.UserId;
        db.ChangedAt = now;
        return db;
    }
}

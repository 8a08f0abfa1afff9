using CommitmentTracker.Domain;
using CommitmentTracker.Domain.DeliveryRecords;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.DeliveryRecords;

/// <summary>
/// The public side of a shared delivery record: whoever holds the link sees the figures, without signing in. A text that
/// cannot be a token is refused without touching the database; a token is looked up by its hash (one unique-index probe)
/// and compared in constant time. An expired or revoked link, like an unknown one, shows nothing of the record.
/// </summary>
public sealed class SharedRecordService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The public page's route template, and the path of a link.</summary>
    public const string Route = "/shared/record/{Token}";

    public static string PathFor(string token) => $"shared/record/{Uri.EscapeDataString(token)}";

    public async Task<SharedRecordResult> GetAsync(string? token, CancellationToken cancellationToken = default)
    {
        var hash = ShareToken.Hash(token);
        if (hash is null)
            return SharedRecordResult.Unknown;
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var link = await db.SharedRecordLinks.AsNoTracking().Where(l => l.TokenHash == hash).SingleOrDefaultAsync(cancellationToken);
        if (link is null || !ShareToken.Matches(link.TokenHash, hash))
            return SharedRecordResult.Unknown;
        if (!link.IsActiveAt(now))
            return SharedRecordResult.NoLongerValid;

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        IReadOnlyList<string> owners;
        string subject;
        if (link.Scope == SharedRecordScope.Rep && link.RepId is { } repId)
        {
            owners = [repId];
            subject = await db.Users.AsNoTracking().Where(u => u.Id == repId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken) ?? "";
        }
        else
        {
            owners = await db.MembersOfTeamAsync(link.TeamId, cancellationToken);
            var team = await db.Teams.AsNoTracking().Where(t => t.Id == link.TeamId).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken) ?? "";
            subject = $"Team {team}";
        }

        var figures = await DeliveryRecordService.FiguresAsync(db, owners, today, cancellationToken);
        return new SharedRecordResult(SharedRecordStatus.Shown, new SharedRecordView(subject, link.Scope, today, link.ExpiresAt, figures));
    }
}

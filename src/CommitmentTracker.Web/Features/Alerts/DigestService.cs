using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Alerts;

/// <summary>A promise of ours on the digest: at risk or late, with why and since when.</summary>
public sealed record DigestPromise(
    Guid DealId, string DealTitle, string AccountName, string RepName, Guid CommitmentId, string Description,
    RiskLevel Level, DateOnly PromisedDate, IReadOnlyList<string> Reasons, DateTimeOffset? Since);

/// <summary>A manager's daily digest: their team's at-risk list on one day, most urgent first.</summary>
public sealed record ManagerDigest(string ManagerId, string ManagerName, string? Email, DateOnly Date, IReadOnlyList<DigestPromise> Promises);

/// <summary>Builds the daily digest of a manager: the AtRisk and Late promises of ours on the deals of their team's reps.</summary>
public sealed class DigestService(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>
    /// The digest of <paramref name="managerId"/> for the day of <paramref name="now"/>; null when there is no such user.
    /// The team is the one they manage (<see cref="TeamManagers"/>); lost deals are left out.
    /// </summary>
    public async Task<ManagerDigest?> BuildAsync(string managerId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var manager = await db.Users.AsNoTracking().Where(u => u.Id == managerId)
            .Select(u => new { u.DisplayName, u.Email }).SingleOrDefaultAsync(cancellationToken);
        if (manager is null)
            return null;

        var teams = db.ActiveManagers().Where(m => m.Id == managerId).Select(m => m.TeamId);
        var rows = await (
            from c in db.Commitments.AsNoTracking()
            join d in db.Deals on c.DealId equals d.Id
            join a in db.Accounts on d.AccountId equals a.Id
            join u in db.Users on d.OwnerId equals u.Id
            where teams.Contains(u.TeamId) && d.Stage != DealStage.Lost
                && c.Direction == CommitmentDirection.Ours
                && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken)
                && (c.RiskLevel == RiskLevel.AtRisk || c.RiskLevel == RiskLevel.Late)
            select new { Commitment = c, DealTitle = d.Title, AccountName = a.Name, RepName = u.DisplayName })
            .ToListAsync(cancellationToken);

        var promises = rows
            .Select(r => new DigestPromise(
                r.Commitment.DealId, r.DealTitle, r.AccountName, r.RepName, r.Commitment.Id, r.Commitment.Description,
                r.Commitment.RiskLevel, r.Commitment.PromisedDate, [.. r.Commitment.RiskReasons.Select(x => x.Sentence)], r.Commitment.RiskSince))
            .OrderByDescending(p => p.Level).ThenBy(p => p.PromisedDate).ThenBy(p => p.DealTitle, StringComparer.Ordinal)
            .ToList();
        return new ManagerDigest(managerId, manager.DisplayName, manager.Email, DateOnly.FromDateTime(now.UtcDateTime), promises);
    }
}

using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Dashboard;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.DeliveryRecords;

/// <summary>
/// The team's delivery record by quarter, for a rep to show a prospect. It counts as the dashboard does
/// (docs/decisions/0008): promises of ours; kept and kept late on their completion date; broken on the promised date
/// once it passed undone (marked or not); waived never; unfinished promises of lost deals left out. Only counts,
/// rates and kinds leave this service: no customer, deal or promise text.
/// </summary>
public sealed class DeliveryRecordService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Calendar quarters shown, the current one included.</summary>
    public const int Quarters = 8;

    public async Task<DeliveryRecordView> GetAsync(Actor actor, Guid? teamId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsRep && !actor.IsManager && !actor.IsAdmin)
            throw new AccessDeniedException("The delivery record is for sales reps, managers and admins.");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        IReadOnlyList<FilterOption<Guid>> teams = [];
        string teamName;
        if (!actor.IsAdmin)
        {
            // Reps and managers always get their own team, whatever team id was asked for.
            if (actor.TeamId is not { } own)
                return new DeliveryRecordView { HasTeam = false, Today = today };
            teamId = own;
            teamName = await db.Teams.AsNoTracking().Where(t => t.Id == own).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken) ?? "";
        }
        else
        {
            teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new FilterOption<Guid>(t.Id, t.Name)).ToListAsync(cancellationToken);
            teamName = teamId is { } picked
                ? teams.FirstOrDefault(t => t.Value == picked)?.Label ?? throw new RecordNotFoundException("team")
                : "All teams";
        }

        var current = new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1);
        var since = current.AddMonths(-3 * (Quarters - 1));
        var deals = db.Deals.AsNoTracking();
        if (teamId is { } team)
            deals = deals.Where(d => db.Users.Any(u => u.Id == d.OwnerId && u.TeamId == team));

        // The dashboard's record predicate (DashboardService.RecordRowsAsync), without any names.
        var rows = await (
            from c in db.Commitments.AsNoTracking()
            join d in deals on c.DealId equals d.Id
            where c.Direction == CommitmentDirection.Ours
                  && (((c.Status == CommitmentStatus.Kept || c.Status == CommitmentStatus.KeptLate) && c.CompletedOn >= since && c.CompletedOn <= today)
                      || ((c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken)
                          && c.PromisedDate < today && c.PromisedDate >= since && d.Stage != DealStage.Lost))
            select new { c.Kind, c.Status, c.PromisedDate, c.CompletedOn }).ToListAsync(cancellationToken);

        var record = rows.Select(r => new RecordRow
        {
            Kind = r.Kind,
            Outcome = r.Status switch
            {
                CommitmentStatus.Kept => DeliveryOutcome.Kept,
                CommitmentStatus.KeptLate => DeliveryOutcome.KeptLate,
                _ => DeliveryOutcome.Broken,
            },
            PromisedDate = r.PromisedDate,
            CountsOn = r.CompletedOn ?? r.PromisedDate,
        }).ToList();

        return new DeliveryRecordView
        {
            TeamId = teamId,
            TeamName = teamName,
            Teams = teams,
            Today = today,
            ByQuarter = Enumerable.Range(0, Quarters)
                .Select(i => since.AddMonths(3 * i))
                .Select(start => new QuarterRecord(start, DeliveryRecord.Of(record.Where(r => r.CountsOn >= start && r.CountsOn < start.AddMonths(3)))))
                .ToList(),
            Total = DeliveryRecord.Of(record),
            ByKind = record.GroupBy(r => r.Kind)
                .Select(g => new KindRecord(g.Key, DeliveryRecord.Of(g)))
                .OrderByDescending(k => k.Record.Total).ThenBy(k => k.Kind)
                .ToList(),
        };
    }
}

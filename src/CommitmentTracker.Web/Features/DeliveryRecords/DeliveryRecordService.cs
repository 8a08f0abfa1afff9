using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.DeliveryRecords;
using CommitmentTracker.Web.Features.Dashboard;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.DeliveryRecords;

/// <summary>
/// The delivery record by quarter, for a rep to show a prospect: the team's, or one rep's; and the public links that show
/// it without signing in. It counts as the dashboard does (docs/decisions/0008): promises of ours; kept and kept late on
/// their completion date; broken on the promised date once it passed undone (marked or not); waived never (a lost deal
/// waives its open promises). PostgreSQL counts (GROUP BY over the partial indexes by deal owner); only counts, rates and
/// kinds leave this service: no customer, deal or promise text.
/// Who sees what: a rep their team's record and their own; a manager their team's and each of its reps'; an admin any.
/// Another rep's record asked for by its id is "not found". See docs/decisions/0022-sharing-the-delivery-record.md.
/// </summary>
public sealed class DeliveryRecordService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ShareRecordValidator validator)
{
    /// <summary>Calendar quarters shown, the current one included.</summary>
    public const int Quarters = 8;

    /// <summary>Active links listed at most (newest first).</summary>
    public const int LinksShown = 100;

    /// <summary>A team's record (an admin may pick any team, or every team; others always get their own team's).</summary>
    public async Task<DeliveryRecordView> GetAsync(Actor actor, Guid? teamId = null, CancellationToken cancellationToken = default)
    {
        EnsureReader(actor);
        var today = Today();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        IReadOnlyList<FilterOption<Guid>> teams = [];
        string teamName;
        if (!actor.IsAdmin)
        {
            // Reps and managers always get their own team, whatever team id was asked for.
            if (actor.TeamId is not { } own)
                return new DeliveryRecordView { HasTeam = false, Today = today };
            teamId = own;
            teamName = await TeamNameAsync(db, own, cancellationToken);
        }
        else
        {
            teams = await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new FilterOption<Guid>(t.Id, t.Name)).ToListAsync(cancellationToken);
            teamName = teamId is { } picked
                ? teams.FirstOrDefault(t => t.Value == picked)?.Label ?? throw new RecordNotFoundException("team")
                : "All teams";
        }

        IReadOnlyList<string>? owners = teamId is { } team ? await db.MembersOfTeamAsync(team, cancellationToken) : null;
        var figures = await FiguresAsync(db, owners, today, cancellationToken);
        var reps = teamId is { } t2 ? await RepOptionsAsync(db, actor, t2, cancellationToken) : [];
        var byRep = teamId is not null && (actor.IsManager || actor.IsAdmin) ? await ByRepAsync(db, owners!, reps, today, cancellationToken) : [];
        return new DeliveryRecordView
        {
            TeamId = teamId,
            TeamName = teamName,
            Teams = teams,
            Reps = reps,
            ByRep = byRep,
            CanShare = teamId is not null && MayShareTeam(actor, teamId.Value),
            Today = today,
            ByQuarter = figures.ByQuarter,
            Total = figures.Total,
            ByKind = figures.ByKind,
        };
    }

    /// <summary>
    /// One rep's record: their own (a rep), one of the team's reps (a manager), anyone's (an admin). Any other rep's, asked
    /// for by id, is reported as not found.
    /// </summary>
    public async Task<DeliveryRecordView> GetRepAsync(Actor actor, string repId, CancellationToken cancellationToken = default)
    {
        EnsureReader(actor);
        var today = Today();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rep = await FindReadableRepAsync(db, actor, repId, cancellationToken);
        var figures = await FiguresAsync(db, [rep.Id], today, cancellationToken);
        return new DeliveryRecordView
        {
            TeamId = rep.TeamId,
            TeamName = rep.TeamId is { } team ? await TeamNameAsync(db, team, cancellationToken) : "",
            RepId = rep.Id,
            RepName = rep.DisplayName,
            Teams = actor.IsAdmin
                ? await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new FilterOption<Guid>(t.Id, t.Name)).ToListAsync(cancellationToken)
                : [],
            Reps = rep.TeamId is { } repTeam ? await RepOptionsAsync(db, actor, repTeam, cancellationToken) : [new FilterOption<string>(rep.Id, rep.DisplayName)],
            CanShare = rep.TeamId is not null && MayShareRep(actor, rep.Id, rep.TeamId),
            Today = today,
            ByQuarter = figures.ByQuarter,
            Total = figures.Total,
            ByKind = figures.ByKind,
        };
    }

    /// <summary>
    /// Creates a public link to the team's record or a rep's (a rep: their own; a manager: one of the team's reps). The
    /// token comes back once, here; only its hash is kept.
    /// </summary>
    public async Task<SharedLinkCreated> CreateLinkAsync(Actor actor, ShareRecordInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        if (!actor.IsRep && !actor.IsManager)
            throw new AccessDeniedException("Delivery records are shared by the team's reps and managers.");
        await validator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        if (actor.TeamId is not { } team)
            throw new AccessDeniedException("You are not in a team yet, so there is no record to share.");

        string? repId = null;
        if (input.Scope == SharedRecordScope.Rep)
        {
            repId = string.IsNullOrWhiteSpace(input.RepId) ? actor.UserId : input.RepId;
            if (actor.IsRep && repId != actor.UserId)
                throw new AccessDeniedException("A rep shares their own record or the team's, not a colleague's.");
            var rep = await FindReadableRepAsync(db, actor, repId, cancellationToken);
            if (!MayShareRep(actor, rep.Id, rep.TeamId))
                throw new RecordNotFoundException("rep");
            team = rep.TeamId!.Value;
        }

        var (token, hash) = ShareToken.New();
        var link = SharedRecordLink.Create(input.Scope, team, repId, hash, input.ExpiryDays, input.Note, actor.UserId, now);
        db.SharedRecordLinks.Add(link);
        await db.SaveChangesAsync(cancellationToken);
        return new SharedLinkCreated(link.Id, token, link.ExpiresAt);
    }

    /// <summary>The active links the user may see and revoke: a rep their own; a manager the team's; an admin every one.</summary>
    public async Task<IReadOnlyList<SharedLinkRow>> LinksAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        EnsureReader(actor);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var links = VisibleLinks(db, actor).Where(l => l.RevokedAt == null && l.ExpiresAt > now);
        var rows = await (
            from l in links
            join team in db.Teams on l.TeamId equals team.Id
            join creator in db.Users on l.CreatedBy equals creator.Id
            orderby l.CreatedAt descending, l.Id
            select new
            {
                l.Id,
                l.Scope,
                l.TeamId,
                TeamName = team.Name,
                RepName = db.Users.Where(u => u.Id == l.RepId).Select(u => u.DisplayName).FirstOrDefault(),
                l.Note,
                l.CreatedBy,
                CreatorName = creator.DisplayName,
                l.CreatedAt,
                l.ExpiresAt,
            }).Take(LinksShown).ToListAsync(cancellationToken);
        return rows.Select(r => new SharedLinkRow(
            r.Id, r.Scope, r.Scope == SharedRecordScope.Team ? $"Team {r.TeamName}" : r.RepName ?? "", r.Note, r.CreatorName, r.CreatedAt, r.ExpiresAt,
            CanRevoke: r.CreatedBy == actor.UserId || Oversees(actor, r.TeamId))).ToList();
    }

    /// <summary>Revokes a link at once. A link the user may not see is "not found"; the domain says who else may not.</summary>
    public async Task RevokeLinkAsync(Actor actor, Guid linkId, CancellationToken cancellationToken = default)
    {
        EnsureReader(actor);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var link = await VisibleLinks(db, actor, tracked: true).SingleOrDefaultAsync(l => l.Id == linkId, cancellationToken)
            ?? throw new RecordNotFoundException("link");
        link.Revoke(actor.UserId, Oversees(actor, link.TeamId), now);
        await db.SaveOrExplainConflictAsync("link", cancellationToken);
    }

    /// <summary>
    /// The figures of the promises of <paramref name="owners"/>' deals (null: every deal), counted by PostgreSQL per
    /// month, kind and outcome (a few hundred rows at most) and folded into quarters here.
    /// </summary>
    internal static async Task<RecordFigures> FiguresAsync(AppDbContext db, IReadOnlyList<string>? owners, DateOnly today, CancellationToken cancellationToken)
    {
        var since = FirstQuarter(today);
        var counted = await RecordFacts(Promises(db, owners), since, today)
            .GroupBy(f => new { f.CountsOn.Year, f.CountsOn.Month, f.Kind, f.Outcome })
            .Select(g => new { g.Key.Year, g.Key.Month, g.Key.Kind, g.Key.Outcome, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var groups = counted.Select(g => (Quarter: new DateOnly(g.Year, (g.Month - 1) / 3 * 3 + 1, 1), g.Kind, g.Outcome, g.Count)).ToList();

        static DeliveryRecord Sum(IEnumerable<(DateOnly Quarter, CommitmentKind Kind, DeliveryOutcome Outcome, int Count)> list)
        {
            var items = list.ToList();
            return new(
                items.Where(g => g.Outcome == DeliveryOutcome.Kept).Sum(g => g.Count),
                items.Where(g => g.Outcome == DeliveryOutcome.KeptLate).Sum(g => g.Count),
                items.Where(g => g.Outcome == DeliveryOutcome.Broken).Sum(g => g.Count));
        }

        return new RecordFigures(
            Enumerable.Range(0, Quarters).Select(i => since.AddMonths(3 * i))
                .Select(start => new QuarterRecord(start, Sum(groups.Where(g => g.Quarter == start))))
                .ToList(),
            Sum(groups),
            groups.GroupBy(g => g.Kind)
                .Select(g => new KindRecord(g.Key, Sum(g)))
                .OrderByDescending(k => k.Record.Total).ThenBy(k => k.Kind)
                .ToList());
    }

    /// <summary>The first day of the oldest charted quarter.</summary>
    internal static DateOnly FirstQuarter(DateOnly today) =>
        new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1).AddMonths(-3 * (Quarters - 1));

    /// <summary>Each of the team's reps (and any other member with a record), counted by PostgreSQL per owner and outcome.</summary>
    private static async Task<IReadOnlyList<RepRecord>> ByRepAsync(
        AppDbContext db, IReadOnlyList<string> owners, IReadOnlyList<FilterOption<string>> reps, DateOnly today, CancellationToken cancellationToken)
    {
        var counted = await RecordFacts(Promises(db, owners), FirstQuarter(today), today)
            .GroupBy(f => new { f.RepId, f.Outcome })
            .Select(g => new { g.Key.RepId, g.Key.Outcome, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var names = reps.ToDictionary(r => r.Value, r => r.Label);
        var others = counted.Select(c => c.RepId).Where(id => !names.ContainsKey(id)).Distinct().ToList();
        if (others.Count > 0)
        {
            foreach (var user in await db.Users.AsNoTracking().Where(u => others.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName }).ToListAsync(cancellationToken))
                names[user.Id] = user.DisplayName;
        }

        return names.Select(n =>
            {
                var mine = counted.Where(c => c.RepId == n.Key).ToList();
                return new RepRecord(n.Key, n.Value, new DeliveryRecord(
                    mine.Where(c => c.Outcome == DeliveryOutcome.Kept).Sum(c => c.Count),
                    mine.Where(c => c.Outcome == DeliveryOutcome.KeptLate).Sum(c => c.Count),
                    mine.Where(c => c.Outcome == DeliveryOutcome.Broken).Sum(c => c.Count)));
            })
            .OrderBy(r => r.RepName, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.RepId, StringComparer.Ordinal)
            .ToList();
    }

    private static IQueryable<Commitment> Promises(AppDbContext db, IReadOnlyList<string>? owners) =>
        owners is null ? db.Commitments.AsNoTracking() : db.Commitments.AsNoTracking().Where(c => owners.Contains(c.DealOwnerId));

    /// <summary>
    /// The promises that count in the record from <paramref name="since"/> to today: the dashboard's rule
    /// (DashboardService.RecordFacts), each half through its partial index by deal owner.
    /// </summary>
    private static IQueryable<RecordFact> RecordFacts(IQueryable<Commitment> promises, DateOnly since, DateOnly today)
    {
        var ours = promises.Where(c => c.Direction == CommitmentDirection.Ours);
        var kept =
            from c in ours
            where (c.Status == CommitmentStatus.Kept || c.Status == CommitmentStatus.KeptLate) && c.CompletedOn >= since && c.CompletedOn <= today
            select new RecordFact
            {
                RepId = c.DealOwnerId,
                Kind = c.Kind,
                Outcome = c.Status == CommitmentStatus.Kept ? DeliveryOutcome.Kept : DeliveryOutcome.KeptLate,
                CountsOn = c.CompletedOn!.Value,
            };
        var broken =
            from c in ours
            where (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken) && c.PromisedDate < today && c.PromisedDate >= since
            select new RecordFact
            {
                RepId = c.DealOwnerId,
                Kind = c.Kind,
                Outcome = DeliveryOutcome.Broken,
                CountsOn = c.PromisedDate,
            };
        return kept.Concat(broken);
    }

    /// <summary>What the record counts of a promise.</summary>
    private sealed record RecordFact
    {
        public string RepId { get; init; } = "";
        public CommitmentKind Kind { get; init; }
        public DeliveryOutcome Outcome { get; init; }
        public DateOnly CountsOn { get; init; }
    }

    private sealed record RepRef(string Id, string DisplayName, Guid? TeamId);

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private static void EnsureReader(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsRep && !actor.IsManager && !actor.IsAdmin)
            throw new AccessDeniedException("The delivery record is for sales reps, managers and admins.");
    }

    /// <summary>The team's managers and admins oversee its links (they may see and revoke every one of them).</summary>
    private static bool Oversees(Actor actor, Guid teamId) => actor.IsAdmin || (actor.IsManager && actor.TeamId == teamId);

    private static bool MayShareTeam(Actor actor, Guid teamId) => (actor.IsRep || actor.IsManager) && actor.TeamId == teamId;

    /// <summary>A rep shares their own record; a manager the record of a rep in their team.</summary>
    private static bool MayShareRep(Actor actor, string repId, Guid? repTeamId) =>
        (actor.IsRep && actor.UserId == repId && actor.TeamId is not null)
        || (actor.IsManager && actor.TeamId is not null && actor.TeamId == repTeamId);

    private static IQueryable<SharedRecordLink> VisibleLinks(AppDbContext db, Actor actor, bool tracked = false)
    {
        var links = tracked ? db.SharedRecordLinks : db.SharedRecordLinks.AsNoTracking();
        if (actor.IsAdmin)
            return links;
        // A manager creates links only for their own team's records, so the team's links include their own (one index range).
        if (actor.IsManager && actor.TeamId is { } team)
            return links.Where(l => l.TeamId == team);
        return links.Where(l => l.CreatedBy == actor.UserId);
    }

    /// <summary>A rep's record the actor may read: their own, one of their team's (a manager), any (an admin).</summary>
    private static async Task<RepRef> FindReadableRepAsync(AppDbContext db, Actor actor, string? repId, CancellationToken cancellationToken)
    {
        var rep = string.IsNullOrWhiteSpace(repId)
            ? null
            : await db.Users.AsNoTracking().Where(u => u.Id == repId).Select(u => new RepRef(u.Id, u.DisplayName, u.TeamId)).SingleOrDefaultAsync(cancellationToken);
        var readable = rep is not null && (rep.Id == actor.UserId || actor.IsAdmin || (actor.IsManager && actor.TeamId is not null && rep.TeamId == actor.TeamId));
        return readable ? rep! : throw new RecordNotFoundException("rep's record");
    }

    private static async Task<string> TeamNameAsync(AppDbContext db, Guid teamId, CancellationToken cancellationToken) =>
        await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.Name).SingleOrDefaultAsync(cancellationToken) ?? "";

    /// <summary>The rep records the actor may open in the team: a rep their own; a manager (of the team) or an admin every rep's.</summary>
    private static async Task<IReadOnlyList<FilterOption<string>>> RepOptionsAsync(AppDbContext db, Actor actor, Guid teamId, CancellationToken cancellationToken)
    {
        if (actor.IsRep)
            return [new FilterOption<string>(actor.UserId, actor.DisplayName)];
        if (!actor.IsAdmin && !(actor.IsManager && actor.TeamId == teamId))
            return [];
        return await db.Users.AsNoTracking()
            .Where(u => u.TeamId == teamId && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == AppRoles.Rep)))
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Id)
            .Select(u => new FilterOption<string>(u.Id, u.DisplayName))
            .ToListAsync(cancellationToken);
    }
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Dashboard;

/// <summary>
/// The manager's dashboard: the team's promises not on track, most urgent first, then the delivery record and the
/// threshold alarm. A manager sees their own team only; an admin picks a team (or sees every team).
/// Built for a team of tens of thousands of promises: PostgreSQL computes every figure (GROUP BY over the team's
/// promises, one pass for the whole delivery record), the at-risk lists come a page at a time, and the rows behind a
/// number are read only when asked for, a page at a time (<see cref="RecordRowsAsync"/>).
/// </summary>
public sealed class DashboardService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The window of the delivery record, the reliability per rep, the departments and the alarm.</summary>
    public const int WindowDays = 90;

    /// <summary>Calendar months in the delivery-record-by-month chart, the current one included.</summary>
    public const int Months = 12;

    /// <summary>Rows of an at-risk list shown at first; the page asks for more.</summary>
    public const int ListPageSize = 25;

    /// <summary>Accounts the threshold alarm names; the count covers all of them.</summary>
    public const int AlarmAccountsNamed = 20;

    public async Task<DashboardView> GetAsync(Actor actor, DashboardFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        DashboardScope.EnsureAllowed(actor);
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var scope = await DashboardScope.ResolveAsync(db, actor, filter.TeamId, cancellationToken);
        if (!scope.HasTeam)
            return new DashboardView { HasTeam = false, Today = today, Filter = filter with { TeamId = null } };
        var deals = scope.Deals;
        var window = new RecordWindow(today);

        var levels = await NotOnTrack(db, scope)
            .GroupBy(c => c.RiskLevel).Select(g => new { Level = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Level, g => g.Count, cancellationToken);
        var atRiskLevels = filter.Level is { } level ? [level] : new[] { RiskLevel.AtRisk, RiskLevel.Late };
        var atRisk = await AtRiskPageAsync(db, scope, filter, atRiskLevels, 0, ListPageSize, now, today, cancellationToken);
        var watch = filter.Level is null
            ? await AtRiskPageAsync(db, scope, filter, [RiskLevel.Watch], 0, ListPageSize, now, today, cancellationToken)
            : new Page<AtRiskRow>([], 0);
        var reps = await NotOnTrack(db, scope).Select(c => c.DealOwnerId).Distinct()
            .Join(db.Users, ownerId => ownerId, u => u.Id, (_, u) => new { u.Id, u.DisplayName })
            .ToListAsync(cancellationToken);

        // The whole delivery record in one pass: counts per rep, department, month and outcome.
        var counted = await RecordFacts(db, scope, window.Since, today)
            .GroupBy(r => new { r.RepId, r.Department, r.CountsOn.Year, r.CountsOn.Month, r.Outcome, InWindow = r.CountsOn >= window.Start })
            .Select(g => new { g.Key.RepId, g.Key.Department, g.Key.Year, g.Key.Month, g.Key.Outcome, g.Key.InWindow, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var repIds = counted.Select(g => g.RepId).Distinct().ToList();
        var repNames = await db.Users.AsNoTracking().Where(u => repIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var groups = counted.Select(g => new RecordGroup(g.RepId, repNames.GetValueOrDefault(g.RepId) ?? "", g.Department, new DateOnly(g.Year, g.Month, 1), g.Outcome, g.InWindow, g.Count)).ToList();
        var inWindow = groups.Where(g => g.InWindow).ToList();

        // Open promises of ours are never on a lost deal (losing a deal waives them), nor on a paid one (paid follows delivered).
        var pendingApprovals = await scope.Commitments(db)
            .Where(c => c.AggressiveApproval == AggressiveApproval.Pending && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken))
            .CountAsync(cancellationToken);
        var verbal = await deals.Where(d => d.Stage == DealStage.Verbal)
            .GroupBy(d => d.Value.Currency)
            .Select(g => new { Currency = g.Key, Count = g.Count(), Amount = g.Sum(d => d.Value.Amount), Oldest = g.Min(d => d.StageEnteredAt) })
            .ToListAsync(cancellationToken);

        // Active accounts: those with a deal in progress, or with a promise that counts in the window's record
        // (so every account with a broken promise in the window is also an active one).
        var windowAccounts = from r in RecordFacts(db, scope, window.Start, today)
                             join d in db.Deals on r.DealId equals d.Id
                             select new { d.AccountId, r.Outcome };
        var activeAccounts = await deals
            .Where(d => d.Stage == DealStage.Verbal || d.Stage == DealStage.Ordered || d.Stage == DealStage.Delivered).Select(d => d.AccountId)
            .Union(windowAccounts.Select(r => r.AccountId))
            .CountAsync(cancellationToken);
        var broken = from r in windowAccounts
                     where r.Outcome == DeliveryOutcome.Broken
                     join a in db.Accounts on r.AccountId equals a.Id
                     select new { AccountId = a.Id, AccountName = a.Name };
        broken = broken.Distinct();
        var brokenAccounts = await broken.CountAsync(cancellationToken);
        var named = await broken.OrderBy(a => a.AccountName).ThenBy(a => a.AccountId).Take(AlarmAccountsNamed)
            .Select(a => new AccountRef(a.AccountId, a.AccountName)).ToListAsync(cancellationToken);
        var settings = await db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new RiskSettingsRecord();

        return new DashboardView
        {
            TeamId = scope.TeamId,
            TeamName = scope.TeamName,
            Teams = scope.Teams,
            Today = today,
            Filter = filter with { TeamId = scope.TeamId },
            AtRisk = atRisk.Items,
            AtRiskTotal = atRisk.TotalCount,
            Watch = watch.Items,
            WatchTotal = watch.TotalCount,
            Reps = reps.Select(r => new FilterOption<string>(r.Id, r.DisplayName)).OrderBy(o => o.Label, StringComparer.CurrentCulture).ToList(),
            AtRiskNow = levels.GetValueOrDefault(RiskLevel.AtRisk),
            LateNow = levels.GetValueOrDefault(RiskLevel.Late),
            WatchNow = levels.GetValueOrDefault(RiskLevel.Watch),
            Record = RecordGroup.Sum(inWindow),
            PendingApprovals = pendingApprovals,
            Verbal = verbal.Count == 0 ? VerbalDeals.None : new VerbalDeals(
                verbal.Sum(v => v.Count),
                verbal.OrderByDescending(v => v.Amount).Select(v => new Money(v.Amount, v.Currency)).ToList(),
                verbal.Max(v => Math.Max(0, (int)(now - v.Oldest).TotalDays))),
            ByMonth = Enumerable.Range(0, Months).Select(i => window.FirstMonth.AddMonths(i))
                .Select(month => new MonthRecord(month, RecordGroup.Sum(groups.Where(g => g.Month == month)))).ToList(),
            ByRep = inWindow.GroupBy(g => g.RepId)
                .Select(g => new RepRecord(g.Key, g.First().RepName, RecordGroup.Sum(g)))
                .OrderBy(r => r.Record.OnTimeRate).ThenBy(r => r.RepName, StringComparer.CurrentCulture).ToList(),
            ByDepartment = inWindow.Where(g => g.Outcome != DeliveryOutcome.Kept).GroupBy(g => g.Department)
                .Select(g => new DepartmentRecord(g.Key, g.Where(x => x.Outcome == DeliveryOutcome.KeptLate).Sum(x => x.Count), g.Where(x => x.Outcome == DeliveryOutcome.Broken).Sum(x => x.Count)))
                .OrderByDescending(d => d.Total).ThenBy(d => d.Department.ToString(), StringComparer.Ordinal).ToList(),
            Alarm = new ThresholdAlarm(activeAccounts, brokenAccounts, named, settings.BrokenAccountsAlarmShare),
        };
    }

    /// <summary>
    /// A further page of an at-risk list (the levels asked for, after the filters), most urgent first, for "show more".
    /// </summary>
    public async Task<Page<AtRiskRow>> AtRiskAsync(Actor actor, DashboardFilter filter, IReadOnlyCollection<RiskLevel> levels, int skip, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var scope = await DashboardScope.ResolveAsync(db, actor, filter.TeamId, cancellationToken);
        if (!scope.HasTeam)
            return new Page<AtRiskRow>([], 0);
        return await AtRiskPageAsync(db, scope, filter, levels, skip, take, now, DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
    }

    /// <summary>The delivery-record rows behind a number the manager clicked, newest first, a page at a time.</summary>
    public async Task<Page<RecordRow>> RecordRowsAsync(Actor actor, Guid? teamId, RecordFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var scope = await DashboardScope.ResolveAsync(db, actor, teamId, cancellationToken);
        if (!scope.HasTeam)
            return new Page<RecordRow>([], 0);
        var window = new RecordWindow(today);
        var rows = RecordRows(db, scope, filter.WindowOnly ? window.Start : window.Since, today);
        if (filter.Outcomes is { } outcomes)
            rows = rows.Where(r => outcomes.Contains(r.Outcome));
        if (filter.RepId is { } repId)
            rows = rows.Where(r => r.RepId == repId);
        if (filter.Department is { } department)
            rows = rows.Where(r => r.Department == department);
        if (filter.Month is { } month)
            rows = rows.Where(r => r.CountsOn >= month && r.CountsOn < month.AddMonths(1));
        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderByDescending(r => r.CountsOn).ThenBy(r => r.DealTitle).ThenBy(r => r.CommitmentId)
            .Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        return new Page<RecordRow>(items, total);
    }

    /// <summary>
    /// Open promises of ours whose stored level is Watch, AtRisk or Late (a partial index by deal owner). Never on a lost
    /// deal: losing a deal waives its open promises, and a waived promise is on track.
    /// </summary>
    private static IQueryable<Commitment> NotOnTrack(AppDbContext db, DashboardScope scope) =>
        scope.Commitments(db).Where(c => c.RiskLevel != RiskLevel.OnTrack && c.Direction == CommitmentDirection.Ours
            && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken));

    private static async Task<Page<AtRiskRow>> AtRiskPageAsync(
        AppDbContext db, DashboardScope scope, DashboardFilter filter, IReadOnlyCollection<RiskLevel> levels, int skip, int take,
        DateTimeOffset now, DateOnly today, CancellationToken cancellationToken)
    {
        var promises = NotOnTrack(db, scope).Where(c => levels.Contains(c.RiskLevel));
        if (filter.Department is { } department)
            promises = promises.Where(c => c.Department == department);
        if (filter.Kind is { } kind)
            promises = promises.Where(c => c.Kind == kind);
        if (filter.RepId is { } repId)
            promises = promises.Where(c => c.DealOwnerId == repId);
        var total = await promises.CountAsync(cancellationToken);
        if (total == 0)
            return new Page<AtRiskRow>([], 0);
        // Late first, then AtRisk, then Watch; within a level the nearest promised date, then the earliest detected.
        var rows = await (
            from c in promises
            join d in db.Deals on c.DealId equals d.Id
            join a in db.Accounts on d.AccountId equals a.Id
            join u in db.Users on d.OwnerId equals u.Id
            orderby (c.RiskLevel == RiskLevel.Late ? 3 : c.RiskLevel == RiskLevel.AtRisk ? 2 : 1) descending, c.PromisedDate, c.RiskSince, c.Id
            select new
            {
                Commitment = c,
                DealTitle = d.Title,
                AccountId = a.Id,
                AccountName = a.Name,
                RepId = u.Id,
                RepName = u.DisplayName,
                Forecast = c.Milestones
                    .Where(m => m.Status != MilestoneStatus.Done && m.Status != MilestoneStatus.Skipped)
                    .Max(m => (DateOnly?)(m.ForecastDate ?? m.PlannedDate)),
                PlanId = db.RecoveryPlans.Where(p => p.CommitmentId == c.Id && p.ResolvedAt == null).Select(p => (Guid?)p.Id).FirstOrDefault(),
            }).Skip(skip).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);

        return new Page<AtRiskRow>(rows.Select(r =>
        {
            var c = r.Commitment;
            // Reasons live in a jsonb column: read after loading, never filtered in SQL.
            return new AtRiskRow
            {
                CommitmentId = c.Id,
                DealId = c.DealId,
                DealTitle = r.DealTitle,
                AccountId = r.AccountId,
                AccountName = r.AccountName,
                RepId = r.RepId,
                RepName = r.RepName,
                Kind = c.Kind,
                Department = c.Department,
                Description = c.Description,
                Level = c.RiskLevel,
                PromisedDate = c.PromisedDate,
                NeedDate = c.NeedDate,
                Forecast = r.Forecast,
                BufferLeftDays = c.NeedDate is { } need && r.Forecast is { } forecast ? need.DayNumber - forecast.DayNumber : null,
                DaysToPromised = c.PromisedDate.DayNumber - today.DayNumber,
                Reasons = c.RiskReasons.Select(x => x.Sentence).ToList(),
                CustomerCaused = c.RiskReasons.Any(x => x.CustomerCaused),
                DetectedAt = c.RiskSince,
                DaysSinceDetected = c.RiskSince is { } since ? Math.Max(0, (int)(now - since).TotalDays) : 0,
                RecoveryPlanId = r.PlanId,
            };
        }).ToList(), total);
    }

    /// <summary>
    /// Promises of ours that count in the record from <paramref name="since"/> to today, as PostgreSQL counts them: kept
    /// or kept late (by completion date), and broken (promised date passed, not done; by promised date, whether or not the
    /// sweep has marked them Broken yet). Both through partial indexes by deal owner. Unfinished promises of lost deals are
    /// waived with the deal, so none counts.
    /// </summary>
    private static IQueryable<RecordFact> RecordFacts(AppDbContext db, DashboardScope scope, DateOnly since, DateOnly today)
    {
        // Two index-only scans appended (one per partial index), rather than one OR that reads the table's rows.
        var ours = scope.Commitments(db).Where(c => c.Direction == CommitmentDirection.Ours);
        var kept =
            from c in ours
            where (c.Status == CommitmentStatus.Kept || c.Status == CommitmentStatus.KeptLate) && c.CompletedOn >= since && c.CompletedOn <= today
            select new RecordFact
            {
                CommitmentId = c.Id,
                DealId = c.DealId,
                RepId = c.DealOwnerId,
                Department = c.Department,
                Outcome = c.Status == CommitmentStatus.Kept ? DeliveryOutcome.Kept : DeliveryOutcome.KeptLate,
                CountsOn = c.CompletedOn!.Value,
            };
        var broken =
            from c in ours
            where (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken) && c.PromisedDate < today && c.PromisedDate >= since
            select new RecordFact
            {
                CommitmentId = c.Id,
                DealId = c.DealId,
                RepId = c.DealOwnerId,
                Department = c.Department,
                Outcome = DeliveryOutcome.Broken,
                CountsOn = c.PromisedDate,
            };
        return kept.Concat(broken);
    }

    /// <summary>The record's promises with what a row behind a number shows: the deal, account and rep joined.</summary>
    private static IQueryable<RecordRow> RecordRows(AppDbContext db, DashboardScope scope, DateOnly since, DateOnly today) =>
        from f in RecordFacts(db, scope, since, today)
        join c in db.Commitments on f.CommitmentId equals c.Id
        join d in db.Deals on f.DealId equals d.Id
        join a in db.Accounts on d.AccountId equals a.Id
        join u in db.Users on f.RepId equals u.Id
        select new RecordRow
        {
            CommitmentId = f.CommitmentId,
            DealId = f.DealId,
            DealTitle = d.Title,
            AccountId = a.Id,
            AccountName = a.Name,
            RepId = u.Id,
            RepName = u.DisplayName,
            Kind = c.Kind,
            Department = f.Department,
            Description = c.Description,
            Outcome = f.Outcome,
            PromisedDate = c.PromisedDate,
            CountsOn = f.CountsOn,
        };

    /// <summary>What the record counts of a promise.</summary>
    private sealed record RecordFact
    {
        public Guid CommitmentId { get; init; }
        public Guid DealId { get; init; }
        public string RepId { get; init; } = "";
        public Department Department { get; init; }
        public DeliveryOutcome Outcome { get; init; }
        public DateOnly CountsOn { get; init; }
    }

    /// <summary>The days the record covers: the window (the last <see cref="WindowDays"/>) and the charted months.</summary>
    private sealed record RecordWindow(DateOnly Today)
    {
        public DateOnly Start => Today.AddDays(-(WindowDays - 1));
        public DateOnly FirstMonth => new DateOnly(Today.Year, Today.Month, 1).AddMonths(-(Months - 1));
        public DateOnly Since => Start < FirstMonth ? Start : FirstMonth;
    }

    /// <summary>Promises of one rep, department, month and outcome: the grain PostgreSQL counts the record in.</summary>
    private sealed record RecordGroup(string RepId, string RepName, Department Department, DateOnly Month, DeliveryOutcome Outcome, bool InWindow, int Count)
    {
        public static DeliveryRecord Sum(IEnumerable<RecordGroup> groups)
        {
            var list = groups.ToList();
            return new(
                list.Where(g => g.Outcome == DeliveryOutcome.Kept).Sum(g => g.Count),
                list.Where(g => g.Outcome == DeliveryOutcome.KeptLate).Sum(g => g.Count),
                list.Where(g => g.Outcome == DeliveryOutcome.Broken).Sum(g => g.Count));
        }
    }
}

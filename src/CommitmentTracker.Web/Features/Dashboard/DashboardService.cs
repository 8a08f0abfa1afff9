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
/// SQL selects the rows (the at-risk list by the stored, indexed risk level; the record by status and date; counts of
/// approvals, verbal deals and accounts); the figures are computed in memory from those rows, since a team is small.
/// </summary>
public sealed class DashboardService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The window of the delivery record, the reliability per rep, the departments and the alarm.</summary>
    public const int WindowDays = 90;

    /// <summary>Calendar months in the delivery-record-by-month chart, the current one included.</summary>
    public const int Months = 12;

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
        var (teamId, teamName, teams, deals) = (scope.TeamId, scope.TeamName, scope.Teams, scope.Deals);
        var atRisk = await AtRiskRowsAsync(db, deals, now, today, cancellationToken);
        var record = await RecordRowsAsync(db, deals, today, cancellationToken);
        var inWindow = record.Where(r => r.InWindow).ToList();

        var pendingApprovals = await (
            from c in db.Commitments.AsNoTracking()
            join d in deals on c.DealId equals d.Id
            where c.AggressiveApproval == AggressiveApproval.Pending
                  && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken)
                  && d.Stage != DealStage.Lost && d.Stage != DealStage.Paid
            select c.Id).CountAsync(cancellationToken);

        var verbal = await deals.Where(d => d.Stage == DealStage.Verbal)
            .Select(d => new { d.Value.Amount, d.Value.Currency, d.StageEnteredAt }).ToListAsync(cancellationToken);

        // Active accounts: those with a deal in progress, or with a promise that counts in the window's record
        // (so every account with a broken promise in the window is also an active one).
        var accountsInProgress = await deals
            .Where(d => d.Stage == DealStage.Verbal || d.Stage == DealStage.Ordered || d.Stage == DealStage.Delivered)
            .Select(d => d.AccountId).Distinct().ToListAsync(cancellationToken);
        var activeAccounts = accountsInProgress.Concat(inWindow.Select(r => r.AccountId)).ToHashSet();
        var settings = await db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new RiskSettingsRecord();
        var brokenAccounts = inWindow.Where(r => r.Outcome == DeliveryOutcome.Broken)
            .GroupBy(r => r.AccountId).Select(g => new AccountRef(g.Key, g.First().AccountName))
            .OrderBy(a => a.Name, StringComparer.CurrentCulture).ToList();

        return new DashboardView
        {
            TeamId = teamId,
            TeamName = teamName,
            Teams = teams,
            Today = today,
            Filter = filter with { TeamId = teamId },
            AtRisk = Filtered(atRisk, filter).Where(r => filter.Level is not null || r.Level >= RiskLevel.AtRisk).ToList(),
            Watch = filter.Level is null ? Filtered(atRisk, filter).Where(r => r.Level == RiskLevel.Watch).ToList() : [],
            Reps = atRisk.GroupBy(r => r.RepId).Select(g => new FilterOption<string>(g.Key, g.First().RepName))
                .OrderBy(o => o.Label, StringComparer.CurrentCulture).ToList(),
            AtRiskNow = atRisk.Count(r => r.Level == RiskLevel.AtRisk),
            LateNow = atRisk.Count(r => r.Level == RiskLevel.Late),
            WatchNow = atRisk.Count(r => r.Level == RiskLevel.Watch),
            Record = DeliveryRecord.Of(inWindow),
            PendingApprovals = pendingApprovals,
            Verbal = verbal.Count == 0 ? VerbalDeals.None : new VerbalDeals(
                verbal.Count,
                verbal.GroupBy(v => v.Currency).OrderByDescending(g => g.Sum(v => v.Amount))
                    .Select(g => new Money(g.Sum(v => v.Amount), g.Key)).ToList(),
                verbal.Max(v => Math.Max(0, (int)(now - v.StageEnteredAt).TotalDays))),
            ByMonth = ByMonth(record, today),
            ByRep = inWindow.GroupBy(r => r.RepId)
                .Select(g => new RepRecord(g.Key, g.First().RepName, DeliveryRecord.Of(g)))
                .OrderBy(r => r.Record.OnTimeRate).ThenBy(r => r.RepName, StringComparer.CurrentCulture).ToList(),
            ByDepartment = inWindow.Where(r => r.Outcome != DeliveryOutcome.Kept).GroupBy(r => r.Department)
                .Select(g => new DepartmentRecord(g.Key, g.Count(r => r.Outcome == DeliveryOutcome.KeptLate), g.Count(r => r.Outcome == DeliveryOutcome.Broken)))
                .OrderByDescending(d => d.Total).ThenBy(d => d.Department.ToString(), StringComparer.Ordinal).ToList(),
            Alarm = new ThresholdAlarm(activeAccounts.Count, brokenAccounts, settings.BrokenAccountsAlarmShare),
            RecordRows = record,
        };
    }

    /// <summary>Open promises of ours whose stored level is Watch, AtRisk or Late (one indexed query), most urgent first.</summary>
    private static async Task<List<AtRiskRow>> AtRiskRowsAsync(AppDbContext db, IQueryable<Deal> deals, DateTimeOffset now, DateOnly today, CancellationToken cancellationToken)
    {
        var rows = await (
            from c in db.Commitments.AsNoTracking()
            join d in deals on c.DealId equals d.Id
            join a in db.Accounts on d.AccountId equals a.Id
            join u in db.Users on d.OwnerId equals u.Id
            where c.Direction == CommitmentDirection.Ours
                  && (c.RiskLevel == RiskLevel.Watch || c.RiskLevel == RiskLevel.AtRisk || c.RiskLevel == RiskLevel.Late)
                  && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken)
                  && d.Stage != DealStage.Lost
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
            }).ToListAsync(cancellationToken);

        return rows.Select(r =>
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
            })
            .OrderBy(r => r, Urgency)
            .ToList();
    }

    /// <summary>Late first, then AtRisk, then Watch; within a level the nearest promised date, then the earliest detected.</summary>
    public static IComparer<AtRiskRow> Urgency { get; } = Comparer<AtRiskRow>.Create((x, y) =>
    {
        var byLevel = y.Level.CompareTo(x.Level);
        if (byLevel != 0)
            return byLevel;
        var byDate = x.PromisedDate.CompareTo(y.PromisedDate);
        if (byDate != 0)
            return byDate;
        var byDetection = (x.DetectedAt ?? DateTimeOffset.MaxValue).CompareTo(y.DetectedAt ?? DateTimeOffset.MaxValue);
        return byDetection != 0 ? byDetection : x.CommitmentId.CompareTo(y.CommitmentId);
    });

    /// <summary>
    /// Promises of ours that count in the record of the charted months: kept or kept late (by completion date), and
    /// broken (promised date passed, not done; by promised date, whether or not the sweep has marked them Broken yet).
    /// Unfinished promises of lost deals are left out: the customer no longer expects them.
    /// </summary>
    private static async Task<List<RecordRow>> RecordRowsAsync(AppDbContext db, IQueryable<Deal> deals, DateOnly today, CancellationToken cancellationToken)
    {
        var windowStart = today.AddDays(-(WindowDays - 1));
        var firstMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-(Months - 1));
        var since = windowStart < firstMonth ? windowStart : firstMonth;
        var rows = await (
            from c in db.Commitments.AsNoTracking()
            join d in deals on c.DealId equals d.Id
            join a in db.Accounts on d.AccountId equals a.Id
            join u in db.Users on d.OwnerId equals u.Id
            where c.Direction == CommitmentDirection.Ours
                  && (((c.Status == CommitmentStatus.Kept || c.Status == CommitmentStatus.KeptLate) && c.CompletedOn >= since && c.CompletedOn <= today)
                      || ((c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken)
                          && c.PromisedDate < today && c.PromisedDate >= since && d.Stage != DealStage.Lost))
            select new
            {
                c.Id,
                c.DealId,
                DealTitle = d.Title,
                AccountId = a.Id,
                AccountName = a.Name,
                RepId = u.Id,
                RepName = u.DisplayName,
                c.Kind,
                c.Department,
                c.Description,
                c.Status,
                c.PromisedDate,
                c.CompletedOn,
            }).ToListAsync(cancellationToken);

        return rows.Select(r =>
            {
                var countsOn = r.CompletedOn ?? r.PromisedDate;
                return new RecordRow
                {
                    CommitmentId = r.Id,
                    DealId = r.DealId,
                    DealTitle = r.DealTitle,
                    AccountId = r.AccountId,
                    AccountName = r.AccountName,
                    RepId = r.RepId,
                    RepName = r.RepName,
                    Kind = r.Kind,
                    Department = r.Department,
                    Description = r.Description,
                    Outcome = r.Status switch
                    {
                        CommitmentStatus.Kept => DeliveryOutcome.Kept,
                        CommitmentStatus.KeptLate => DeliveryOutcome.KeptLate,
                        _ => DeliveryOutcome.Broken,
                    },
                    PromisedDate = r.PromisedDate,
                    CountsOn = countsOn,
                    InWindow = countsOn >= windowStart && countsOn <= today,
                };
            })
            .OrderByDescending(r => r.CountsOn).ThenBy(r => r.DealTitle, StringComparer.CurrentCulture)
            .ToList();
    }

    private static IEnumerable<AtRiskRow> Filtered(IEnumerable<AtRiskRow> rows, DashboardFilter filter) => rows.Where(r =>
        (filter.RepId is null || r.RepId == filter.RepId)
        && (filter.Department is null || r.Department == filter.Department)
        && (filter.Kind is null || r.Kind == filter.Kind)
        && (filter.Level is null || r.Level == filter.Level));

    private static List<MonthRecord> ByMonth(IReadOnlyList<RecordRow> record, DateOnly today)
    {
        var current = new DateOnly(today.Year, today.Month, 1);
        return Enumerable.Range(0, Months)
            .Select(i => current.AddMonths(i - (Months - 1)))
            .Select(month => new MonthRecord(month, DeliveryRecord.Of(record.Where(r => r.CountsOn.Year == month.Year && r.CountsOn.Month == month.Month))))
            .ToList();
    }
}

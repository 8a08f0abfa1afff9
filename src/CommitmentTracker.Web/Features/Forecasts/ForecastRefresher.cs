using System.Data.Common;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Forecasts;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Features.Forecasts;

/// <summary>Settings of the forecast's precomputation (section "Forecast").</summary>
public sealed class ForecastRefreshOptions
{
    public const string Section = "Forecast";

    /// <summary>How often the curves are recomputed from the history (they move slowly: a day's promises among two years').</summary>
    public int RefreshIntervalMinutes { get; set; } = 360;

    public bool RefreshEnabled { get; set; } = true;
}

/// <summary>
/// Recomputes every reference group's survival curve from the history in one pass: PostgreSQL counts completed and
/// censored promises per group and day (GROUPING SETS over the four levels), the domain turns the counts into
/// Kaplan-Meier curves, and the table is replaced in one transaction. Runs at start-up and on a timer, once across
/// instances (an advisory lock).
/// </summary>
public sealed class ForecastRefresher(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, IOptions<ForecastRefreshOptions> options, ILogger<ForecastRefresher> logger) : BackgroundService
{
    private const long AdvisoryLockKey = 0x466F726563617374; // "Forecast"

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RefreshEnabled)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.Value.RefreshIntervalMinutes)), clock);
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // one failed refresh must not stop the next; the old curves stay meanwhile
            catch (Exception ex)
#pragma warning restore CA1031
            {
                logger.LogError(ex, "Forecast refresh failed; the previous curves stay until the next interval");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Recomputes and stores every group's curve; returns how many groups were stored (0 when another instance is at it).</summary>
    public async Task<int> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var since = new DateTimeOffset(today.AddMonths(-ForecastSettings.Defaults.WindowMonths).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({AdvisoryLockKey}) AS \"Value\"").SingleAsync(cancellationToken);
            if (!locked)
                return 0;
            var counts = await CountsAsync(db, today, since, cancellationToken);
            var rows = counts
                .GroupBy(c => c.Group)
                .Select(g =>
                {
                    var curve = SurvivalCurve.FromCounts(g.Select(c => c.Count));
                    return new ForecastCurveRecord
                    {
                        GroupKey = g.Key.Key,
                        Promises = curve.Promises,
                        Completed = curve.Completed,
                        Days = [.. curve.Days],
                        Undone = [.. curve.Survival],
                        ComputedAt = now,
                    };
                })
                .ToList();
            await db.ForecastCurves.ExecuteDeleteAsync(cancellationToken);
            db.ForecastCurves.AddRange(rows);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return rows.Count;
        });
    }

    /// <summary>
    /// Completed and censored promises of ours per reference group and day, counted by PostgreSQL in one scan. Each promise
    /// is timed from the day it was made, and again from the day its plan reached each later stage (the milestone that
    /// brought it there). Days are working days of the deal's rep's team: the calendars go in as a table of "working days
    /// so far" per team and date, so a duration is one subtraction.
    /// </summary>
    internal static async Task<List<(ReferenceGroup Group, DurationCount Count)>> CountsAsync(AppDbContext db, DateOnly today, DateTimeOffset since, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH wd AS (
                SELECT * FROM unnest(@cal_team, @cal_day, @cal_index) AS w(team_id, day, n)
            ), ms AS (
                SELECT commitment_id, count(*)::int AS n, (count(*) FILTER (WHERE status <> 'Skipped'))::int AS planned
                FROM milestones GROUP BY commitment_id
            ), base AS (
                SELECT c.id, c.kind, c.department,
                       CASE WHEN d.value_amount < 10000 THEN 'Under10k'
                            WHEN d.value_amount < 100000 THEN 'From10kTo100k'
                            WHEN d.value_amount < 1000000 THEN 'From100kTo1M'
                            ELSE 'Over1M' END AS band,
                       LEAST(COALESCE(ms.n, 0), @cap) AS milestones,
                       COALESCE(ms.planned, 0) AS planned,
                       COALESCE(wc.team_id, @default_team) AS calendar,
                       (c.created_at AT TIME ZONE 'UTC')::date AS made_on,
                       c.status IN ('Kept', 'KeptLate') AS done,
                       CASE WHEN c.status IN ('Kept', 'KeptLate') THEN c.completed_on ELSE @yesterday END AS end_on
                FROM commitments c
                JOIN deals d ON d.id = c.deal_id
                LEFT JOIN "AspNetUsers" u ON u.id = c.deal_owner_id
                LEFT JOIN working_calendars wc ON wc.team_id = u.team_id
                LEFT JOIN ms ON ms.commitment_id = c.id
                WHERE c.direction = 'Ours' AND c.status <> 'Waived' AND c.created_at >= @since
                  AND (c.completed_on IS NOT NULL OR c.status NOT IN ('Kept', 'KeptLate'))
            ), steps AS (
                SELECT m.commitment_id, m.completed_on,
                       row_number() OVER (PARTITION BY m.commitment_id ORDER BY m.completed_on, m.id) AS k
                FROM milestones m
                WHERE m.status = 'Done' AND m.completed_on IS NOT NULL
                  AND m.commitment_id IN (SELECT id FROM base WHERE planned > 0)
            ), stages AS (
                SELECT s.commitment_id,
                       CASE WHEN s.k >= b.planned THEN 'AllDone' WHEN 2 * s.k >= b.planned THEN 'HalfDone' ELSE 'Started' END AS stage,
                       min(s.completed_on) AS reached_on
                FROM steps s JOIN base b ON b.id = s.commitment_id
                GROUP BY 1, 2
            ), timed AS (
                SELECT b.kind, b.department, b.band, b.milestones, NULL::text AS stage, b.calendar, b.made_on AS start_on, b.end_on, b.done
                FROM base b
                UNION ALL
                SELECT b.kind, b.department, b.band, b.milestones, st.stage, b.calendar, st.reached_on, b.end_on, b.done
                FROM stages st JOIN base b ON b.id = st.commitment_id
            ), h AS (
                SELECT t.kind, t.department, t.band, t.milestones, t.stage, t.done,
                       CASE WHEN t.done THEN GREATEST(e.n - s.n, 0) ELSE e.n - s.n END AS days
                FROM timed t
                JOIN wd s ON s.team_id = t.calendar AND s.day = LEAST(GREATEST(t.start_on, @first_day), @today)
                JOIN wd e ON e.team_id = t.calendar AND e.day = LEAST(GREATEST(t.end_on, @first_day), @today)
                -- An open promise is known undone through yesterday: one made (or reaching its stage) today tells nothing yet.
                WHERE t.done OR t.start_on <= @yesterday
            )
            SELECT GROUPING(kind, department, band, milestones)::int AS g, kind, department, band, milestones, days,
                   (count(*) FILTER (WHERE done))::int AS completed, (count(*) FILTER (WHERE NOT done))::int AS censored, stage
            FROM h
            WHERE days >= 0
            GROUP BY stage, GROUPING SETS ((kind, department, band, milestones, days), (kind, department, days), (kind, days), (days))
            """;
        var (teams, days, indexes) = await WorkingDayIndexAsync(db, DateOnly.FromDateTime(since.UtcDateTime), today, cancellationToken);
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        Add(command, "cap", ReferenceGroup.MilestoneCountCap);
        Add(command, "today", today);
        Add(command, "yesterday", today.AddDays(-1));
        Add(command, "first_day", DateOnly.FromDateTime(since.UtcDateTime));
        Add(command, "since", since);
        Add(command, "default_team", Guid.Empty);
        Add(command, "cal_team", teams);
        Add(command, "cal_day", days);
        Add(command, "cal_index", indexes);
        var result = new List<(ReferenceGroup, DurationCount)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var grouping = reader.GetInt32(0);
            var level = grouping switch
            {
                0 => ReferenceLevel.Similar,
                3 => ReferenceLevel.KindAndDepartment,
                7 => ReferenceLevel.Kind,
                _ => ReferenceLevel.All,
            };
            CommitmentKind? kind = reader.IsDBNull(1) ? null : Enum.Parse<CommitmentKind>(reader.GetString(1));
            Department? department = reader.IsDBNull(2) ? null : Enum.Parse<Department>(reader.GetString(2));
            ValueBand? band = reader.IsDBNull(3) ? null : Enum.Parse<ValueBand>(reader.GetString(3));
            int? milestones = reader.IsDBNull(4) ? null : reader.GetInt32(4);
            PlanStage? stage = reader.IsDBNull(8) ? null : Enum.Parse<PlanStage>(reader.GetString(8));
            result.Add((new ReferenceGroup(level, kind, department, band, milestones, stage), new DurationCount(reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7))));
        }
        return result;
    }

    /// <summary>
    /// For every stored working calendar, and the default one (under <see cref="Guid.Empty"/>) for teams without one: the
    /// working days after <paramref name="from"/> up to each date through <paramref name="to"/>, as three parallel arrays.
    /// </summary>
    private static async Task<(Guid[] Teams, DateOnly[] Days, int[] Indexes)> WorkingDayIndexAsync(AppDbContext db, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var calendars = await db.WorkingCalendars.AsNoTracking().ToListAsync(cancellationToken);
        calendars.Add(WorkingCalendar.Default(Guid.Empty));
        var length = to.DayNumber - from.DayNumber + 1;
        var teams = new Guid[calendars.Count * length];
        var days = new DateOnly[teams.Length];
        var indexes = new int[teams.Length];
        var i = 0;
        foreach (var calendar in calendars)
        {
            var count = 0;
            for (var day = from; day <= to; day = day.AddDays(1), i++)
            {
                if (day > from && calendar.IsWorkingDay(day))
                    count++;
                (teams[i], days[i], indexes[i]) = (calendar.TeamId, day, count);
            }
        }
        return (teams, days, indexes);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

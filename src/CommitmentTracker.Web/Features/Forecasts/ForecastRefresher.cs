using System.Data.Common;
using CommitmentTracker.Domain;
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
    /// Completed and censored promises of ours per reference group and day, counted by PostgreSQL in one scan.
    /// Durations are calendar days (the two date differences below): a working calendar replaces them.
    /// </summary>
    internal static async Task<List<(ReferenceGroup Group, DurationCount Count)>> CountsAsync(AppDbContext db, DateOnly today, DateTimeOffset since, CancellationToken cancellationToken)
    {
        const string sql = """
            WITH ms AS (
                SELECT commitment_id, count(*)::int AS n FROM milestones GROUP BY commitment_id
            ), h AS (
                SELECT c.kind, c.department,
                       CASE WHEN d.value_amount < 10000 THEN 'Under10k'
                            WHEN d.value_amount < 100000 THEN 'From10kTo100k'
                            WHEN d.value_amount < 1000000 THEN 'From100kTo1M'
                            ELSE 'Over1M' END AS band,
                       LEAST(COALESCE(ms.n, 0), @cap) AS milestones,
                       CASE WHEN c.status IN ('Kept', 'KeptLate') THEN GREATEST(c.completed_on - (c.created_at AT TIME ZONE 'UTC')::date, 0)
                            ELSE @today - (c.created_at AT TIME ZONE 'UTC')::date - 1 END AS days,
                       c.status IN ('Kept', 'KeptLate') AS done
                FROM commitments c
                JOIN deals d ON d.id = c.deal_id
                LEFT JOIN ms ON ms.commitment_id = c.id
                WHERE c.direction = 'Ours' AND c.status <> 'Waived' AND c.created_at >= @since
                  AND (c.completed_on IS NOT NULL OR c.status NOT IN ('Kept', 'KeptLate'))
            )
            SELECT GROUPING(kind, department, band, milestones)::int AS g, kind, department, band, milestones, days,
                   (count(*) FILTER (WHERE done))::int AS completed, (count(*) FILTER (WHERE NOT done))::int AS censored
            FROM h
            WHERE days >= 0
            GROUP BY GROUPING SETS ((kind, department, band, milestones, days), (kind, department, days), (kind, days), (days))
            """;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        Add(command, "cap", ReferenceGroup.MilestoneCountCap);
        Add(command, "today", today);
        Add(command, "since", since);
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
            result.Add((new ReferenceGroup(level, kind, department, band, milestones), new DurationCount(reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7))));
        }
        return result;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

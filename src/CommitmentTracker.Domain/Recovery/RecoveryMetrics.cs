using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Recovery;

/// <summary>
/// How a promise came out of its recovery: <see cref="Broken"/> when it ended Broken or KeptLate; otherwise
/// <see cref="Recovered"/> (kept, waived by agreement, or still open and on its way).
/// </summary>
public enum RecoveryOutcome { Recovered, Broken }

/// <summary>What the metrics need of one recovery plan: its times, cause, compensation and its promise's status now.</summary>
public sealed record RecoveryPlanFacts
{
    public Guid PlanId { get; init; }

    /// <summary>The status of the promise the plan recovers, as it stands now.</summary>
    public CommitmentStatus PromiseStatus { get; init; }

    /// <summary>The currency of the deal: compensation amounts are in it.</summary>
    public string Currency { get; init; } = "";

    public DateTimeOffset DetectedAt { get; init; }
    public DateTimeOffset ManagerAlertedAt { get; init; }
    public DateTimeOffset? CustomerToldAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public RootCause? RootCause { get; init; }
    public Department? RootCauseDepartment { get; init; }
    public Compensation? Compensation { get; init; }
    public bool CompensationApproved { get; init; }

    /// <summary>An open plan with a step not done past its due time.</summary>
    public bool HasOverdueStep { get; init; }

    public bool IsClosed => ResolvedAt is not null;

    public RecoveryOutcome Outcome => RecoveryMetrics.OutcomeOf(PromiseStatus);

    public static RecoveryPlanFacts Of(RecoveryPlan plan, CommitmentStatus promiseStatus, string currency, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new()
        {
            PlanId = plan.Id,
            PromiseStatus = promiseStatus,
            Currency = currency,
            DetectedAt = plan.DetectedAt,
            ManagerAlertedAt = plan.ManagerAlertedAt,
            CustomerToldAt = plan.CustomerToldAt,
            ResolvedAt = plan.ResolvedAt,
            RootCause = plan.RootCause,
            RootCauseDepartment = plan.RootCauseDepartment,
            Compensation = plan.Compensation,
            CompensationApproved = plan.CompensationApprovedAt is not null,
            HasOverdueStep = !plan.IsClosed && plan.Steps.Any(s => s.IsOverdue(now)),
        };
    }
}

/// <summary>Closed plans of one root cause, recovered and broken, with the share of all closed plans up to this bar.</summary>
public sealed record RootCauseBar(RootCause RootCause, int Recovered, int Broken, decimal Share, decimal CumulativeShare)
{
    public int Total => Recovered + Broken;
}

/// <summary>Closed plans whose root cause lay in one department, recovered and broken.</summary>
public sealed record DepartmentBar(Department Department, int Recovered, int Broken)
{
    public int Total => Recovered + Broken;
}

/// <summary>
/// Compensation in one currency: what it cost us against the budgets (the customer acquisition cost at the time), its
/// face value to the customers, and the compensations above budget, approved or still waiting for the manager.
/// </summary>
public sealed record CompensationSpend(
    string Currency, int Plans, decimal Spent, decimal Budget, decimal FaceValue, int AboveBudget, int AboveBudgetApproved, int AboveBudgetAwaitingApproval,
    decimal AwaitingApprovalCost = 0)
{
    /// <summary>Spent / budget (1 = exactly on budget); null when there was no budget.</summary>
    public decimal? SpentShare => Budget == 0 ? null : decimal.Round(Spent / Budget, 4);
}

/// <summary>An average and a median duration over the plans that have the time; nulls when none has.</summary>
public sealed record DurationFigure(int Plans, TimeSpan? Average, TimeSpan? Median)
{
    public static DurationFigure None { get; } = new(0, null, null);

    public static DurationFigure Of(IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Select(d => d.Ticks).Order().ToList();
        if (sorted.Count == 0)
            return None;
        var average = (long)Math.Round(sorted.Average(t => (decimal)t), MidpointRounding.AwayFromZero);
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1
            ? sorted[middle]
            : (long)Math.Round(((decimal)sorted[middle - 1] + sorted[middle]) / 2, MidpointRounding.AwayFromZero);
        return new(sorted.Count, TimeSpan.FromTicks(average), TimeSpan.FromTicks(median));
    }
}

/// <summary>What the recovery plans of a window teach: see <see cref="RecoveryMetrics.Of"/>.</summary>
public sealed record RecoveryFigures(
    int ClosedPlans,
    IReadOnlyList<RootCauseBar> ByRootCause,
    IReadOnlyList<DepartmentBar> ByDepartment,
    IReadOnlyList<CompensationSpend> Compensation,
    DurationFigure DetectionToManagerAlerted,
    DurationFigure DetectionToCustomerTold,
    DurationFigure DetectionToResolved,
    int OpenPlans,
    int OpenPlansWithOverdueStep)
{
    public static RecoveryFigures Empty { get; } = new(0, [], [], [], DurationFigure.None, DurationFigure.None, DurationFigure.None, 0, 0);
}

/// <summary>
/// The figures of "what the recovery plans teach". The window holds the plans closed since its start (the root-cause
/// Pareto and the department split count those) plus the plans still open: compensation and durations count both, the
/// plans worked in the window, so that money already given on an open plan shows at once.
/// </summary>
public static class RecoveryMetrics
{
    /// <summary>Broken when the promise ended Broken or KeptLate; anything else (kept, waived, still open) is recovered.</summary>
    public static RecoveryOutcome OutcomeOf(CommitmentStatus status) =>
        status is CommitmentStatus.Broken or CommitmentStatus.KeptLate ? RecoveryOutcome.Broken : RecoveryOutcome.Recovered;

    public static RecoveryFigures Of(IEnumerable<RecoveryPlanFacts> plans, DateTimeOffset windowStart)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var all = plans.ToList();
        var open = all.Where(p => !p.IsClosed).ToList();
        var closed = all.Where(p => p.ResolvedAt >= windowStart && p.RootCause is not null).ToList();
        var worked = open.Concat(closed).ToList();

        return new RecoveryFigures(
            closed.Count,
            Pareto(closed),
            closed.Where(p => p.RootCauseDepartment is not null)
                .GroupBy(p => p.RootCauseDepartment!.Value)
                .Select(g => new DepartmentBar(g.Key, g.Count(p => p.Outcome == RecoveryOutcome.Recovered), g.Count(p => p.Outcome == RecoveryOutcome.Broken)))
                .OrderByDescending(b => b.Total).ThenBy(b => b.Department)
                .ToList(),
            Spend(worked),
            DurationFigure.Of(worked.Select(p => Positive(p.ManagerAlertedAt - p.DetectedAt))),
            DurationFigure.Of(worked.Where(p => p.CustomerToldAt is not null).Select(p => Positive(p.CustomerToldAt!.Value - p.DetectedAt))),
            DurationFigure.Of(closed.Select(p => Positive(p.ResolvedAt!.Value - p.DetectedAt))),
            open.Count,
            open.Count(p => p.HasOverdueStep));
    }

    /// <summary>Most frequent cause first (ties in the order of the causes); the cumulative share ends at 1.</summary>
    private static List<RootCauseBar> Pareto(List<RecoveryPlanFacts> closed)
    {
        var bars = new List<RootCauseBar>();
        var running = 0;
        foreach (var group in closed.GroupBy(p => p.RootCause!.Value).OrderByDescending(g => g.Count()).ThenBy(g => g.Key))
        {
            var count = group.Count();
            running += count;
            bars.Add(new RootCauseBar(
                group.Key,
                group.Count(p => p.Outcome == RecoveryOutcome.Recovered),
                group.Count(p => p.Outcome == RecoveryOutcome.Broken),
                decimal.Round((decimal)count / closed.Count, 4),
                decimal.Round((decimal)running / closed.Count, 4)));
        }
        return bars;
    }

    /// <summary>Per currency, the largest spend first: amounts in different currencies are never added up.</summary>
    private static List<CompensationSpend> Spend(IEnumerable<RecoveryPlanFacts> worked) => worked
        .Where(p => p.Compensation is not null)
        .GroupBy(p => p.Currency)
        .Select(g =>
        {
            var aboveBudget = g.Where(p => p.Compensation!.ExceedsBudget).ToList();
            return new CompensationSpend(
                g.Key,
                g.Count(),
                // Spent: what was given; a compensation above budget is spent only once the manager approved it.
                g.Where(p => !p.Compensation!.ExceedsBudget || p.CompensationApproved).Sum(p => p.Compensation!.CostToUs),
                g.Sum(p => p.Compensation!.Budget),
                g.Sum(p => p.Compensation!.FaceValue),
                aboveBudget.Count,
                aboveBudget.Count(p => p.CompensationApproved),
                aboveBudget.Count(p => !p.CompensationApproved),
                aboveBudget.Where(p => !p.CompensationApproved).Sum(p => p.Compensation!.CostToUs));
        })
        .OrderByDescending(s => s.Spent).ThenBy(s => s.Currency, StringComparer.Ordinal)
        .ToList();

    // A detection time may lie up to a few minutes after the plan opened (clock skew): that is no time at all, not less.
    private static TimeSpan Positive(TimeSpan duration) => duration < TimeSpan.Zero ? TimeSpan.Zero : duration;
}

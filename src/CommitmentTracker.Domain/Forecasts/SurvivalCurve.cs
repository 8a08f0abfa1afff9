namespace CommitmentTracker.Domain.Forecasts;

/// <summary>
/// One promise of the history as the estimate sees it: <paramref name="Days"/> from promising to completion when
/// <paramref name="Completed"/>, else the days it is known to have stayed undone (censored).
/// </summary>
public readonly record struct PromiseObservation(int Days, bool Completed);

/// <summary>How many promises of a group completed (events) or were last seen undone (censored) after a number of days.</summary>
public readonly record struct DurationCount(int Days, int Completed, int Censored);

/// <summary>
/// The Kaplan-Meier estimate of "days from promising to completion" for a group of promises: the share still undone
/// after each number of days. Promises still open count as "not done by then" up to their age (censored), so the
/// estimate is not biased towards the quick ones that already finished.
/// </summary>
public sealed class SurvivalCurve
{
    private const double Tolerance = 1e-9;
    private readonly int[] _days;
    private readonly double[] _survival;

    /// <summary>A curve from its stored steps: after <paramref name="days"/>[i] days, <paramref name="survival"/>[i] are still undone.</summary>
    public SurvivalCurve(IReadOnlyList<int> days, IReadOnlyList<double> survival, int promises, int completed)
    {
        if (days.Count != survival.Count)
            throw new ArgumentException("Every step needs its day and its share.", nameof(survival));
        _days = [.. days];
        _survival = [.. survival];
        Promises = promises;
        Completed = completed;
    }

    /// <summary>The days at which the share undone drops, ascending.</summary>
    public IReadOnlyList<int> Days => _days;

    /// <summary>The share still undone after the matching day of <see cref="Days"/>.</summary>
    public IReadOnlyList<double> Survival => _survival;

    /// <summary>Promises the curve was estimated from (completed and censored).</summary>
    public int Promises { get; }

    /// <summary>Of those, the completed ones.</summary>
    public int Completed { get; }

    public static SurvivalCurve Estimate(IEnumerable<PromiseObservation> observations) =>
        FromCounts(observations
            .GroupBy(o => o.Days)
            .Select(g => new DurationCount(g.Key, g.Count(o => o.Completed), g.Count(o => !o.Completed))));

    /// <summary>
    /// Kaplan-Meier from counts per day: at each day with completions, the share undone is multiplied by
    /// (1 - completed / still at risk). A promise censored on a day is still at risk on that day (it was seen undone then).
    /// </summary>
    public static SurvivalCurve FromCounts(IEnumerable<DurationCount> counts)
    {
        var ordered = counts.Where(c => c.Days >= 0 && c.Completed + c.Censored > 0)
            .GroupBy(c => c.Days)
            .Select(g => new DurationCount(g.Key, g.Sum(c => c.Completed), g.Sum(c => c.Censored)))
            .OrderBy(c => c.Days)
            .ToList();
        var atRisk = ordered.Sum(c => c.Completed + c.Censored);
        var total = atRisk;
        var completed = 0;
        var survival = 1.0;
        var days = new List<int>();
        var shares = new List<double>();
        foreach (var step in ordered)
        {
            if (step.Completed > 0)
            {
                survival *= 1.0 - (double)step.Completed / atRisk;
                days.Add(step.Days);
                shares.Add(survival);
                completed += step.Completed;
            }
            atRisk -= step.Completed + step.Censored;
        }
        return new SurvivalCurve(days, shares, total, completed);
    }

    /// <summary>The share still undone after <paramref name="days"/> days (1 before the first completion).</summary>
    public double UndoneAfter(int days)
    {
        var index = Array.BinarySearch(_days, days);
        if (index < 0)
            index = ~index - 1;
        return index < 0 ? 1.0 : _survival[index];
    }

    /// <summary>The chance a promise is done within <paramref name="days"/> days of promising.</summary>
    public double DoneWithin(int days) => 1.0 - UndoneAfter(days);

    /// <summary>
    /// The chance a promise still undone after <paramref name="age"/> days is done within <paramref name="days"/> days
    /// (both counted from promising): S(days) / S(age) undone. Null when no similar promise was ever undone that long.
    /// </summary>
    public double? DoneWithin(int days, int age)
    {
        var undoneAtAge = UndoneAfter(age);
        if (undoneAtAge <= Tolerance)
            return null;
        return days <= age ? 0.0 : Math.Clamp(1.0 - UndoneAfter(days) / undoneAtAge, 0.0, 1.0);
    }

    /// <summary>The fewest days within which a share <paramref name="probability"/> of promises is done; null when the history never got there.</summary>
    public int? DaysFor(double probability)
    {
        for (var i = 0; i < _days.Length; i++)
            if (1.0 - _survival[i] >= probability - Tolerance)
                return _days[i];
        return null;
    }

    /// <summary>As <see cref="DaysFor(double)"/> for a promise still undone after <paramref name="age"/> days.</summary>
    public int? DaysFor(double probability, int age)
    {
        var undoneAtAge = UndoneAfter(age);
        if (undoneAtAge <= Tolerance)
            return null;
        for (var i = 0; i < _days.Length; i++)
            if (_days[i] > age && 1.0 - _survival[i] / undoneAtAge >= probability - Tolerance)
                return _days[i];
        return null;
    }
}

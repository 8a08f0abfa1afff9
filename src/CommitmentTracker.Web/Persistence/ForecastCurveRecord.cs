using CommitmentTracker.Domain.Forecasts;

namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// The survival curve of one reference group of promises (see <see cref="ReferenceGroup.Key"/>), precomputed from the
/// history so the promise dialog reads a few rows by key per keystroke instead of estimating from a million promises.
/// </summary>
public sealed class ForecastCurveRecord
{
    public const int KeyLength = 120;

    public string GroupKey { get; set; } = "";

    /// <summary>Promises the curve was estimated from (completed and still open).</summary>
    public int Promises { get; set; }

    public int Completed { get; set; }

    /// <summary>Days from promising at which the share still undone drops, ascending.</summary>
    public int[] Days { get; set; } = [];

    /// <summary>The share still undone after the matching day.</summary>
    public double[] Undone { get; set; } = [];

    /// <summary>When the history was read: open promises were censored at their age on this day.</summary>
    public DateTimeOffset ComputedAt { get; set; }

    public SurvivalCurve ToCurve() => new(Days, Undone, Promises, Completed);
}

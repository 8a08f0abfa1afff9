using CommitmentTracker.Domain.Forecasts;

namespace CommitmentTracker.Domain.Tests.Forecasts;

/// <summary>
/// Histories with a known distribution: lognormal days from promising to completion (median 30 days, sigma 0.5), drawn
/// with a fixed seed, so the true quantiles are known exactly.
/// </summary>
internal sealed class GeneratedHistory(int seed)
{
    public const double Median = 30;
    public const double Sigma = 0.5;
    private readonly Random _random = new(seed);

    /// <summary>The true quantile of the continuous distribution (e.g. 0.8: 45.7 days).</summary>
    public static double TrueQuantile(double p) => Median * Math.Exp(Sigma * InverseNormal(p));

    /// <summary>The true chance a promise is done within <paramref name="days"/> whole days (completions fall on day ceil(duration)).</summary>
    public static double TrueDoneWithin(int days) => days <= 0 ? 0 : NormalCdf(Math.Log(days / Median) / Sigma);

    /// <summary>One duration in days, continuous.</summary>
    public double Duration()
    {
        // Box-Muller
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return Median * Math.Exp(Sigma * z);
    }

    /// <summary>Whole days to completion: a promise whose work takes 12.3 days is done on day 13.</summary>
    public int Days() => (int)Math.Ceiling(Duration());

    /// <summary>Promises that all finished.</summary>
    public List<PromiseObservation> Completed(int count) =>
        [.. Enumerable.Range(0, count).Select(_ => new PromiseObservation(Days(), true))];

    /// <summary>
    /// Promises made evenly over the last <paramref name="windowDays"/> days and seen today: those whose work is not
    /// finished yet are open, censored at their age (known undone through yesterday) as <see cref="PromiseHistory"/> does.
    /// </summary>
    public List<PromiseObservation> Staggered(int count, int windowDays)
    {
        var list = new List<PromiseObservation>(count);
        for (var i = 0; i < count; i++)
        {
            var age = _random.Next(1, windowDays + 1);
            var days = Days();
            list.Add(days <= age - 1 ? new PromiseObservation(days, true) : new PromiseObservation(age - 1, false));
        }
        return list;
    }

    private static double NormalCdf(double x) => 0.5 * (1.0 + Erf(x / Math.Sqrt(2.0)));

    // Abramowitz-Stegun 7.1.26 (error below 1.5e-7), enough for tolerances of a percent.
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        var t = 1.0 / (1.0 + 0.3275911 * x);
        var y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return sign * y;
    }

    private static double InverseNormal(double p)
    {
        // Bisection on the CDF: exact enough and obviously right.
        double lo = -10, hi = 10;
        for (var i = 0; i < 200; i++)
        {
            var mid = (lo + hi) / 2;
            if (NormalCdf(mid) < p) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }
}

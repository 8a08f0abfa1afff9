using System.Diagnostics;

namespace CommitmentTracker.Scale.Benchmark;

/// <summary>One page's timings: the app's call and its floor, each measured the same number of times, interleaved.</summary>
internal sealed record PageResult
{
    public required string Page { get; init; }
    public required string Who { get; init; }
    public required string Call { get; init; }
    public List<double> AppMs { get; init; } = [];
    public List<double> FloorMs { get; init; } = [];
    public bool AppTimedOut { get; set; }
    public bool FloorTimedOut { get; set; }
    public string? AppSummary { get; set; }
    public string? FloorSummary { get; set; }
    public string? Error { get; set; }

    /// <summary>The target this page is held to: a median of at most this many milliseconds.</summary>
    public double TargetMs { get; init; } = Targets.PageMedianMs;

    public double? AppMedian => AppTimedOut || AppMs.Count == 0 ? null : Stats.Median(AppMs);
    public double? AppP95 => AppTimedOut || AppMs.Count == 0 ? null : Stats.P95(AppMs);
    public double? FloorMedian => FloorTimedOut || FloorMs.Count == 0 ? null : Stats.Median(FloorMs);
    public double? FloorP95 => FloorTimedOut || FloorMs.Count == 0 ? null : Stats.P95(FloorMs);
    public double? Ratio => AppMedian is { } app && FloorMedian is { } floor && floor > 0 ? app / floor : null;

    /// <summary>Both results agree (what the page would show equals what the SQL computed).</summary>
    public bool? SameResult => AppSummary is null || FloorSummary is null ? null : AppSummary == FloorSummary;

    public bool Pass => !AppTimedOut && Error is null && AppMedian <= TargetMs && (Ratio is null || Ratio <= Targets.MaxRatio);
}

/// <summary>The targets of issue 11; reported against, never changed.</summary>
internal static class Targets
{
    public const double PageMedianMs = 150;
    public const double MaxRatio = 1.5;
    public const double SweepSeconds = 30;
    public const double SaveBlockedMs = 100;
    public const double BrowserMs = 1500;
    public const double CopyRowsPerSecond = 100_000;
    public const double CircuitKilobytes = 300;
}

/// <summary>Median and 95th percentile (nearest rank) of a small sample.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static double P95(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(0.95 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>Times calls with a timeout: a call that runs past it is cancelled (the query with it) and marked as timed out.</summary>
internal static class Timed
{
    public static async Task<(double Ms, string? Summary, bool TimedOut)> TimeAsync(Func<CancellationToken, Task<string>> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var summary = await call(limit.Token);
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, summary, false);
        }
        catch (Exception ex) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested && IsCancellation(ex))
        {
            return (Stopwatch.GetElapsedTime(started).TotalMilliseconds, null, true);
        }
    }

    private static bool IsCancellation(Exception ex) =>
        ex is OperationCanceledException || ex.InnerException is OperationCanceledException
        || (ex is Npgsql.PostgresException { SqlState: "57014" }) || (ex.InnerException is Npgsql.PostgresException { SqlState: "57014" });
}

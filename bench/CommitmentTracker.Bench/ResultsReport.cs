using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using BenchmarkDotNet.Reports;

namespace CommitmentTracker.Bench;

/// <summary>Compares what the benchmarks measured with their targets and writes the results file.</summary>
internal static class ResultsReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// The results as Markdown, and whether every target was met. A benchmark without a target, one that failed, or (in a
    /// run without a filter) a target whose benchmark did not run, fails the run.
    /// </summary>
    public static (string Markdown, bool Passed) Write(IReadOnlyList<Summary> summaries, IReadOnlyList<BenchTarget> targets, bool filtered, string job)
    {
        var reports = summaries.SelectMany(s => s.Reports).ToDictionary(Key, StringComparer.Ordinal);
        var rows = new List<string>();
        var failed = 0;
        var run = 0;
        var withinTarget = 0;

        foreach (var target in targets)
        {
            if (!reports.Remove(target.Benchmark, out var report))
            {
                if (!filtered)
                    failed++;
                rows.Add(Row(target.Benchmark, target.What, "not run", "", Ms(target.MeanMs), "", Kb(target.AllocatedKB), filtered ? "not run" : "**FAIL**"));
                continue;
            }
            run++;
            var meanNs = report.ResultStatistics?.Mean;
            var stdDevNs = report.ResultStatistics?.StandardDeviation;
            var allocatedBytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            var passed = report.Success && meanNs is { } mean && mean <= target.MeanMs * 1e6
                && allocatedBytes is { } allocated && allocated <= target.AllocatedKB * 1024;
            if (passed)
                withinTarget++;
            else
                failed++;
            rows.Add(Row(
                target.Benchmark, target.What,
                meanNs is { } m ? Time(m) : "failed", stdDevNs is { } sd ? Time(sd) : "", Ms(target.MeanMs),
                allocatedBytes is { } b ? Kb(b / 1024.0) : "?", Kb(target.AllocatedKB),
                passed ? "PASS" : "**FAIL**"));
        }

        foreach (var (key, report) in reports)
        {
            failed++;
            var meanNs = report.ResultStatistics?.Mean;
            rows.Add(Row(key, "(no target: add one)", meanNs is { } m ? Time(m) : "failed", "", "", "", "", "**FAIL**"));
        }

        var passedAll = failed == 0 && run > 0;
        var text = new StringBuilder();
        text.AppendLine("# Benchmark results");
        text.AppendLine();
        text.AppendLine(Invariant, $"Written by `./bench.sh` on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC: **{(passedAll ? "PASS" : "FAIL")}**, {withinTarget} of {run + reports.Count} benchmarks within target{(filtered ? " (a filtered run)" : "")}.");
        text.AppendLine();
        text.AppendLine(Invariant, $"Targets live in `{Targets.Location}`: change them there, never in tests. A benchmark passes when its mean and its allocated memory per call are both at or under target. Job: {job}.");
        text.AppendLine();
        text.AppendLine("| benchmark | what it measures | mean | std dev | target | allocated | target | result |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---|");
        foreach (var row in rows)
            text.AppendLine(row);
        text.AppendLine();
        text.AppendLine("## Data");
        text.AppendLine();
        text.AppendLine("Generated through the domain's API on a fixed clock and seed (`bench/CommitmentTracker.Bench/SampleData.cs`):");
        text.AppendLine();
        foreach (var line in DataShape.Describe())
            text.AppendLine(line);
        text.AppendLine();
        text.AppendLine("## Machine");
        text.AppendLine();
        text.AppendLine("```");
        text.AppendLine(Invariant, $"Host {Environment.MachineName}, {Environment.ProcessorCount} logical cores, {RuntimeInformation.FrameworkDescription}");
        foreach (var line in (summaries.Count > 0 ? summaries[0].HostEnvironmentInfo.ToFormattedString() : []))
            text.AppendLine(line);
        text.AppendLine("```");
        return (text.ToString(), passedAll);
    }

    private static string Key(BenchmarkReport report) =>
        $"{report.BenchmarkCase.Descriptor.Type.Name}.{report.BenchmarkCase.Descriptor.WorkloadMethod.Name}";

    private static string Row(params string[] cells) => $"| {string.Join(" | ", cells)} |";

    private static string Time(double nanoseconds) => nanoseconds switch
    {
        < 1e3 => string.Create(Invariant, $"{nanoseconds:0.0} ns"),
        < 1e6 => string.Create(Invariant, $"{nanoseconds / 1e3:0.0} µs"),
        _ => string.Create(Invariant, $"{nanoseconds / 1e6:0.00} ms"),
    };

    private static string Ms(double milliseconds) => string.Create(Invariant, $"{milliseconds:0.###} ms");

    private static string Kb(double kilobytes) => kilobytes switch
    {
        < 1024 => string.Create(Invariant, $"{kilobytes:0.#} KB"),
        _ => string.Create(Invariant, $"{kilobytes / 1024:0.##} MB"),
    };
}

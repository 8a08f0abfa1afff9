using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using CommitmentTracker.Bench;

// Runs the benchmarks, compares them with targets.json and, given --results <file>, writes the results there
// (only after a run of all of them).
// Every other argument goes to BenchmarkDotNet (e.g. --filter '*Sweep*'); without a filter all benchmarks run.
// Exit code 1 when a target is missed or a benchmark fails.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var arguments = args.ToList();
string? resultsPath = null;
var resultsAt = arguments.IndexOf("--results");
if (resultsAt >= 0)
{
    if (resultsAt + 1 >= arguments.Count)
    {
        Console.Error.WriteLine("--results needs a file path.");
        return 2;
    }
    resultsPath = Path.GetFullPath(arguments[resultsAt + 1]);
    arguments.RemoveRange(resultsAt, 2);
}
var filtered = arguments.Any(a => a is "--filter" or "-f");
if (!filtered)
    arguments.AddRange(["--filter", "*"]);

// Short on purpose: a shared, noisy 2-core machine; the targets leave headroom for that noise.
const string JobDescription = "1 launch, 3 warm-up and 8 measured iterations of about 0.5 s each, Release build";
var job = Job.Default.WithId("Short").WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8);
var config = DefaultConfig.Instance
    .AddJob(job)
    .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));

var targets = Targets.Load(Path.Combine(AppContext.BaseDirectory, "targets.json"));
var summaries = BenchmarkSwitcher.FromAssembly(typeof(RiskBenchmarks).Assembly).Run([.. arguments], config).ToList();
var (markdown, passed) = ResultsReport.Write(summaries, targets, filtered, JobDescription);

Console.WriteLine();
Console.WriteLine(markdown);
// The results file always shows a whole run: a filtered run only prints its rows.
if (resultsPath is not null && !filtered)
{
    await File.WriteAllTextAsync(resultsPath, markdown);
    Console.WriteLine($"Written to {resultsPath}");
}
else if (resultsPath is not null)
{
    Console.WriteLine($"A filtered run: {resultsPath} was left as it was.");
}
return passed ? 0 : 1;

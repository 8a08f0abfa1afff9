using System.Globalization;
using CommitmentTracker.Scale;
using CommitmentTracker.Scale.Benchmark;
using CommitmentTracker.Scale.Generation;

// bench/generate.sh and bench/scale.sh call this; see docs/benchmarks.md.
var arguments = Arguments.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    switch (arguments.Command)
    {
        case "generate":
        {
            var promises = Generator.ParseScale(arguments.Get("promises") ?? arguments.Get("scale") ?? "10k");
            var now = arguments.Get("today") is { } today
                ? new DateTimeOffset(DateOnly.ParseExact(today, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)
                : DateTimeOffset.UtcNow;
            var options = new GenerateOptions(
                Database: arguments.Get("database") ?? $"ct_scale_{Generator.Label(promises)}",
                Promises: promises,
                Seed: ulong.Parse(arguments.Get("seed") ?? "20261204", CultureInfo.InvariantCulture),
                Now: new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero),
                Connection: arguments.Get("connection"),
                DataDirectory: arguments.Get("data-directory"),
                KeepIndexes: arguments.Has("keep-indexes"));
            await Generator.RunAsync(options, cancel.Token);
            return 0;
        }
        case "run":
        {
            var database = arguments.Get("database") ?? $"ct_scale_{Generator.Label(Generator.ParseScale(arguments.Get("scale") ?? "10k"))}";
            var options = new RunOptions(
                Database: database,
                Connection: arguments.Get("connection"),
                DataDirectory: arguments.Get("data-directory"),
                Iterations: int.Parse(arguments.Get("iterations") ?? "21", CultureInfo.InvariantCulture),
                Timeout: TimeSpan.FromSeconds(double.Parse(arguments.Get("timeout") ?? "120", CultureInfo.InvariantCulture)),
                SweepTimeout: TimeSpan.FromSeconds(double.Parse(arguments.Get("sweep-timeout") ?? "600", CultureInfo.InvariantCulture)),
                Sweep: !arguments.Has("no-sweep"),
                SweepPasses: int.Parse(arguments.Get("sweep-passes") ?? "3", CultureInfo.InvariantCulture),
                PageBudgetSeconds: double.Parse(arguments.Get("page-budget") ?? "60", CultureInfo.InvariantCulture),
                Only: arguments.Get("only") is { } only ? only.Split(',').Select(p => p.Trim().ToLowerInvariant()).ToHashSet() : null,
                KeepSweepCopy: arguments.Has("keep-sweep-copy"),
                Save: !arguments.Has("no-save"));
            await ScaleBenchmark.RunAsync(options, cancel.Token);
            if (!arguments.Has("no-report") && !arguments.Has("no-save"))
                await Report.WriteAsync(cancel.Token);
            return 0;
        }
        case "circuits":
        {
            var database = arguments.Get("database") ?? $"ct_scale_{Generator.Label(Generator.ParseScale(arguments.Get("scale") ?? "10k"))}";
            await CircuitMemory.RunAsync(new CircuitOptions(
                database, arguments.Get("connection"), arguments.Get("data-directory"),
                Circuits: int.Parse(arguments.Get("circuits") ?? "50", CultureInfo.InvariantCulture),
                Step: int.Parse(arguments.Get("step") ?? "10", CultureInfo.InvariantCulture),
                Path: arguments.Get("path") ?? "dashboard"), cancel.Token);
            if (!arguments.Has("no-report"))
                await Report.WriteAsync(cancel.Token);
            return 0;
        }
        case "browser":
        {
            var database = arguments.Get("database") ?? $"ct_scale_{Generator.Label(Generator.ParseScale(arguments.Get("scale") ?? "10k"))}";
            await BrowserTimings.RunAsync(new BrowserOptions(database, arguments.Get("connection"), arguments.Get("data-directory"),
                Navigations: int.Parse(arguments.Get("navigations") ?? "9", CultureInfo.InvariantCulture)), cancel.Token);
            if (!arguments.Has("no-report"))
                await Report.WriteAsync(cancel.Token);
            return 0;
        }
        case "report":
            await Report.WriteAsync(cancel.Token);
            return 0;
        default:
            Console.Error.WriteLine(Arguments.Usage);
            return 2;
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}

/// <summary>The command and its <c>--name value</c> options (a name alone is a flag).</summary>
internal sealed class Arguments
{
    public const string Usage = """
        Usage:
          generate [--scale 10k|100k|1m | --promises N] [--database NAME] [--seed N] [--today yyyy-MM-dd]
                   [--connection "Host=...;Username=...;Password=..."] [--data-directory DIR] [--keep-indexes]
          run      [--scale 10k|100k|1m | --database NAME] [--iterations 21] [--timeout 120] [--page-budget 60]
                   [--no-sweep] [--sweep-passes 3] [--sweep-timeout 600] [--keep-sweep-copy]
                   [--only dashboard,fulfilmentqueue,dealpage,mydeals,teamdeals,today,sweep]
                   [--connection ...] [--data-directory DIR] [--no-report] [--no-save]
          circuits [--scale 10k|100k|1m | --database NAME] [--circuits 50] [--step 10] [--path dashboard]   server memory per idle circuit
          browser  [--scale 10k|100k|1m | --database NAME] [--navigations 9]   navigation to content in Chromium per page
          report   rewrites docs/benchmarks.md from bench/scale-results/*.json
        """;

    private readonly Dictionary<string, string?> _options = new(StringComparer.OrdinalIgnoreCase);

    public string Command { get; private set; } = "";

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments { Command = args.Length > 0 ? args[0] : "" };
        for (var i = 1; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"Unexpected argument {args[i]}.\n{Usage}");
            var name = args[i][2..];
            var value = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null;
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
                (name, value) = (name[..eq], name[(eq + 1)..]);
            parsed._options[name] = value;
        }
        return parsed;
    }

    public string? Get(string name) => _options.TryGetValue(name, out var value) ? value : null;

    public bool Has(string name) => _options.ContainsKey(name);
}

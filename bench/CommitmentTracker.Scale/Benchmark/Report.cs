using System.Globalization;
using System.Text;
using System.Text.Json;
using CommitmentTracker.Scale.Generation;

namespace CommitmentTracker.Scale.Benchmark;

/// <summary>
/// Writes docs/benchmarks.md from the kept results (bench/scale-results/*.json): the machine, the commands, the generated data,
/// a table per scale against the targets, and how cost grows with scale. The findings section is written by hand and kept.
/// </summary>
internal static class Report
{
    private const string FindingsStart = "<!-- findings:start (kept when the report is rewritten) -->";
    private const string FindingsEnd = "<!-- findings:end -->";

    public static async Task WriteAsync(CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Repository.Root, "bench", "scale-results");
        var generated = Read<GenerationResult>(folder, "*.generate.json").ToDictionary(g => g.Database);
        var runs = Read<RunResult>(folder, "*.run.json")
            .OrderBy(r => generated.TryGetValue(r.Database, out var g) ? g.PromisesAsked : long.MaxValue).ToList();
        var path = Path.Combine(Repository.Root, "docs", "benchmarks.md");
        var findings = File.Exists(path) ? Between(await File.ReadAllTextAsync(path, cancellationToken), FindingsStart, FindingsEnd) : null;

        var md = new StringBuilder();
        md.AppendLine("# Benchmarks at a large organisation's size");
        md.AppendLine();
        md.AppendLine("Issue 11: the product must serve 20 teams, about 200 reps, 150k deals, 1,000,000 promises and 3,000,000 milestones. This page is");
        md.AppendLine("written by `bench/scale.sh` (the `run` command of `bench/CommitmentTracker.Scale`) from the results it keeps in `bench/scale-results/`;");
        md.AppendLine("only the findings at the end are written by hand. The domain's in-memory hot paths have their own benchmarks (`./bench.sh`,");
        md.AppendLine("`bench/results.md`); neither is run by `./test.sh`.");
        md.AppendLine();
        md.AppendLine("**What is measured.** The server work of one navigation, through the app's own services built with the app's DI (the context");
        md.AppendLine("factory of `PersistenceServiceCollectionExtensions.Configure` with the features' save interceptors, and `AddFeatures`), signed in");
        md.AppendLine("as the demo users (`ActorAccessor.LoadAsync`); every call is in `bench/CommitmentTracker.Scale/Benchmark/PageCalls.cs`. Next to");
        md.AppendLine("each page, the **floor**: the best plain SQL we could write for what the page shows on navigation, one round trip, on the same");
        md.AppendLine("schema (no extra index), run in the same process against the same database (`Benchmark/FloorQueries.cs`). After one warm-up");
        md.AppendLine("call each, app and floor run alternately so both see the same machine noise; a page gets as many runs as fit in a minute");
        md.AppendLine("(at most 21, at least 3). Median and p95 (nearest rank) in milliseconds; the ratio is app median / floor median. A call");
        md.AppendLine("running past the timeout (120 s) is cancelled and marked TIMEOUT. The result column checks that the app and the floor");
        md.AppendLine("computed the same thing (counts, first page); a difference is flagged.");
        md.AppendLine();
        md.AppendLine($"**Targets** (issue 11, not changed): a page's server work for one navigation, median <= {Targets.PageMedianMs:F0} ms and <= {Targets.MaxRatio}x its floor;");
        md.AppendLine($"the risk sweep over all open promises <= {Targets.SweepSeconds:F0} s; bulk load (COPY) >= {Targets.CopyRowsPerSecond:N0} rows/s; memory per idle");
        md.AppendLine($"dashboard circuit <= {Targets.CircuitKilobytes:F0} KB.");
        md.AppendLine();

        if (runs.LastOrDefault() is { } last)
        {
            var m = last.Machine;
            md.AppendLine("## Machine");
            md.AppendLine();
            md.AppendLine("| | |");
            md.AppendLine("|---|---|");
            md.AppendLine(CultureInfo.InvariantCulture, $"| cores (`nproc`) | {m.Cores} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| CPU | {m.Cpu} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| RAM | {m.MemoryMb / 1024.0:F1} GB |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| database | {m.PostgreSql}, the app's embedded cluster with its default settings (shared_buffers 128 MB) |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| OS, .NET | {m.Os}, .NET {m.Dotnet} |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| runs | {string.Join("; ", runs.Select(r => $"{r.Database} {r.StartedAt:yyyy-MM-dd HH:mm} UTC (load average {r.LoadBefore} before, {r.LoadAfter} after)"))} |");
            md.AppendLine();
            md.AppendLine("The machine is shared (other engineers build and test on it: mind the load averages); medians over interleaved runs hold up");
            md.AppendLine("better than single timings, but compare figures of one run with each other rather than across runs.");
            md.AppendLine();
        }

        md.AppendLine("## Reproduce");
        md.AppendLine();
        md.AppendLine("```bash");
        md.AppendLine("bench/generate.sh --scale 10k        # also 100k, 1m, or --promises N; --seed N (default 20261204); --database NAME");
        md.AppendLine("bench/scale.sh --scale 10k           # measures ct_scale_10k, keeps bench/scale-results/ct_scale_10k.run.json, rewrites this page");
        md.AppendLine("bench/scale.sh circuits --scale 100k  # server memory per idle dashboard circuit (--path deals to compare a page)");
        md.AppendLine("CT_SCALE_SQL_LOG=1 bench/scale.sh --scale 1m --only teamdeals --no-sweep --no-save   # the app's SQL, with durations");
        md.AppendLine("PostgreSQL__Database=ct_scale_10k ./run.sh --urls http://127.0.0.1:5080   # the app on the generated data");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine("Databases go into the app's embedded cluster (`src/CommitmentTracker.Web/.data/postgres`, git-ignored) unless `--connection` names");
        md.AppendLine("a server. Every generated user, demo users included, signs in with `Demo-Password-2026!`. Generate and measure on the same day:");
        md.AppendLine("the data is dated relative to the day it was generated (the benchmark uses the real clock, as the app does).");
        md.AppendLine();

        if (generated.Count > 0)
        {
            var all = generated.Values.OrderBy(g => g.PromisesAsked).ToList();
            md.AppendLine("## The generated data");
            md.AppendLine();
            md.AppendLine("20 teams of a manager and 10 reps (team North holds rep@ and manager@, team South rep2@ and manager2@), 23 service staff in");
            md.AppendLine("four departments (service@ and fulfilment@ among them), accounts with contacts; deals over three years with their promises");
            md.AppendLine("(ours and the customer's), milestone plans from the templates and their updates, renegotiations, checklists pinned to the");
            md.AppendLine("seeded template, touchpoints, the communication log, stage changes, risk as the last evaluation stored it, recovery plans");
            md.AppendLine("with their steps, alerts and the audit trail. The schema comes from the app's migrations and the reference and demo data");
            md.AppendLine("from its own seeders; the rest is loaded with binary COPY, keys and indexes dropped for the load and rebuilt from their");
            md.AppendLine("catalog definitions (the catalog is compared before and after), foreign keys validated, then `VACUUM (ANALYZE)`.");
            md.AppendLine();
            md.AppendLine("| | " + string.Join(" | ", all.Select(g => g.Database)) + " |");
            md.AppendLine("|---|" + string.Concat(all.Select(_ => "---:|")));
            foreach (var key in all[^1].Counts.Keys)
                md.AppendLine($"| {key} | " + string.Join(" | ", all.Select(g => g.Counts.TryGetValue(key, out var v) ? v.ToString("N0", CultureInfo.InvariantCulture) : "")) + " |");
            md.AppendLine("| rows loaded by COPY | " + string.Join(" | ", all.Select(g => g.CopyRows.ToString("N0", CultureInfo.InvariantCulture))) + " |");
            md.AppendLine("| COPY time | " + string.Join(" | ", all.Select(g => $"{g.CopySeconds:F1} s")) + " |");
            md.AppendLine($"| **COPY rows/s** (target >= {Targets.CopyRowsPerSecond:N0}) | " + string.Join(" | ", all.Select(g => $"**{g.CopyRowsPerSecond:N0}** {(g.CopyRowsPerSecond >= Targets.CopyRowsPerSecond ? "PASS" : "FAIL")}")) + " |");
            md.AppendLine("| migrations and app seeding | " + string.Join(" | ", all.Select(g => $"{g.MigrateAndSeedSeconds:F1} s")) + " |");
            md.AppendLine("| keys, indexes, foreign keys rebuilt | " + string.Join(" | ", all.Select(g => $"{g.IndexSeconds:F1} s")) + " |");
            md.AppendLine("| VACUUM (ANALYZE) | " + string.Join(" | ", all.Select(g => $"{g.VacuumAnalyzeSeconds:F1} s")) + " |");
            md.AppendLine("| generation in all | " + string.Join(" | ", all.Select(g => $"{g.TotalSeconds:F0} s")) + " |");
            md.AppendLine("| database size | " + string.Join(" | ", all.Select(g => $"{g.DatabaseBytes / 1024.0 / 1024.0:N0} MB")) + " |");
            md.AppendLine();
        }

        foreach (var run in runs)
        {
            var scale = generated.TryGetValue(run.Database, out var g) ? Generator.Label(g.PromisesAsked) : run.Database;
            md.AppendLine(CultureInfo.InvariantCulture, $"## Results at {scale} promises ({run.Database}, {run.StartedAt:yyyy-MM-dd HH:mm} UTC)");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Deal page: {run.TypicalDeal}. Load average {run.LoadBefore} before the run, {run.LoadAfter} after; the run took {run.Seconds:F0} s.");
            foreach (var note in run.Notes)
                md.AppendLine(CultureInfo.InvariantCulture, $"Later: {note}.");
            md.AppendLine();
            md.AppendLine("| page | as | app median | app p95 | floor median | floor p95 | app/floor | target | result | n | same result |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---|---|---:|---|");
            foreach (var p in run.Pages)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {p.Page} | {p.Who} | {Ms(p.AppMedian, p.AppTimedOut)} | {Ms(p.AppP95, p.AppTimedOut)} | {Ms(p.FloorMedian, p.FloorTimedOut)} | {Ms(p.FloorP95, p.FloorTimedOut)} | " +
                    $"{(p.Ratio is { } r ? $"{r:F1}x" : "-")} | <= {p.TargetMs:F0} ms, <= {Targets.MaxRatio}x | {(p.Pass ? "PASS" : "**FAIL**")} | {p.AppMs.Count} | " +
                    $"{(p.Error is not null ? "error: " + p.Error : p.SameResult switch { true => "yes", false => "**no**", null => "-" })} |");
            }
            if (run.Sweep is { } s)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| Risk sweep, every open promise (first pass after a threshold change) | system | {Sec(s.FirstPassSeconds, s.TimedOut)}{(s.TimedOut ? $" (> {s.TimeoutSeconds:F0} s)" : "")} | | {(s.FloorMs.Count > 0 ? $"{Stats.Median(s.FloorMs) / 1000:F1} s (reading only)" : "-")} | | " +
                    $"- | <= {Targets.SweepSeconds:F0} s | {(s.Pass ? "PASS" : "**FAIL**")} | 1 | {s.Error ?? ""} |");
                if (s.SaveDuringMs.Count > 0)
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| Saves during the sweep's first pass (a milestone note from the queue; idle in the floor columns) | service@ | {Ms(Stats.Median(s.SaveDuringMs), false)} | {Ms(Stats.P95(s.SaveDuringMs), false)} | " +
                        $"{Ms(Stats.Median(s.IdleSaveMs), false)} | {Ms(Stats.P95(s.IdleSaveMs), false)} | - | slowest <= idle median + {Targets.SaveBlockedMs:F0} ms (max {s.SaveDuringMs.Max():F0} ms, {s.SavesRefused} refused) | " +
                        $"{(s.SavesPass ? "PASS" : "**FAIL**")} | {s.SaveDuringMs.Count} | |");
                if (s.RepeatMedianSeconds is { } again)
                    md.AppendLine(CultureInfo.InvariantCulture, $"| Risk sweep, every open promise again (little to write) | system | {again:F1} s | {s.PassSeconds.Skip(1).Max():F1} s | | | | | | {s.PassSeconds.Count - 1} | |");
            }
            if (g is not null)
                md.AppendLine(CultureInfo.InvariantCulture, $"| Bulk load (COPY), {g.CopyRows:N0} rows | generator | {g.CopyRowsPerSecond:N0} rows/s | | | | | >= {Targets.CopyRowsPerSecond:N0} rows/s | {(g.CopyRowsPerSecond >= Targets.CopyRowsPerSecond ? "PASS" : "**FAIL**")} | 1 | |");
            md.AppendLine();
            md.AppendLine("What each page got (app; the floor's is the same unless flagged):");
            md.AppendLine();
            foreach (var p in run.Pages)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {p.Page} ({p.Who}, `{p.Call}`): {p.AppSummary ?? p.Error ?? "timed out"}");
                if (p.SameResult == false)
                    md.AppendLine(CultureInfo.InvariantCulture, $"  - floor: {p.FloorSummary}");
            }
            if (run.Sweep is { } sweep)
                md.AppendLine(CultureInfo.InvariantCulture, $"- Risk sweep (`RiskSweep.RunOnceAsync` with `review_all_pending` set, on a copy made in {sweep.CopySeconds:F0} s): " +
                    $"{(sweep.TimedOut ? $"timed out after {sweep.TimeoutSeconds:F0} s" : string.Join("; ", sweep.PassSummaries.Select((x, i) => $"pass {i + 1}: {x}")))}. " +
                    $"Floor (reading every input of the evaluation in one query): {sweep.FloorSummary}.");
            md.AppendLine();
        }

        if (runs.Count > 1)
        {
            md.AppendLine("## How cost grows with scale");
            md.AppendLine();
            md.AppendLine("App medians (the floor's in brackets) per scale, and the growth factor from one scale to the next (data grows 10x each step).");
            md.AppendLine();
            md.AppendLine("| page | " + string.Join(" | ", runs.Select(r => r.Database)) + " | " + string.Join(" | ", runs.Skip(1).Select((r, i) => $"{Short(runs[i].Database)} -> {Short(r.Database)}")) + " |");
            md.AppendLine("|---|" + string.Concat(runs.Select(_ => "---:|")) + string.Concat(runs.Skip(1).Select(_ => "---:|")));
            foreach (var key in runs.SelectMany(r => r.Pages.Select(p => (p.Page, p.Who))).Distinct())
            {
                var cells = runs.Select(r => r.Pages.FirstOrDefault(p => p.Page == key.Page && p.Who == key.Who)).ToList();
                var growth = cells.Skip(1).Select((c, i) => cells[i]?.AppMedian is { } a && c?.AppMedian is { } b && a > 0 ? $"{b / a:F1}x" : "-");
                md.AppendLine($"| {key.Page} ({key.Who}) | " + string.Join(" | ", cells.Select(c => c is null ? "" : $"{Ms(c.AppMedian, c.AppTimedOut)} ({Ms(c.FloorMedian, c.FloorTimedOut)})")) + " | " + string.Join(" | ", growth) + " |");
            }
            var sweeps = runs.Select(r => r.Sweep?.FirstPassSeconds).ToList();
            md.AppendLine("| Risk sweep, first pass | " + string.Join(" | ", runs.Select(r => Sec(r.Sweep?.FirstPassSeconds, r.Sweep?.TimedOut == true))) + " | " +
                string.Join(" | ", sweeps.Skip(1).Select((s, i) => sweeps[i] is { } a && s is { } b && a > 0 ? $"{b / a:F1}x" : "-")) + " |");
            md.AppendLine();
        }

        var circuits = Read<CircuitResult>(folder, "*.circuits*.json")
            .OrderBy(c => generated.TryGetValue(c.Database, out var g) ? g.PromisesAsked : long.MaxValue).ThenBy(c => c.Path != "dashboard").ToList();
        if (circuits.Count > 0)
        {
            md.AppendLine("## Memory per idle dashboard circuit");
            md.AppendLine();
            md.AppendLine("`bench/scale.sh circuits` starts the built app (Release, Production, on Kestrel) against a generated");
            md.AppendLine("database, signs in as manager@demo.local in headless Chromium and opens the dashboard in one tab after another; after every");
            md.AppendLine("10 tabs it reads the server's managed heap after a forced full compacting collection (through a bench-only startup hook,");
            md.AppendLine("`Benchmark/HeapProbeStartupHook.cs`, injected with `DOTNET_STARTUP_HOOKS`: the app is not changed). The slope of the heap over");
            md.AppendLine("the number of open circuits is what one idle dashboard circuit holds.");
            md.AppendLine();
            md.AppendLine("| database | page | circuits | managed heap per circuit | fit (R²) | working set per circuit | tab ready (median) | target | result |");
            md.AppendLine("|---|---|---:|---:|---:|---:|---:|---|---|");
            foreach (var c in circuits)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {c.Database} ({c.StartedAt:yyyy-MM-dd HH:mm} UTC) | /{c.Path} | {(c.Circuits.Count > 0 ? c.Circuits[^1] : 0)} | {c.KilobytesPerCircuit:N0} KB | {c.RSquared:F3} | {c.WorkingSetKilobytesPerCircuit:N0} KB | " +
                    $"{(c.PageLoadMs.Count > 0 ? $"{Stats.Median(c.PageLoadMs):N0} ms" : "-")} | {(c.Path == "dashboard" ? $"<= {Targets.CircuitKilobytes:F0} KB" : "(comparison)")} | {(c.Path != "dashboard" ? "-" : c.Pass ? "PASS" : "**FAIL**")} {c.Error} |");
            }
            md.AppendLine();
            md.AppendLine("Heap after each step: " + string.Join("; ", circuits.Select(c => $"{c.Database} /{c.Path}: " +
                string.Join(", ", c.Circuits.Zip(c.HeapBytes).Select(p => $"{p.First} -> {p.Second / 1024.0 / 1024.0:F1} MB")))) + ".");
            md.AppendLine();
        }

        var browsers = Read<BrowserResult>(folder, "*.browser.json")
            .OrderBy(b => generated.TryGetValue(b.Database, out var g) ? g.PromisesAsked : long.MaxValue).ToList();
        if (browsers.Count > 0)
        {
            md.AppendLine("## In the browser");
            md.AppendLine();
            md.AppendLine("`bench/scale.sh browser --scale 1m` starts the built app (Release, Production, on Kestrel) against a generated database,");
            md.AppendLine("signs in as manager@, service@ and rep@ in headless Chromium on this same machine, and opens each one's page in a new tab");
            md.AppendLine("again and again (after one warm-up): from the navigation to the page's content, including the page, its scripts, starting");
            md.AppendLine("the circuit and the page's queries. Median and p95 in milliseconds.");
            md.AppendLine();
            md.AppendLine("| database | page | as | median | p95 | n | target | result |");
            md.AppendLine("|---|---|---|---:|---:|---:|---|---|");
            foreach (var b in browsers)
            {
                foreach (var p in b.Pages)
                {
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {b.Database} ({b.StartedAt:yyyy-MM-dd HH:mm} UTC, load {b.LoadBefore}) | {p.Page} `{p.Path}` | {p.Who} | {Ms(p.Median, false)} | {Ms(p.P95, false)} | {p.Ms.Count} | " +
                        $"<= {Targets.BrowserMs:N0} ms | {(p.Pass ? "PASS" : "**FAIL**")} {p.Error} |");
                }
            }
            md.AppendLine();
        }

        md.AppendLine("## Findings");
        md.AppendLine();
        md.AppendLine(FindingsStart);
        md.AppendLine(findings?.Trim('\n') ?? "_Not written yet._");
        md.AppendLine(FindingsEnd);
        await File.WriteAllTextAsync(path, md.ToString(), cancellationToken);
        Console.WriteLine($"Wrote {Path.GetRelativePath(Repository.Root, path)}.");
    }

    private static string Short(string database) => database.StartsWith("ct_scale_", StringComparison.Ordinal) ? database["ct_scale_".Length..] : database;

    private static string Ms(double? value, bool timedOut) => timedOut ? "**TIMEOUT**" : value switch
    {
        null => "-",
        >= 10_000 => $"{value / 1000:F1} s",
        >= 1_000 => $"{value / 1000:F2} s",
        >= 100 => $"{value:F0} ms",
        _ => $"{value:F1} ms",
    };

    private static string Sec(double? seconds, bool timedOut) => timedOut ? "**TIMEOUT**" : seconds is { } s ? $"{s:F1} s" : "-";

    private static string? Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        return from < 0 || to < from ? null : text[(from + start.Length)..to];
    }

    private static IEnumerable<T> Read<T>(string folder, string pattern) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, pattern).Select(f => JsonSerializer.Deserialize<T>(File.ReadAllText(f), ResultsJson.Options)!)
            : [];
}

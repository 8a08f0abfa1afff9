using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CommitmentTracker.Scale.Generation;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CommitmentTracker.Scale.Benchmark;

/// <summary>What <c>run</c> is asked for.</summary>
internal sealed record RunOptions(
    string Database, string? Connection, string? DataDirectory, int Iterations, TimeSpan Timeout, TimeSpan SweepTimeout,
    bool Sweep, int SweepPasses, double PageBudgetSeconds, IReadOnlySet<string>? Only, bool KeepSweepCopy = false, bool Save = true);

/// <summary>One run of the scale benchmark on one generated database, kept in bench/scale-results/.</summary>
internal sealed record RunResult
{
    public required string Database { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required Machine Machine { get; init; }
    public required string LoadBefore { get; init; }
    public string LoadAfter { get; set; } = "";
    public required string TypicalDeal { get; init; }
    public List<PageResult> Pages { get; init; } = [];
    public SweepResult? Sweep { get; set; }
    public double Seconds { get; set; }

    /// <summary>Partial re-runs merged into these results, with when and under what load.</summary>
    public List<string> Notes { get; init; } = [];
}

/// <summary>The risk sweep over every open promise, on a copy of the database (it writes).</summary>
internal sealed record SweepResult
{
    public required double CopySeconds { get; init; }

    /// <summary>How long a pass may run before it is cancelled and reported as timed out.</summary>
    public double TimeoutSeconds { get; init; }
    public List<double> PassSeconds { get; init; } = [];
    public List<string> PassSummaries { get; init; } = [];
    public bool TimedOut { get; set; }
    public List<double> FloorMs { get; init; } = [];
    public string? FloorSummary { get; set; }
    public string? Error { get; set; }

    /// <summary>The first pass after the thresholds changed: evaluates every open promise and writes what changed.</summary>
    public double? FirstPassSeconds => PassSeconds.Count > 0 ? PassSeconds[0] : null;

    /// <summary>Later passes: every open promise evaluated again, little left to write.</summary>
    public double? RepeatMedianSeconds => PassSeconds.Count > 1 ? Stats.Median(PassSeconds.Skip(1).ToList()) : null;

    /// <summary>A service user's milestone saves (ms) with no sweep running, then while the first pass runs.</summary>
    public List<double> IdleSaveMs { get; init; } = [];
    public List<double> SaveDuringMs { get; init; } = [];
    public int SavesRefused { get; set; }

    /// <summary>How much longer than an idle save the slowest save during the sweep took: what the sweep blocked it for.</summary>
    public double? LongestBlockMs => IdleSaveMs.Count > 0 && SaveDuringMs.Count > 0 ? SaveDuringMs.Max() - Stats.Median(IdleSaveMs) : null;

    public bool SavesPass => LongestBlockMs <= Targets.SaveBlockedMs && SavesRefused == 0;

    public bool Pass => !TimedOut && Error is null && FirstPassSeconds <= Targets.SweepSeconds;
}

/// <summary>
/// <c>run</c>: what users wait for on a generated database, through the app's own services (built with the app's DI: the
/// context factory of PersistenceServiceCollectionExtensions.Configure with the features' save interceptors, and AddFeatures),
/// signed in as the demo users; next to each page, the same question as hand-written SQL (the floor). Pages and floors are
/// interleaved after a warm-up so both see the same machine noise. Writes bench/scale-results/&lt;database&gt;.run.json and
/// refreshes docs/benchmarks.md.
/// </summary>
internal static class ScaleBenchmark
{
    public static async Task<RunResult> RunAsync(RunOptions options, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        await using var server = await ScaleDatabase.OpenAsync(options.Connection, options.DataDirectory, cancellationToken);
        if (!await server.ExistsAsync(options.Database, cancellationToken))
            throw new InvalidOperationException($"There is no database {options.Database} ({server.Location}): generate it first, e.g. bench/generate.sh --scale 10k.");
        var connectionString = server.ConnectionString(options.Database);
        // A database generated before the latest migrations is brought up to the app's schema first (new columns and
        // indexes), so the pages are measured as the app would run them; data is not regenerated.
        await ScaleDatabase.MigrateAsync(connectionString, cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var floors = new FloorQueries(dataSource);

        var users = await UsersAsync(dataSource, cancellationToken);
        var typicalDeal = await TypicalDealAsync(dataSource, users["rep@demo.local"].Id, cancellationToken);
        var result = new RunResult
        {
            Database = options.Database,
            StartedAt = DateTimeOffset.UtcNow,
            Machine = await Machine.DescribeAsync(dataSource, cancellationToken),
            LoadBefore = Machine.LoadAverage(),
            TypicalDeal = typicalDeal.Description,
        };
        Console.WriteLine($"Benchmarking {options.Database} ({server.Location}); load average {result.LoadBefore}.");
        Console.WriteLine($"  typical deal of rep@demo.local: {typicalDeal.Description}");

        await using (var services = ScaleDatabase.AppServices(connectionString, TimeProvider.System, new ConfigurationBuilder().Build(), withFeatures: true))
        {
            var calls = new PageCalls(services);
            async Task<Web.Security.Actor> Actor(string email) =>
                await calls.ActorAsync(users[email].Id, cancellationToken) ?? throw new InvalidOperationException($"{email} cannot sign in.");
            var manager = await Actor("manager@demo.local");
            var rep = await Actor("rep@demo.local");
            var service = await Actor("service@demo.local");
            var fulfilment = await Actor("fulfilment@demo.local");

            var pages = new (string Page, string Who, string Call, Func<CancellationToken, Task<string>> App, Func<CancellationToken, Task<string>> Floor)[]
            {
                ("Dashboard", "manager@", "DashboardService.GetAsync + RecoveryInsightsService.GetAsync",
                    ct => calls.DashboardAsync(manager, ct), ct => floors.DashboardAsync(manager.TeamId!.Value, ct)),
                ("Fulfilment queue", "service@", "FulfilmentService.QueueAsync (assigned to me, 25) + CountsAsync",
                    ct => calls.FulfilmentQueueAsync(service, ct), ct => floors.FulfilmentQueueAsync(service.UserId, service.Department!.Value.ToString(), ct)),
                ("Fulfilment queue", "fulfilment@", "FulfilmentService.QueueAsync (assigned to me, 25) + CountsAsync",
                    ct => calls.FulfilmentQueueAsync(fulfilment, ct), ct => floors.FulfilmentQueueAsync(fulfilment.UserId, fulfilment.Department!.Value.ToString(), ct)),
                ("Deal page", "rep@", "DealsService.GetAsync (typical deal)",
                    ct => calls.DealAsync(rep, typicalDeal.Id, ct), ct => floors.DealAsync(rep.UserId, typicalDeal.Id, ct)),
                ("My deals", "rep@", "DealsService.ListAsync (first 25)",
                    ct => calls.DealsListAsync(rep, ct), ct => floors.DealsListAsync(rep.UserId, null, ct)),
                ("Team deals", "manager@", "DealsService.ListAsync (first 25)",
                    ct => calls.DealsListAsync(manager, ct), ct => floors.DealsListAsync(null, manager.TeamId, ct)),
                ("Today", "rep@", "HomeService.GetAsync",
                    ct => calls.TodayAsync(rep, ct), ct => floors.TodayAsync(rep.UserId, ct)),
                ("Promise dialog keystroke", "rep@", "ForecastService.ForNewPromiseAsync (typical deal, installation, +45 days)",
                    ct => calls.PromiseDialogKeystrokeAsync(rep, typicalDeal.Id, ct), ct => floors.PromiseDialogKeystrokeAsync(rep.UserId, typicalDeal.Id, ct)),
            };
            // The dialog reads precomputed curves: compute them once, as the app does at start-up, and say what it cost.
            if (options.Only is not { } onlySome || onlySome.Contains("promisedialogkeystroke"))
            {
                var refreshStarted = System.Diagnostics.Stopwatch.GetTimestamp();
                var refreshed = await calls.RefreshForecastAsync(cancellationToken);
                Console.WriteLine($"  forecast curves: {refreshed} in {System.Diagnostics.Stopwatch.GetElapsedTime(refreshStarted).TotalMilliseconds:F0} ms");
            }
            foreach (var (page, who, call, app, floor) in pages)
            {
                if (options.Only is { } only && !only.Contains(page.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()))
                    continue;
                var measured = await MeasureAsync(new PageResult { Page = page, Who = who, Call = call }, app, floor, options, cancellationToken);
                result.Pages.Add(measured);
                Print(measured);
            }
        }

        if (options.Sweep && (options.Only is null || options.Only.Contains("sweep")))
        {
            // CREATE DATABASE ... TEMPLATE needs the template to have no sessions: close this process's pooled ones.
            dataSource.Clear();
            result.Sweep = await SweepAsync(server, options, floors, cancellationToken);
            Print(result.Sweep);
        }

        result.LoadAfter = Machine.LoadAverage();
        result.Seconds = Math.Round(total.Elapsed.TotalSeconds, 1);
        if (!options.Save)
            return result;
        var folder = Path.Combine(Repository.Root, "bench", "scale-results");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{options.Database}.run.json");
        if (options.Only is not null && File.Exists(path))
            result = Merge(JsonSerializer.Deserialize<RunResult>(await File.ReadAllTextAsync(path, cancellationToken), ResultsJson.Options)!, result);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, ResultsJson.Options), cancellationToken);
        Console.WriteLine($"  kept in {Path.GetRelativePath(Repository.Root, path)}; load average after {result.LoadAfter}; {result.Seconds:F0} s");
        return result;
    }

    /// <summary>A partial run (<c>--only</c>) updates the kept results: its pages and sweep replace the earlier ones, the rest stays.</summary>
    private static RunResult Merge(RunResult kept, RunResult partial)
    {
        var pages = kept.Pages.Select(p => partial.Pages.FirstOrDefault(n => n.Page == p.Page && n.Who == p.Who) ?? p).ToList();
        pages.AddRange(partial.Pages.Where(n => !kept.Pages.Any(p => p.Page == n.Page && p.Who == n.Who)));
        return kept with
        {
            Pages = pages,
            Sweep = partial.Sweep ?? kept.Sweep,
            Notes = [.. kept.Notes, $"{partial.StartedAt:yyyy-MM-dd HH:mm} UTC: {string.Join(", ", partial.Pages.Select(p => $"{p.Page} ({p.Who})").Concat(partial.Sweep is null ? [] : ["risk sweep"]))} measured again (load average {partial.LoadBefore} before, {partial.LoadAfter} after)"],
        };
    }

    /// <summary>Warm-up (one call each), then the app and its floor alternately, as often as the page's budget allows (at least 3).</summary>
    private static async Task<PageResult> MeasureAsync(PageResult page, Func<CancellationToken, Task<string>> app, Func<CancellationToken, Task<string>> floor, RunOptions options, CancellationToken cancellationToken)
    {
        try
        {
            Console.WriteLine($"  {page.Page} ({page.Who}) ...");
            var warmApp = await Timed.TimeAsync(app, options.Timeout, cancellationToken);
            page.AppTimedOut = warmApp.TimedOut;
            page.AppSummary = warmApp.Summary;
            var warmFloor = await Timed.TimeAsync(floor, options.Timeout, cancellationToken);
            page.FloorTimedOut = warmFloor.TimedOut;
            page.FloorSummary = warmFloor.Summary;
            var slowest = Math.Max(page.AppTimedOut ? 0 : warmApp.Ms, page.FloorTimedOut ? 0 : warmFloor.Ms) / 1000;
            var n = Math.Clamp((int)(options.PageBudgetSeconds / Math.Max(slowest, 0.001)), 3, options.Iterations);
            for (var i = 0; i < n && !(page.AppTimedOut && page.FloorTimedOut); i++)
            {
                if (!page.AppTimedOut)
                {
                    var (ms, _, timedOut) = await Timed.TimeAsync(app, options.Timeout, cancellationToken);
                    if (timedOut)
                        page.AppTimedOut = true;
                    else
                        page.AppMs.Add(Math.Round(ms, 2));
                }
                if (!page.FloorTimedOut)
                {
                    var (ms, _, timedOut) = await Timed.TimeAsync(floor, options.Timeout, cancellationToken);
                    if (timedOut)
                        page.FloorTimedOut = true;
                    else
                        page.FloorMs.Add(Math.Round(ms, 2));
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            page.Error = $"{ex.GetType().Name}: {ex.Message}";
        }
        return page;
    }

    /// <summary>The sweep over every open promise writes: it runs on a copy of the database, made for it and dropped after.</summary>
    private static async Task<SweepResult> SweepAsync(ScaleDatabase server, RunOptions options, FloorQueries floors, CancellationToken cancellationToken)
    {
        var copy = $"{options.Database}_sweep";
        Console.WriteLine($"  Risk sweep over every open promise, on a copy ({copy}) ...");
        var step = Stopwatch.StartNew();
        NpgsqlConnection.ClearAllPools();
        await server.RecreateAsync(copy, template: options.Database, cancellationToken);
        var sweep = new SweepResult { CopySeconds = Math.Round(step.Elapsed.TotalSeconds, 1), TimeoutSeconds = options.SweepTimeout.TotalSeconds };
        try
        {
            var copyConnection = server.ConnectionString(copy);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Risk:SweepEnabled"] = "false" }).Build();
            await using var services = ScaleDatabase.AppServices(copyConnection, TimeProvider.System, configuration, withFeatures: true);
            var calls = new PageCalls(services);
            await using var copyDb = NpgsqlDataSource.Create(copyConnection);
            var service = await calls.ActorAsync(await ServiceUserAsync(copyDb, cancellationToken), cancellationToken)
                ?? throw new InvalidOperationException("service@demo.local cannot sign in.");
            var milestones = await calls.SaveableMilestonesAsync(service, cancellationToken);
            var saves = new SavesWhileSweeping(calls, service, milestones);
            await saves.IdleAsync(sweep.IdleSaveMs, 15, cancellationToken);
            for (var pass = 0; pass < options.SweepPasses && !sweep.TimedOut; pass++)
            {
                await using (var flag = copyDb.CreateCommand("UPDATE risk_settings SET review_all_pending = true"))
                    await flag.ExecuteNonQueryAsync(cancellationToken);
                // A service user keeps saving while the first pass runs: how long does the sweep make them wait?
                using var stopSaving = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var saving = pass == 0 ? saves.WhileAsync(sweep.SaveDuringMs, stopSaving.Token) : Task.FromResult(0);
                var (ms, summary, timedOut) = await Timed.TimeAsync(calls.RiskSweepAsync, options.SweepTimeout, cancellationToken);
                await stopSaving.CancelAsync();
                sweep.SavesRefused += await saving;
                sweep.TimedOut = timedOut;
                if (!timedOut)
                {
                    sweep.PassSeconds.Add(Math.Round(ms / 1000, 2));
                    sweep.PassSummaries.Add(summary!);
                }
                Console.WriteLine($"    pass {pass + 1}: {(timedOut ? "TIMEOUT" : $"{ms / 1000:F1} s, {summary}")}");
            }
            for (var i = 0; i < Math.Max(1, options.SweepPasses); i++)
            {
                var (ms, summary, timedOut) = await Timed.TimeAsync(floors.SweepInputsAsync, options.SweepTimeout, cancellationToken);
                if (timedOut)
                    break;
                sweep.FloorMs.Add(Math.Round(ms, 1));
                sweep.FloorSummary = summary;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            sweep.Error = $"{ex.GetType().Name}: {ex.Message}";
        }
        finally
        {
            if (!options.KeepSweepCopy)
                await server.DropAsync(copy, CancellationToken.None);
        }
        return sweep;
    }

    private static async Task<string> ServiceUserAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT id FROM \"AspNetUsers\" WHERE lower(email) = 'service@demo.local'");
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<Dictionary<string, (string Id, Guid? TeamId)>> UsersAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SELECT lower(email), id, team_id FROM \"AspNetUsers\" WHERE email LIKE '%@demo.local'");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new Dictionary<string, (string, Guid?)>();
        while (await reader.ReadAsync(cancellationToken))
            users[reader.GetString(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2));
        return users;
    }

    /// <summary>A typical deal of the rep: ordered (in delivery), with about the average number of promises; the same on every run.</summary>
    internal static async Task<(Guid Id, string Description)> TypicalDealAsync(NpgsqlDataSource db, string repId, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("""
            SELECT d.id, d.title, d.stage,
                   (SELECT count(*) FROM commitments c WHERE c.deal_id = d.id) AS promises,
                   (SELECT count(*) FROM milestones m JOIN commitments c ON c.id = m.commitment_id WHERE c.deal_id = d.id) AS milestones,
                   (SELECT count(*) FROM audit_entries a WHERE a.deal_id = d.id) AS history
            FROM deals d
            WHERE d.owner_id = @rep AND d.stage IN ('Ordered', 'Delivered')
            ORDER BY abs((SELECT count(*) FROM commitments c WHERE c.deal_id = d.id) - 7), d.stage DESC, d.id
            LIMIT 1
            """);
        command.Parameters.AddWithValue("rep", repId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            throw new InvalidOperationException("rep@demo.local has no deal in delivery.");
        return (reader.GetGuid(0), string.Create(CultureInfo.InvariantCulture,
            $"\"{reader.GetString(1)}\" ({reader.GetString(2)}, {reader.GetInt64(3)} promises, {reader.GetInt64(4)} milestones, {reader.GetInt64(5)} history rows)"));
    }

    private static void Print(PageResult p)
    {
        string Ms(double? v) => v is { } x ? $"{x:F1} ms" : "-";
        var app = p.AppTimedOut ? "TIMEOUT" : $"{Ms(p.AppMedian)} (p95 {Ms(p.AppP95)}, n {p.AppMs.Count})";
        var floor = p.FloorTimedOut ? "TIMEOUT" : $"{Ms(p.FloorMedian)} (p95 {Ms(p.FloorP95)})";
        Console.WriteLine($"    app {app}; floor {floor}; ratio {(p.Ratio is { } r ? $"{r:F1}x" : "-")}; {(p.Pass ? "PASS" : "FAIL")}");
        Console.WriteLine($"    app:   {p.AppSummary ?? p.Error}");
        if (p.SameResult == false)
            Console.WriteLine($"    floor: {p.FloorSummary}  (DIFFERENT)");
    }

    private static void Print(SweepResult s) =>
        Console.WriteLine($"    sweep: first pass {(s.FirstPassSeconds is { } f ? $"{f:F1} s" : "-")}, again {(s.RepeatMedianSeconds is { } r ? $"{r:F1} s" : "-")}; " +
            $"reading floor {(s.FloorMs.Count > 0 ? $"{Stats.Median(s.FloorMs) / 1000:F1} s" : "-")} ({s.FloorSummary}); {(s.Pass ? "PASS" : "FAIL")} {s.Error}" +
            (s.SaveDuringMs.Count > 0 ? $"; saves idle median {Stats.Median(s.IdleSaveMs):F0} ms, during the sweep {s.SaveDuringMs.Count} saves, median {Stats.Median(s.SaveDuringMs):F0} ms, " +
                $"max {s.SaveDuringMs.Max():F0} ms (blocked at most {s.LongestBlockMs:F0} ms), {s.SavesRefused} refused" : ""));
}

/// <summary>The machine a run was made on, for the report.</summary>
internal sealed record Machine(int Cores, string Cpu, long MemoryMb, string PostgreSql, string Os, string Dotnet)
{
    public static async Task<Machine> DescribeAsync(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand("SHOW server_version");
        var version = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new Machine(Environment.ProcessorCount, ReadCpu(), ReadMemoryMb(), $"PostgreSQL {version.Split(' ')[0]}",
            System.Runtime.InteropServices.RuntimeInformation.OSDescription, Environment.Version.ToString());
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string ReadCpu() => File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
        : "?";

    private static long ReadMemoryMb() => File.Exists("/proc/meminfo")
        ? long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024
        : 0;
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace CommitmentTracker.Scale.Generation;

/// <summary>What <c>generate</c> is asked for.</summary>
internal sealed record GenerateOptions(string Database, long Promises, ulong Seed, DateTimeOffset Now, string? Connection, string? DataDirectory, bool KeepIndexes);

/// <summary>What a generation did, kept in bench/scale-results/ for docs/benchmarks.md.</summary>
internal sealed record GenerationResult
{
    public required string Database { get; init; }
    public required long PromisesAsked { get; init; }
    public required long Deals { get; init; }
    public required ulong Seed { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    public required string Location { get; init; }
    public required double MigrateAndSeedSeconds { get; init; }
    public required double CopySeconds { get; init; }
    public required long CopyRows { get; init; }
    public required double CopyRowsPerSecond { get; init; }
    public required double IndexSeconds { get; init; }
    public required double VacuumAnalyzeSeconds { get; init; }
    public required double TotalSeconds { get; init; }
    public required long DatabaseBytes { get; init; }
    public required IReadOnlyDictionary<string, long> Rows { get; init; }
    public required IReadOnlyDictionary<string, long> Counts { get; init; }
}

/// <summary>
/// <c>generate</c>: a database the app runs on, holding a large organisation. The schema comes from the app's migrations and
/// the reference data and demo company from the app's own seeders; the company around them is bulk-loaded with binary COPY.
/// </summary>
internal static class Generator
{
    /// <summary>Promises per deal on average (4.9 of ours, 1.75 of the customer's): the deal count for a number of promises.</summary>
    public const double PromisesPerDeal = 6.66;

    public static async Task<GenerationResult> RunAsync(GenerateOptions options, CancellationToken cancellationToken)
    {
        var total = Stopwatch.StartNew();
        var deals = Math.Max(1, (long)Math.Round(options.Promises / PromisesPerDeal));
        await using var server = await ScaleDatabase.OpenAsync(options.Connection, options.DataDirectory, cancellationToken);
        var connectionString = server.ConnectionString(options.Database);
        Console.WriteLine($"Generating {options.Database}: about {options.Promises:N0} promises in {deals:N0} deals, seed {options.Seed}, today {options.Now:yyyy-MM-dd} (UTC).");

        var clock = new FixedClock(options.Now);
        var step = Stopwatch.StartNew();
        await server.RecreateAsync(options.Database, template: null, cancellationToken);
        await ScaleDatabase.MigrateAndSeedAsync(connectionString, clock, cancellationToken);
        var migrateSeconds = step.Elapsed.TotalSeconds;
        Console.WriteLine($"  schema (the app's migrations) and the app's reference and demo data: {migrateSeconds:F1} s");

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var accounts = (int)Math.Max(60, deals / 6);
        var org = await Organisation.BuildAsync(connection, accounts, options.Seed, options.Now, cancellationToken);

        string[] loaded = ["accounts", "contacts", .. BulkWriter.DealTables];
        var tuning = options.KeepIndexes ? null : await LoadTuning.DropAsync(connection, loaded, cancellationToken);
        if (tuning is not null)
            Console.WriteLine($"  dropped {tuning.Indexes} keys and indexes and {tuning.ForeignKeys} foreign keys of the loaded tables for the load");

        // ---------- COPY ----------
        var rows = new Dictionary<string, long>();
        step.Restart();
        var rng = Rng.For(options.Seed, 0, 0);
        await using (var org1 = await BulkWriter.OpenAsync(connectionString, ["\"AspNetUsers\""], cancellationToken))
        {
            foreach (var user in org.NewUsers)
                org1.User(user, org.PasswordHash, rng);
            await org1.CompleteAsync(cancellationToken);
            Add(rows, org1.RowCounts);
        }
        await using (var org2 = await BulkWriter.OpenAsync(connectionString, ["\"AspNetUserRoles\"", "teams", "accounts", "contacts"], cancellationToken))
        {
            foreach (var user in org.NewUsers)
                org2.UserRole(user.Id, org.RoleIds[user.Role]);
            foreach (var team in org.Teams.Where(t => t.IsNew))
                org2.Team(team.Id, team.Name, team.ManagerId);
            foreach (var account in org.Accounts)
                org2.Account(account);
            await org2.CompleteAsync(cancellationToken);
            Add(rows, org2.RowCounts);
        }
        var simulator = new DealSimulator(org, options.Seed, options.Now);
        await using (var writer = await BulkWriter.OpenAsync(connectionString, BulkWriter.DealTables, cancellationToken))
        {
            var progress = Stopwatch.StartNew();
            long simulating = 0, writing = 0;
            for (long i = 0; i < deals; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                var deal = simulator.Simulate(i);
                var t1 = Stopwatch.GetTimestamp();
                writer.Deal(deal);
                simulating += t1 - t0;
                writing += Stopwatch.GetTimestamp() - t1;
                if (progress.Elapsed.TotalSeconds >= 10)
                {
                    var sofar = rows.Values.Sum() + writer.RowCounts.Values.Sum();
                    Console.WriteLine($"  ... {i + 1:N0} of {deals:N0} deals, {sofar:N0} rows, {sofar / step.Elapsed.TotalSeconds:N0} rows/s");
                    progress.Restart();
                }
            }
            var t2 = Stopwatch.GetTimestamp();
            await writer.CompleteAsync(cancellationToken);
            writing += Stopwatch.GetTimestamp() - t2;
            Add(rows, writer.RowCounts);
            Console.WriteLine($"  (simulating the deals {Stopwatch.GetElapsedTime(0, simulating).TotalSeconds:F1} s, writing them {Stopwatch.GetElapsedTime(0, writing).TotalSeconds:F1} s)");
        }
        var copySeconds = step.Elapsed.TotalSeconds;
        var copyRows = rows.Values.Sum();
        Console.WriteLine($"  COPY: {copyRows:N0} rows in {copySeconds:F1} s = {copyRows / copySeconds:N0} rows/s");
        foreach (var (table, count) in rows.OrderByDescending(r => r.Value))
            Console.WriteLine($"      {table,-24} {count,12:N0}");

        // ---------- keys, indexes, statistics ----------
        step.Restart();
        if (tuning is not null)
        {
            await tuning.RecreateAsync(connection, what => Console.WriteLine($"  recreating {what}"), cancellationToken);
            Console.WriteLine($"  keys, indexes and foreign keys recreated as the migrations define them (catalog checked): {step.Elapsed.TotalSeconds:F1} s");
        }
        var indexSeconds = step.Elapsed.TotalSeconds;
        step.Restart();
        foreach (var table in loaded.Append("\"AspNetUsers\"").Append("teams"))
            await LoadTuning.ExecuteAsync(connection, $"VACUUM (ANALYZE) {table}", cancellationToken);
        var vacuumSeconds = step.Elapsed.TotalSeconds;
        Console.WriteLine($"  VACUUM (ANALYZE): {vacuumSeconds:F1} s");

        var counts = await CountsAsync(connection, cancellationToken);
        var size = (await Organisation.ReadAsync(connection, "SELECT pg_database_size(current_database())", r => r.GetInt64(0), cancellationToken)).Single();
        var result = new GenerationResult
        {
            Database = options.Database,
            PromisesAsked = options.Promises,
            Deals = deals,
            Seed = options.Seed,
            GeneratedAt = options.Now,
            Location = server.Location,
            MigrateAndSeedSeconds = Math.Round(migrateSeconds, 1),
            CopySeconds = Math.Round(copySeconds, 1),
            CopyRows = copyRows,
            CopyRowsPerSecond = Math.Round(copyRows / copySeconds),
            IndexSeconds = Math.Round(indexSeconds, 1),
            VacuumAnalyzeSeconds = Math.Round(vacuumSeconds, 1),
            TotalSeconds = Math.Round(total.Elapsed.TotalSeconds, 1),
            DatabaseBytes = size,
            Rows = rows,
            Counts = counts,
        };
        Console.WriteLine($"  {options.Database}: {size / 1024.0 / 1024.0:N0} MB; generated in {total.Elapsed.TotalSeconds:F0} s.");
        foreach (var (what, count) in counts)
            Console.WriteLine($"      {what,-40} {count,12:N0}");
        await SaveAsync(result, cancellationToken);
        return result;
    }

    /// <summary>The shape of what was generated, from the database itself (so the report describes what is really there).</summary>
    private static async Task<IReadOnlyDictionary<string, long>> CountsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>();
        async Task Count(string label, string sql) =>
            counts[label] = (await Organisation.ReadAsync(connection, sql, r => r.GetInt64(0), cancellationToken)).Single();
        await Count("teams", "SELECT count(*) FROM teams");
        await Count("users", "SELECT count(*) FROM \"AspNetUsers\"");
        await Count("accounts", "SELECT count(*) FROM accounts");
        await Count("deals", "SELECT count(*) FROM deals");
        await Count("promises", "SELECT count(*) FROM commitments");
        await Count("milestones", "SELECT count(*) FROM milestones");
        await Count("milestone updates", "SELECT count(*) FROM milestone_updates");
        foreach (var stage in new[] { "Verbal", "Ordered", "Delivered", "Paid", "Lost" })
            await Count($"deals {stage}", $"SELECT count(*) FROM deals WHERE stage = '{stage}'");
        foreach (var status in new[] { "Open", "Kept", "KeptLate", "Broken", "Waived" })
            await Count($"promises of ours {status}", $"SELECT count(*) FROM commitments WHERE direction = 'Ours' AND status = '{status}'");
        foreach (var level in new[] { "OnTrack", "Watch", "AtRisk", "Late" })
            await Count($"open promises of ours {level}", $"SELECT count(*) FROM commitments WHERE direction = 'Ours' AND status IN ('Open', 'Broken') AND risk_level = '{level}'");
        await Count("recovery plans open", "SELECT count(*) FROM recovery_plans WHERE resolved_at IS NULL");
        await Count("recovery plans closed", "SELECT count(*) FROM recovery_plans WHERE resolved_at IS NOT NULL");
        await Count("rep@demo.local deals", "SELECT count(*) FROM deals d JOIN \"AspNetUsers\" u ON u.id = d.owner_id WHERE u.normalized_email = 'REP@DEMO.LOCAL'");
        await Count("rep@demo.local promises", "SELECT count(*) FROM commitments c JOIN deals d ON d.id = c.deal_id JOIN \"AspNetUsers\" u ON u.id = d.owner_id WHERE u.normalized_email = 'REP@DEMO.LOCAL'");
        await Count("team North deals", "SELECT count(*) FROM deals d JOIN \"AspNetUsers\" u ON u.id = d.owner_id JOIN teams t ON t.id = u.team_id WHERE t.name = 'North'");
        await Count("open milestones assigned to service@demo.local", "SELECT count(*) FROM milestones m JOIN \"AspNetUsers\" u ON u.id = m.assignee_id WHERE u.normalized_email = 'SERVICE@DEMO.LOCAL' AND m.status NOT IN ('Done', 'Skipped')");
        return counts;
    }

    private static async Task SaveAsync(GenerationResult result, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Repository.Root, "bench", "scale-results");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{result.Database}.generate.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, ResultsJson.Options), cancellationToken);
        Console.WriteLine($"  kept in {Path.GetRelativePath(Repository.Root, path)}");
    }

    private static void Add(Dictionary<string, long> rows, IReadOnlyDictionary<string, long> more)
    {
        foreach (var (table, count) in more)
            rows[table] = rows.GetValueOrDefault(table) + count;
    }

    /// <summary>Parses "10k", "100k", "1m" or a plain number of promises.</summary>
    public static long ParseScale(string text)
    {
        var t = text.Trim().ToLowerInvariant().Replace("_", "", StringComparison.Ordinal);
        var factor = t.EndsWith('m') ? 1_000_000 : t.EndsWith('k') ? 1_000 : 1;
        var number = factor == 1 ? t : t[..^1];
        return (long)(double.Parse(number, CultureInfo.InvariantCulture) * factor);
    }

    /// <summary>The short label of a scale: 10k, 100k, 1m.</summary>
    public static string Label(long promises) => promises switch
    {
        >= 1_000_000 when promises % 1_000_000 == 0 => $"{promises / 1_000_000}m",
        >= 1_000 when promises % 1_000 == 0 => $"{promises / 1_000}k",
        _ => promises.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>JSON for the kept results: indented, camelCase.</summary>
internal static class ResultsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

/// <summary>A clock stopped at one moment: the demo company and the generated history share one "now".</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

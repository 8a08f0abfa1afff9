using System.Collections.Frozen;
using System.Text.Json;
using Npgsql;

namespace CommitmentTracker.Web.Tests.Performance;

/// <summary>A node of a query plan that reads a growing table whole: a Seq Scan, or an index walked end to end.</summary>
public sealed record TableScan(string Kind, string Table, string? Index = null)
{
    public override string ToString() => Index is null ? $"{Kind} on {Table}" : $"{Kind} on {Table} ({Index}, no Index Cond)";
}

/// <summary>Asks PostgreSQL how it would run a recorded query, and finds the whole reads of growing tables in the answer.</summary>
public static class QueryPlan
{
    /// <summary>
    /// Tables that grow with deals, promises and time (names as in the migrations). Reference tables (teams, identity,
    /// settings, templates, lead times, the risk library) stay small and may be scanned.
    /// </summary>
    public static FrozenSet<string> GrowingTables { get; } = new[]
    {
        "deals", "commitments", "milestones", "milestone_updates", "promised_date_changes", "deal_checklist_items",
        "touchpoints", "deal_stage_changes", "shared_risks", "communication_entries", "audit_entries", "alerts",
        "recovery_plans", "recovery_steps", "recovery_options", "accounts", "contacts", "technical_review", "daily_digests",
        "shared_record_links",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// A connection on which the planner reads a table through an index wherever one can serve: sequential scans, hash
    /// joins and merge joins are off (each then costs a penalty the planner pays only when nothing else is possible), so
    /// joins become index lookups. A Seq Scan left in a plan means no index can serve that read; an index walked whole
    /// (no Index Cond) means the same, the planner's way round the missing Seq Scan when some index at least gives an order.
    /// </summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Unpooled: these settings must never reach a connection the app's services use.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SET enable_seqscan = off; SET enable_hashjoin = off; SET enable_mergejoin = off", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The names of the partial indexes (CREATE INDEX ... WHERE): walking one whole reads only the rows it keeps.</summary>
    public static async Task<FrozenSet<string>> PartialIndexesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indpred IS NOT NULL", connection);
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            names.Add(reader.GetString(0));
        return names.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>The plan of <paramref name="query"/> with its own parameter values, as JSON (EXPLAIN, not ANALYZE: nothing runs).</summary>
    public static async Task<string> ExplainAsync(NpgsqlConnection connection, RecordedCommand query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
#pragma warning disable CA2100 // the SQL is what EF Core generated and the app itself sends; its values stay parameters
        await using var command = new NpgsqlCommand("EXPLAIN (FORMAT JSON) " + query.Sql, connection);
#pragma warning restore CA2100
        foreach (var parameter in query.Parameters)
            command.Parameters.Add(parameter.Clone());
        return (string)(await command.ExecuteScalarAsync(cancellationToken)
            ?? throw new InvalidOperationException("EXPLAIN returned no plan."));
    }

    /// <summary>
    /// Every whole read of a growing table anywhere in the plan (sub-plans and init-plans included): a Seq Scan, or an
    /// Index Scan / Index Only Scan without an Index Cond. A whole walk of a partial index (<paramref name="partialIndexes"/>,
    /// such as the open recovery plans) reads only the rows its predicate keeps and is not counted.
    /// </summary>
    public static IReadOnlyList<TableScan> ScansOfGrowingTables(string planJson, IReadOnlySet<string>? partialIndexes = null)
    {
        using var document = JsonDocument.Parse(planJson);
        var scans = new List<TableScan>();
        foreach (var statement in document.RootElement.EnumerateArray())
            Walk(statement.GetProperty("Plan"), partialIndexes ?? FrozenSet<string>.Empty, scans);
        return scans;
    }

    private static void Walk(JsonElement node, IReadOnlySet<string> partialIndexes, List<TableScan> scans)
    {
        var nodeType = node.GetProperty("Node Type").GetString() ?? "";
        if (node.TryGetProperty("Relation Name", out var relation) && relation.GetString() is { } table && GrowingTables.Contains(table))
        {
            var index = node.TryGetProperty("Index Name", out var name) ? name.GetString() : null;
            if (nodeType == "Seq Scan")
                scans.Add(new TableScan(nodeType, table));
            else if (nodeType is "Index Scan" or "Index Only Scan" && index is not null
                     && !node.TryGetProperty("Index Cond", out _) && !partialIndexes.Contains(index))
                scans.Add(new TableScan($"Full {nodeType}", table, index));
        }
        if (node.TryGetProperty("Plans", out var children))
            foreach (var child in children.EnumerateArray())
                Walk(child, partialIndexes, scans);
    }
}

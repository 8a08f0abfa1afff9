using Npgsql;

namespace CommitmentTracker.Scale.Generation;

/// <summary>
/// Bulk loading into indexed, constrained tables is several times slower than loading bare tables and building the
/// indexes once. Before the load this takes the definitions of the loaded tables' primary keys, indexes and foreign keys
/// from the catalog (as the migrations created them) and drops them; afterwards it recreates them from those very
/// definitions (building each index by one sort; validating every foreign key) and checks that the catalog is as before.
/// </summary>
internal sealed class LoadTuning
{
    private readonly List<(string Table, string Name, string Definition)> _foreignKeys = [];
    private readonly List<(string Table, string Name, string Definition)> _primaryKeys = [];
    private readonly List<(string Name, string Definition)> _indexes = [];
    private IReadOnlyList<string> _catalogBefore = [];

    public int ForeignKeys => _foreignKeys.Count;
    public int Indexes => _indexes.Count + _primaryKeys.Count;

    public static async Task<LoadTuning> DropAsync(NpgsqlConnection connection, IReadOnlyCollection<string> tables, CancellationToken cancellationToken)
    {
        var tuning = new LoadTuning { _catalogBefore = await CatalogAsync(connection, cancellationToken) };
        var list = string.Join(", ", tables.Select(t => $"'{t}'::regclass"));
        tuning._foreignKeys.AddRange(await Organisation.ReadAsync(connection,
            $"SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' AND (conrelid IN ({list}) OR confrelid IN ({list})) ORDER BY conname",
            r => (r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken));
        tuning._primaryKeys.AddRange(await Organisation.ReadAsync(connection,
            $"SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'p' AND conrelid IN ({list}) ORDER BY conname",
            r => (r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken));
        tuning._indexes.AddRange(await Organisation.ReadAsync(connection,
            $"""
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid IN ({list}) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            r => (r.GetString(0), r.GetString(1)), cancellationToken));

        foreach (var (table, name, _) in tuning._foreignKeys)
            await ExecuteAsync(connection, $"ALTER TABLE {table} DROP CONSTRAINT {ScaleDatabase.Quote(name)}", cancellationToken);
        foreach (var (table, name, _) in tuning._primaryKeys)
            await ExecuteAsync(connection, $"ALTER TABLE {table} DROP CONSTRAINT {ScaleDatabase.Quote(name)}", cancellationToken);
        foreach (var (name, _) in tuning._indexes)
            await ExecuteAsync(connection, $"DROP INDEX {name}", cancellationToken);
        return tuning;
    }

    /// <summary>Recreates keys, then indexes, then foreign keys (validated); throws if the catalog differs from before the load.</summary>
    public async Task RecreateAsync(NpgsqlConnection connection, Action<string> progress, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, "SET maintenance_work_mem = '512MB'", cancellationToken);
        foreach (var (table, name, definition) in _primaryKeys)
        {
            progress($"primary key {name}");
            await ExecuteAsync(connection, $"ALTER TABLE {table} ADD CONSTRAINT {ScaleDatabase.Quote(name)} {definition}", cancellationToken);
        }
        foreach (var (name, definition) in _indexes)
        {
            progress($"index {name}");
            await ExecuteAsync(connection, definition, cancellationToken);
        }
        foreach (var (table, name, definition) in _foreignKeys)
        {
            progress($"foreign key {name}");
            await ExecuteAsync(connection, $"ALTER TABLE {table} ADD CONSTRAINT {ScaleDatabase.Quote(name)} {definition}", cancellationToken);
        }
        var after = await CatalogAsync(connection, cancellationToken);
        var missing = _catalogBefore.Except(after).ToList();
        var extra = after.Except(_catalogBefore).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            throw new InvalidOperationException($"The schema differs after the load. Missing: {string.Join("; ", missing)}. Extra: {string.Join("; ", extra)}.");
    }

    /// <summary>Every index, constraint and trigger of the public schema, as definitions: the schema as the migrations left it.</summary>
    private static async Task<IReadOnlyList<string>> CatalogAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await Organisation.ReadAsync(connection,
            """
            SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL
            SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
              FROM pg_constraint WHERE connamespace = 'public'::regnamespace
            UNION ALL
            SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
            ORDER BY 1
            """,
            r => r.GetString(0), cancellationToken);

    internal static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

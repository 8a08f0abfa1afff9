using Npgsql;

namespace CommitmentTracker.Web.Persistence;

/// <summary>
/// Least privilege in the database: the owner role owns the schema and runs migrations; the app's role may read and write
/// rows and nothing else. It may only INSERT and SELECT the append-only records (every table whose rows a
/// <c>refuse_change_to_record</c> trigger guards: audit entries, communications, milestone updates, promised-date history,
/// stage changes) and the sign-in cookie keys, may not delete shared record links or customer links (they are revoked, and the revocation kept) or sweep runs, and, not being the owner, cannot alter a table, disable a trigger or truncate.
/// </summary>
public static class DatabasePrivileges
{
    /// <summary>The trigger function the append-only records are guarded by (see the Initial and AuditTrail migrations).</summary>
    public const string AppendOnlyTriggerFunction = "refuse_change_to_record";

    /// <summary>
    /// Grants <paramref name="appRole"/> its privileges on everything in the public schema, run as the owner after every
    /// migration; default privileges also cover tables a later migration creates before this runs again.
    /// </summary>
    public static async Task GrantAsync(string ownerConnectionString, string appRole, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ownerConnectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(appRole);
        var unpooled = new NpgsqlConnectionStringBuilder(ownerConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(unpooled.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(GrantSql(appRole), connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The user name a connection string signs in as.</summary>
    public static string? RoleOf(string? connectionString) =>
        string.IsNullOrWhiteSpace(connectionString) ? null : new NpgsqlConnectionStringBuilder(connectionString).Username;

    /// <summary>The grants of <see cref="GrantAsync"/>, as one statement (idempotent: it first takes back whatever the role had).</summary>
    public static string GrantSql(string appRole) =>
        $$"""
        DO $grants$
        DECLARE
            app text := {{Literal(appRole)}};
            record_table text;
        BEGIN
            EXECUTE format('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
            EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), app);
            EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app);
            EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', app);
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', app);
            EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app);
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I', app);
            EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO %I', app);
            FOR record_table IN
                SELECT DISTINCT c.relname
                FROM pg_trigger t
                JOIN pg_class c ON c.oid = t.tgrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE n.nspname = 'public' AND NOT t.tgisinternal AND p.proname = '{{AppendOnlyTriggerFunction}}'
            LOOP
                EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON public.%I FROM %I', record_table, app);
            END LOOP;
            -- Shared record links are revoked, never deleted: who created and revoked each one stays on record.
            IF to_regclass('public.shared_record_links') IS NOT NULL THEN
                EXECUTE format('REVOKE DELETE, TRUNCATE ON public.shared_record_links FROM %I', app);
            END IF;
            -- Customer links likewise: revoked, never deleted.
            IF to_regclass('public.customer_links') IS NOT NULL THEN
                EXECUTE format('REVOKE DELETE, TRUNCATE ON public.customer_links FROM %I', app);
            END IF;
            -- Sign-in cookie keys are only ever added (data protection retires a key by writing a newer one); sweep runs are
            -- recorded and finished, never deleted.
            IF to_regclass('public.data_protection_keys') IS NOT NULL THEN
                EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON public.data_protection_keys FROM %I', app);
            END IF;
            IF to_regclass('public.risk_sweep_runs') IS NOT NULL THEN
                EXECUTE format('REVOKE DELETE, TRUNCATE ON public.risk_sweep_runs FROM %I', app);
            END IF;
            IF to_regclass('public."__EFMigrationsHistory"') IS NOT NULL THEN
                EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public."__EFMigrationsHistory" FROM %I', app);
            END IF;
        END $grants$;
        """;

    /// <summary>
    /// Hands the public schema and everything in it to <paramref name="ownerRole"/>; run as a superuser. Upgrades a database
    /// whose tables the superuser created (before roles existed, or generated by the benchmark tooling) in place.
    /// </summary>
    public static string TransferOwnershipSql(string ownerRole) =>
        $$"""
        DO $adopt$
        DECLARE
            owner_role text := {{Literal(ownerRole)}};
            item record;
        BEGIN
            EXECUTE format('ALTER SCHEMA public OWNER TO %I', owner_role);
            -- Tables first: their owned sequences (identity, serial) follow them.
            FOR item IN
                SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                  AND pg_get_userbyid(c.relowner) <> owner_role
                ORDER BY c.relkind IN ('r', 'p') DESC, c.relkind = 'S'
            LOOP
                IF item.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_class s JOIN pg_namespace sn ON sn.oid = s.relnamespace
                        WHERE sn.nspname = 'public' AND s.relname = item.relname AND pg_get_userbyid(s.relowner) = owner_role) THEN
                    CONTINUE;
                END IF;
                EXECUTE format('ALTER %s public.%I OWNER TO %I',
                    CASE item.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                        WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                    item.relname, owner_role);
            END LOOP;
            FOR item IN
                SELECT p.oid::regprocedure AS signature FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> owner_role
            LOOP
                EXECUTE format('ALTER ROUTINE %s OWNER TO %I', item.signature, owner_role);
            END LOOP;
        END $adopt$;
        """;

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}

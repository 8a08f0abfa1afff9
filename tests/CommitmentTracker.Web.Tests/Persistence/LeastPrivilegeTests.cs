using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommitmentTracker.Web.Tests.Persistence;

/// <summary>
/// The app's database role reads and writes rows and nothing more: the append-only records can only be added to and read,
/// and no table can be altered, emptied or stripped of its triggers by the app (or anything that steals its password).
/// </summary>
public sealed class LeastPrivilegeTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly string[] AppendOnlyTables =
        ["audit_entries", "communication_entries", "milestone_updates", "promised_date_changes", "deal_stage_changes"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_app_runs_as_its_own_role_which_is_not_a_superuser_nor_the_owner()
    {
        var (user, superuser, owner) = await AsAppAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                "SELECT current_user::text, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user), pg_get_userbyid(c.relowner)::text FROM pg_class c WHERE c.relname = 'audit_entries'",
                connection);
            await using var reader = await command.ExecuteReaderAsync(Cancel);
            await reader.ReadAsync(Cancel);
            return (reader.GetString(0), reader.GetBoolean(1), reader.GetString(2));
        });

        Assert.Equal(PostgresServer.AppRole, user);
        Assert.False(superuser);
        Assert.Equal(PostgresServer.OwnerRole, owner);
    }

    [Theory]
    [InlineData("UPDATE audit_entries SET new_value = 'rewritten'")]
    [InlineData("DELETE FROM audit_entries")]
    [InlineData("TRUNCATE audit_entries")]
    [InlineData("TRUNCATE audit_entries CASCADE")]
    public async Task Updating_deleting_or_truncating_the_audit_trail_as_the_apps_role_fails(string sql)
    {
        await ArrangeAuditedChangeAsync();
        var before = await CountAuditEntriesAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => AsAppAsync(connection => ExecuteAsync(connection, sql)));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.True(before > 0);
        Assert.Equal(before, await CountAuditEntriesAsync());
    }

    [Theory]
    [InlineData("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only")]
    [InlineData("ALTER TABLE communication_entries DISABLE TRIGGER ALL")]
    [InlineData("DROP TRIGGER audit_entries_append_only ON audit_entries")]
    [InlineData("SET session_replication_role = replica")]
    [InlineData("ALTER TABLE deals ADD COLUMN smuggled int")]
    [InlineData("DROP TABLE touchpoints")]
    [InlineData("CREATE TABLE smuggled (id int)")]
    [InlineData("CREATE OR REPLACE FUNCTION refuse_change_to_record() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$")]
    public async Task The_apps_role_cannot_change_the_schema_or_switch_the_append_only_triggers_off(string sql)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => AsAppAsync(connection => ExecuteAsync(connection, sql)));

        // 42501: insufficient privilege; 42883 would mean the function is not even visible (not the case here).
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task The_append_only_tables_may_only_be_read_and_added_to_and_the_others_have_no_truncate()
    {
        var privileges = await AsAppAsync(async connection =>
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT c.relname::text, p.privilege
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                CROSS JOIN unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p(privilege)
                WHERE n.nspname = 'public' AND c.relkind = 'r' AND has_table_privilege(current_user, c.oid, p.privilege)
                """,
                connection);
            var rows = new List<(string Table, string Privilege)>();
            await using var reader = await command.ExecuteReaderAsync(Cancel);
            while (await reader.ReadAsync(Cancel))
                rows.Add((reader.GetString(0), reader.GetString(1)));
            return rows.ToLookup(r => r.Table, r => r.Privilege);
        });

        foreach (var table in AppendOnlyTables)
            Assert.Equal(["INSERT", "SELECT"], privileges[table].Order(StringComparer.Ordinal));
        Assert.Equal(["DELETE", "INSERT", "SELECT", "UPDATE"], privileges["deals"].Order(StringComparer.Ordinal));
        Assert.Equal(["SELECT"], privileges["__EFMigrationsHistory"]);
        Assert.Equal(["INSERT", "SELECT"], privileges["data_protection_keys"].Order(StringComparer.Ordinal));
        Assert.Equal(["INSERT", "SELECT", "UPDATE"], privileges["risk_sweep_runs"].Order(StringComparer.Ordinal));
        Assert.DoesNotContain(privileges, group => group.Contains("TRUNCATE") || group.Contains("TRIGGER") || group.Contains("REFERENCES"));
    }

    [Fact]
    public async Task A_table_a_later_migration_creates_is_usable_by_the_apps_role_without_new_grants()
    {
        var table = "later_" + Guid.NewGuid().ToString("N")[..8];
        await using (var owner = new NpgsqlConnection(database.OwnerConnectionString))
        {
            await owner.OpenAsync(Cancel);
            await ExecuteAsync(owner, $"CREATE TABLE {table} (id serial PRIMARY KEY, note text)");
        }

        var count = await AsAppAsync(async connection =>
        {
            await ExecuteAsync(connection, $"INSERT INTO {table} (note) VALUES ('written by the app')");
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            return (long)(await command.ExecuteScalarAsync(Cancel))!;
        });

        Assert.Equal(1, count);
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => AsAppAsync(connection => ExecuteAsync(connection, $"TRUNCATE {table}")));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, truncate.SqlState);
    }

    [Fact]
    public async Task Granting_again_after_a_migration_is_harmless_and_keeps_the_append_only_tables_closed()
    {
        await DatabasePrivileges.GrantAsync(database.OwnerConnectionString, PostgresServer.AppRole, Cancel);
        await DatabasePrivileges.GrantAsync(database.OwnerConnectionString, PostgresServer.AppRole, Cancel);

        var error = await Assert.ThrowsAsync<PostgresException>(() => AsAppAsync(connection => ExecuteAsync(connection, "DELETE FROM communication_entries")));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    private async Task ArrangeAuditedChangeAsync()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        await database.CreateDealAsync(rep);
    }

    private Task<int> CountAuditEntriesAsync() => database.QueryAsync(db => db.AuditEntries.CountAsync(Cancel));

    private async Task<T> AsAppAsync<T>(Func<NpgsqlConnection, Task<T>> action)
    {
        // The very connection string the app's contexts use.
        await using var db = database.CreateDbContext();
        await using var connection = new NpgsqlConnection(db.Database.GetConnectionString());
        await connection.OpenAsync(Cancel);
        return await action(connection);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(Cancel);
    }
}

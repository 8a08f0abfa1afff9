using Npgsql;

namespace CommitmentTracker.Web.Tests.Infrastructure;

/// <summary>Checks that the assembly-wide PostgreSQL server hands out isolated, working databases.</summary>
public sealed class PostgresServerTests(PostgresServer server)
{
    [Fact]
    public async Task CreateDatabaseAsync_returns_distinct_usable_databases()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var first = await server.CreateDatabaseAsync("isolation");
        var second = await server.CreateDatabaseAsync("isolation");

        Assert.Contains(server.Kind, new[] { PostgresServer.TestcontainersKind, PostgresServer.LocalClusterKind });
        Assert.NotEqual(
            new NpgsqlConnectionStringBuilder(first).Database,
            new NpgsqlConnectionStringBuilder(second).Database);

        await using (var connection = new NpgsqlConnection(first))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand("CREATE TABLE probe (id int); INSERT INTO probe VALUES (7);", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        Assert.Equal(1L, await CountProbeTablesAsync(first, cancellationToken));
        Assert.Equal(0L, await CountProbeTablesAsync(second, cancellationToken));
    }

    private static async Task<long> CountProbeTablesAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'probe'",
            connection);
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }
}

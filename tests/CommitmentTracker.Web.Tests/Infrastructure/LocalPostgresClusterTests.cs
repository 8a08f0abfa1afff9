using System.Diagnostics;
using System.Globalization;
using CommitmentTracker.Web.Persistence.LocalPostgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CommitmentTracker.Web.Tests.Infrastructure;

/// <summary>Checks the persistent local cluster the app runs on: data survives restarts, leftovers of killed runs do not block start.</summary>
public sealed class LocalPostgresClusterTests : IAsyncDisposable
{
    // Not the ephemeral prefix: these folders are persistent-mode clusters, cleaned up by this class alone.
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ct-pg-it-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<LocalPostgresCluster> _clusters = [];

    private LocalPostgresOptions Options => new() { DataDirectory = _folder };

    private static CancellationToken CancellationToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Persistent_cluster_keeps_data_across_stop_and_start()
    {
        var cluster = NewCluster();
        await cluster.StartAsync(CancellationToken);
        await ExecuteAsync(cluster, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42);");

        await cluster.StopAsync(CancellationToken);
        Assert.False(cluster.IsRunning);
        await cluster.StartAsync(CancellationToken);

        Assert.False(cluster.ReusedRunningServer);
        Assert.Equal(42, await ScalarAsync<int>(cluster, "SELECT id FROM kept"));

        // A new app run: a new object on the same folder, after the previous one stopped cleanly.
        await cluster.DisposeAsync();
        Assert.True(File.Exists(Path.Combine(cluster.DataDirectory, "PG_VERSION")));
        var nextRun = NewCluster();
        await nextRun.StartAsync(CancellationToken);
        Assert.False(nextRun.ReusedRunningServer);
        Assert.Equal(42, await ScalarAsync<int>(nextRun, "SELECT id FROM kept"));
    }

    [Fact]
    public async Task Server_left_running_by_a_killed_run_is_reused()
    {
        var killedRun = NewCluster();
        await killedRun.StartAsync(CancellationToken);
        await ExecuteAsync(killedRun, "CREATE TABLE marker (id int); INSERT INTO marker VALUES (1);");

        // The first object is never stopped, as when the app is killed.
        var nextRun = NewCluster();
        await nextRun.StartAsync(CancellationToken);

        Assert.True(nextRun.ReusedRunningServer);
        Assert.Equal(killedRun.Port, nextRun.Port);
        Assert.Equal(1, await ScalarAsync<int>(nextRun, "SELECT id FROM marker"));
    }

    [Fact]
    public async Task Stale_postmaster_pid_of_a_dead_server_does_not_block_start()
    {
        var crashed = NewCluster();
        await crashed.StartAsync(CancellationToken);
        await ExecuteAsync(crashed, "CREATE TABLE survivor (id int); INSERT INTO survivor VALUES (3);");

        // SIGKILL the postmaster: its postmaster.pid stays behind, naming a dead process.
        var pidFile = Path.Combine(crashed.DataDirectory, "postmaster.pid");
        var pid = int.Parse((await File.ReadAllLinesAsync(pidFile, CancellationToken))[0], CultureInfo.InvariantCulture);
        using (var postmaster = Process.GetProcessById(pid))
        {
            postmaster.Kill();
            await postmaster.WaitForExitAsync(CancellationToken);
        }

        Assert.True(File.Exists(pidFile));
        var nextRun = NewCluster();
        await nextRun.StartAsync(CancellationToken);

        Assert.False(nextRun.ReusedRunningServer);
        Assert.Equal(3, await ScalarAsync<int>(nextRun, "SELECT id FROM survivor"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_cluster_inside_a_private_folder_starts()
    {
        // Like a `mktemp -d` clone: the project sits in a folder only its owner may enter (0700).
        Directory.CreateDirectory(_folder);
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var cluster = new LocalPostgresCluster(new LocalPostgresOptions { DataDirectory = Path.Combine(_folder, "project", ".data", "postgres") }, NullLogger.Instance);
        _clusters.Add(cluster);

        await cluster.StartAsync(CancellationToken);

        Assert.True(cluster.IsRunning);
        Assert.Equal(1, await ScalarAsync<int>(cluster, "SELECT 1"));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Only_password_connections_are_accepted_and_the_secret_is_kept_private_in_the_data_folder()
    {
        var cluster = NewCluster();
        await cluster.StartAsync(CancellationToken);

        var withoutPassword = new NpgsqlConnectionStringBuilder(cluster.ConnectionString()) { Password = null, Pooling = false };
        await Assert.ThrowsAnyAsync<NpgsqlException>(async () =>
        {
            await using var connection = new NpgsqlConnection(withoutPassword.ConnectionString);
            await connection.OpenAsync(CancellationToken);
        });
        Assert.Equal(1, await ScalarAsync<int>(cluster, "SELECT 1"));
        Assert.StartsWith(cluster.BaseDirectory, cluster.SecretsFile, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cluster.SecretsFile));
        Assert.Contains("scram-sha-256", await File.ReadAllTextAsync(Path.Combine(cluster.DataDirectory, "pg_hba.conf"), CancellationToken), StringComparison.Ordinal);
        Assert.DoesNotContain(" trust", await File.ReadAllTextAsync(Path.Combine(cluster.DataDirectory, "pg_hba.conf"), CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trust_cluster_from_before_roles_is_upgraded_in_place_without_losing_data()
    {
        // The old layout: trust authentication, no secrets, the app's tables created by the superuser.
        var old = NewCluster();
        await old.StartAsync(CancellationToken);
        await ExecuteAsync(old, "CREATE DATABASE commitmenttracker");
        await using (var connection = new NpgsqlConnection(old.ConnectionString("commitmenttracker")))
        {
            await connection.OpenAsync(CancellationToken);
            await using var create = new NpgsqlCommand(
                "CREATE TABLE deals (id serial PRIMARY KEY, title text); INSERT INTO deals (title) VALUES ('Kept through the upgrade');",
                connection);
            await create.ExecuteNonQueryAsync(CancellationToken);
        }

        await old.StopAsync(CancellationToken);
        await File.WriteAllTextAsync(
            Path.Combine(old.DataDirectory, "pg_hba.conf"),
            "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n",
            CancellationToken);
        File.Delete(old.SecretsFile);
        NpgsqlConnection.ClearAllPools();

        var upgraded = NewCluster();
        await upgraded.StartAsync(CancellationToken);
        await LocalPostgresHosting.PrepareDatabaseAsync(upgraded, "commitmenttracker");

        var owner = upgraded.ConnectionString("commitmenttracker", LocalPostgresHosting.OwnerRole);
        await using (var connection = new NpgsqlConnection(owner))
        {
            await connection.OpenAsync(CancellationToken);
            await using var read = new NpgsqlCommand(
                "SELECT title || ' / ' || pg_get_userbyid(c.relowner) FROM deals, pg_class c WHERE c.relname = 'deals'", connection);
            Assert.Equal("Kept through the upgrade / " + LocalPostgresHosting.OwnerRole, (string)(await read.ExecuteScalarAsync(CancellationToken))!);
        }

        Assert.True(File.Exists(upgraded.SecretsFile));
        var withoutPassword = new NpgsqlConnectionStringBuilder(upgraded.ConnectionString()) { Password = null, Pooling = false };
        await Assert.ThrowsAnyAsync<NpgsqlException>(async () =>
        {
            await using var connection = new NpgsqlConnection(withoutPassword.ConnectionString);
            await connection.OpenAsync(CancellationToken);
        });
    }

    [Fact]
    public async Task A_killed_postmaster_is_started_again_on_the_same_port()
    {
        var cluster = NewCluster();
        await cluster.StartAsync(CancellationToken);
        await ExecuteAsync(cluster, "CREATE TABLE survivor (id int); INSERT INTO survivor VALUES (5);");
        var port = cluster.Port;
        Assert.False(await cluster.RestartIfDeadAsync(CancellationToken));

        await KillPostmasterAsync(cluster);
        Assert.False(cluster.IsServerProcessAlive());
        Assert.True(await cluster.RestartIfDeadAsync(CancellationToken));

        NpgsqlConnection.ClearAllPools();
        Assert.True(cluster.IsServerProcessAlive());
        Assert.Equal(port, cluster.Port);
        Assert.Equal(5, await ScalarAsync<int>(cluster, "SELECT id FROM survivor"));
    }

    /// <summary>SIGKILL the postmaster, as a crash or an out-of-memory killer would, and wait for it to be gone.</summary>
    internal static async Task KillPostmasterAsync(LocalPostgresCluster cluster)
    {
        var pidFile = Path.Combine(cluster.DataDirectory, "postmaster.pid");
        var pid = int.Parse((await File.ReadAllLinesAsync(pidFile, CancellationToken))[0], CultureInfo.InvariantCulture);
        using var postmaster = Process.GetProcessById(pid);
        postmaster.Kill();
        await postmaster.WaitForExitAsync(CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();

        // Newest first: it owns the server that is running now; older objects then find nothing left to stop.
        for (var i = _clusters.Count - 1; i >= 0; i--)
        {
            await _clusters[i].DisposeAsync();
        }

        foreach (var folder in _clusters.Select(cluster => cluster.SocketDirectory).Distinct().Append(_folder))
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private LocalPostgresCluster NewCluster()
    {
        var cluster = new LocalPostgresCluster(Options, NullLogger.Instance);
        _clusters.Add(cluster);
        return cluster;
    }

    private static async Task ExecuteAsync(LocalPostgresCluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString());
        await connection.OpenAsync(CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(CancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(LocalPostgresCluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString());
        await connection.OpenAsync(CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(CancellationToken))!;
    }
}

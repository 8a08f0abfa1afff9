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

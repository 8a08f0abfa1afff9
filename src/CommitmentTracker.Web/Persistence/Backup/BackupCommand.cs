using System.Globalization;
using CommitmentTracker.Web.Persistence.LocalPostgres;
using Npgsql;
using Serilog;

namespace CommitmentTracker.Web.Persistence.Backup;

/// <summary>
/// The app's command line for backups (what ./backup.sh calls): <c>backup [file]</c> and <c>restore &lt;file&gt; [--into
/// &lt;database&gt;]</c>, against the configured database or the embedded one (started for the command, or the running one).
/// </summary>
public static class BackupCommand
{
    public static bool Matches(string[] args) => args is ["backup", ..] or ["restore", ..];

    /// <summary>Runs the command; returns the process exit code (0 done, 1 failed, 2 wrong usage).</summary>
    public static async Task<int> RunAsync(IConfiguration configuration, LocalPostgresCluster? cluster, string[] args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(args);
        var ownerConnectionString = configuration.GetConnectionString("Owner") is { Length: > 0 } owner ? owner : configuration.GetConnectionString("Default")!;
        var backup = new DatabaseBackup(cluster?.BinDirectory ?? LocalPostgresCluster.LocateBinDirectoryOrPath(configuration["PostgreSQL:BinDirectory"]));
        var database = new NpgsqlConnectionStringBuilder(ownerConnectionString).Database;
        try
        {
            switch (args)
            {
                case ["backup"] or ["backup", _]:
                    var file = args.Length > 1 ? args[1] : Path.Combine("backups", $"{database}-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.dump");
                    await backup.BackupAsync(ownerConnectionString, file);
                    Log.Information("Backed up database {Database} to {File} ({Size:N0} bytes)", database, Path.GetFullPath(file), new FileInfo(file).Length);
                    return 0;
                case ["restore", var from]:
                    return await RestoreAsync(backup, ownerConnectionString, from);
                case ["restore", var from, "--into", var into]:
                    if (cluster is not null)
                        await LocalPostgresHosting.PrepareDatabaseAsync(cluster, into);
                    var target = cluster is not null
                        ? cluster.ConnectionString(into, LocalPostgresHosting.OwnerRole)
                        : new NpgsqlConnectionStringBuilder(ownerConnectionString) { Database = into }.ConnectionString;
                    return await RestoreAsync(backup, target, from);
                default:
                    Log.Error("Usage: backup [file] | restore <file> [--into <database>]");
                    return 2;
            }
        }
        catch (DatabaseBackupException ex)
        {
            Log.Error("{Message}", ex.Message);
            return 1;
        }
    }

    private static async Task<int> RestoreAsync(DatabaseBackup backup, string connectionString, string file)
    {
        await backup.RestoreAsync(connectionString, file);
        var rows = await DatabaseBackup.CountRowsAsync(connectionString);
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        Log.Information("Restored {File} into database {Database}: {Tables} tables, {Rows:N0} rows. The app grants its runtime role when it starts on it.",
            Path.GetFullPath(file), database, rows.Count, rows.Values.Sum());
        return 0;
    }
}

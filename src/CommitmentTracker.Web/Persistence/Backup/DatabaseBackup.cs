using System.ComponentModel;
using System.Diagnostics;
using Npgsql;

namespace CommitmentTracker.Web.Persistence.Backup;

/// <summary>A backup or restore that could not be done, with what to do about it.</summary>
public sealed class DatabaseBackupException(string message) : Exception(message);

/// <summary>
/// Backs up and restores the app's database with PostgreSQL's own tools: <c>pg_dump --format=custom</c> (a consistent
/// snapshot, taken while the app runs) and <c>pg_restore</c> in one transaction into an EMPTY database, so a failed restore
/// leaves nothing half-done and a restore never overwrites data. Ownership and grants are not in the file: the restoring
/// role owns what it restores and the app grants its runtime role at start (as after any migration).
/// </summary>
public sealed class DatabaseBackup(string binDirectory)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromHours(2);

    /// <summary>Writes a backup of the database of <paramref name="connectionString"/> (the owner role's) to <paramref name="file"/>.</summary>
    public async Task BackupAsync(string connectionString, string file, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(file);
        var folder = Path.GetDirectoryName(Path.GetFullPath(file));
        if (folder is not null)
            Directory.CreateDirectory(folder);
        await RunAsync("pg_dump", connectionString, ["--format=custom", "--no-owner", "--no-privileges", "--file", Path.GetFullPath(file)], cancellationToken);
    }

    /// <summary>
    /// Restores <paramref name="file"/> into the database of <paramref name="connectionString"/>, which must hold no table yet,
    /// in a single transaction (all or nothing).
    /// </summary>
    public async Task RestoreAsync(string connectionString, string file, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(file))
            throw new DatabaseBackupException($"There is no backup file {Path.GetFullPath(file)}.");
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var tables = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", connection);
            if ((long)(await tables.ExecuteScalarAsync(cancellationToken))! > 0)
            {
                throw new DatabaseBackupException(
                    $"The database {database} already holds tables: a restore goes into an empty database, so nothing is overwritten. " +
                    "Restore into a new database (./backup.sh --restore <file> --into <new name>) and point the app at it.");
            }
        }
        await RunAsync("pg_restore", connectionString,
            ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--dbname", database!, Path.GetFullPath(file)], cancellationToken);
    }

    /// <summary>Rows per table of the app's schema, counted exactly: to compare a database with its restored copy.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountRowsAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var names = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                names.Add(reader.GetString(0));
        }
        foreach (var name in names)
        {
            // Names come from the catalogue and are quoted as identifiers.
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM public.\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            counts[name] = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        }
        return counts;
    }

    private async Task RunAsync(string tool, string connectionString, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var startInfo = new ProcessStartInfo(Path.Combine(binDirectory, tool))
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
            startInfo.ArgumentList.Add(argument);
        // The connection travels in the environment, so the password is never on a command line.
        startInfo.Environment["PGHOST"] = connection.Host;
        startInfo.Environment["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        startInfo.Environment["PGDATABASE"] = connection.Database;
        startInfo.Environment["PGUSER"] = connection.Username;
        startInfo.Environment["PGPASSWORD"] = connection.Password;
        startInfo.Environment["PGCONNECT_TIMEOUT"] = "15";

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new DatabaseBackupException($"Could not run {startInfo.FileName}: {ex.Message}. Install the PostgreSQL client tools of the server's version.");
        }
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        await output;
        if (process.ExitCode != 0)
            throw new DatabaseBackupException($"{tool} failed (exit code {process.ExitCode}): {(await error).Trim()}");
    }
}

using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommitmentTracker.Web.Persistence.LocalPostgres;

/// <summary>Where a <see cref="LocalPostgresCluster"/> keeps its files and whether they outlive it.</summary>
public sealed record LocalPostgresOptions
{
    /// <summary>Prefix of the temporary folders made by <see cref="CreateEphemeral"/>; lets later runs find abandoned ones.</summary>
    public const string EphemeralFolderPrefix = "ct-pg-test-";

    /// <summary>The cluster's base folder: PostgreSQL's data folder is <c>data</c> inside it, the server log <c>server.log</c>.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>True for tests: durability off, folder deleted on dispose, stopped with <c>-m immediate</c>.</summary>
    public bool Ephemeral { get; init; }

    /// <summary>Folder holding initdb and pg_ctl; null to search the usual places.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>Options for a throw-away cluster in a fresh temporary folder.</summary>
    public static LocalPostgresOptions CreateEphemeral(string? binDirectory = null) => new()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), EphemeralFolderPrefix + Guid.NewGuid().ToString("N")[..12]),
        Ephemeral = true,
        BinDirectory = binDirectory,
    };
}

/// <summary>Thrown when a local PostgreSQL cluster cannot be created, started or stopped; the message carries the tools' output.</summary>
public sealed class LocalPostgresException : Exception
{
    public LocalPostgresException()
    {
    }

    public LocalPostgresException(string message)
        : base(message)
    {
    }

    public LocalPostgresException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A project-local PostgreSQL cluster run from the machine's server binaries (initdb, pg_ctl), no Docker needed.</summary>
public sealed partial class LocalPostgresCluster : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private const string PostgresSystemUser = "postgres";
    private const int StartWaitSeconds = 60;
    private const int MaxStartAttempts = 5;
    private const int MaxRestartAttempts = 40;

    // Unix socket paths are limited to sizeof(sun_path) - 1 = 107 bytes on Linux.
    private const int MaxSocketPathLength = 107;

    private static readonly TimeSpan InitDbTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PgCtlTimeout = TimeSpan.FromSeconds(StartWaitSeconds + 30);
    private static readonly string[] RunuserLocations = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"];

    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    // initdb refuses to run as root and postgres refuses to serve as root, so a root process
    // delegates every tool call to the postgres system user.
    private readonly bool _runAsPostgresUser;

    private volatile int _port;
    private bool _disposed;

    /// <summary>Prepares a cluster; nothing runs until <see cref="StartAsync"/>.</summary>
    /// <exception cref="PostgresBinariesNotFoundException">No initdb/pg_ctl could be found.</exception>
    public LocalPostgresCluster(LocalPostgresOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataDirectory);
        ArgumentNullException.ThrowIfNull(logger);

        Options = options;
        _logger = logger;
        _runAsPostgresUser = Environment.IsPrivilegedProcess && !OperatingSystem.IsWindows();
        BaseDirectory = Path.GetFullPath(options.DataDirectory);
        DataDirectory = Path.Combine(BaseDirectory, "data");
        LogFile = Path.Combine(BaseDirectory, "server.log");
        SocketDirectory = SocketDirectoryFor(BaseDirectory);
        BinDirectory = FindBinDirectory(options.BinDirectory);
    }

    /// <summary>The options this cluster was created with.</summary>
    public LocalPostgresOptions Options { get; }

    /// <summary>The absolute base folder (holds <see cref="DataDirectory"/> and <see cref="LogFile"/>).</summary>
    public string BaseDirectory { get; }

    /// <summary>PostgreSQL's data folder (PGDATA), created by initdb.</summary>
    public string DataDirectory { get; }

    /// <summary>The server log written by pg_ctl; read it when the server misbehaves.</summary>
    public string LogFile { get; }

    /// <summary>Where the server puts its Unix socket (kept short, under /tmp).</summary>
    public string SocketDirectory { get; }

    /// <summary>The folder the initdb and pg_ctl in use come from.</summary>
    public string BinDirectory { get; }

    /// <summary>Whether this object started (or adopted) a server that it has not stopped yet.</summary>
    public bool IsRunning => _port != 0;

    /// <summary>True when start found a server left running by an earlier process and reused it.</summary>
    public bool ReusedRunningServer { get; private set; }

    /// <summary>The TCP port on 127.0.0.1 the server listens on.</summary>
    public int Port => _port != 0 ? _port : throw NotRunning();

    /// <summary>An Npgsql connection string for <paramref name="database"/> as the cluster's superuser (with its generated password).</summary>
    public string ConnectionString(string database = "postgres")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return BuildConnectionString(Port, database, pooling: true, SuperUser, PasswordOf(SuperUser));
    }

    /// <summary>An Npgsql connection string for <paramref name="database"/> as <paramref name="role"/>, with the password kept for it in <see cref="SecretsFile"/>.</summary>
    public string ConnectionString(string database, string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        return BuildConnectionString(Port, database, pooling: true, role, PasswordOf(role));
    }

    /// <summary>Creates the cluster if needed and starts it, or reuses a server an earlier, killed run left running.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_port != 0)
            {
                return;
            }

            ReusedRunningServer = false;
            if (Options.Ephemeral)
            {
                await SweepAbandonedEphemeralClustersAsync(cancellationToken);
            }

            PrepareFolders();

            if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
            {
                await InitDbAsync(cancellationToken);
            }
            else if (await TryAdoptRunningServerAsync(cancellationToken) is int adoptedPort)
            {
                _port = adoptedPort;
                ReusedRunningServer = true;
                Log.ReusingServer(_logger, DataDirectory, adoptedPort);
                await EnsurePasswordAuthenticationAsync(cancellationToken);
                return;
            }

            _port = await StartServerAsync(preferredPort: null, cancellationToken);
            await EnsurePasswordAuthenticationAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the server (<c>-m fast</c>, or <c>-m immediate</c> when ephemeral); does nothing when it is not running.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_port == 0)
            {
                return;
            }

            await StopServerAsync(Options.Ephemeral ? "immediate" : "fast", cancellationToken);
            _port = 0;
            RemoveSocketDirectoryIfEmpty();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops the server; an ephemeral cluster's folders are deleted too.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            await StopAsync();
        }
        catch (Exception ex) when (ex is LocalPostgresException or IOException or InvalidOperationException)
        {
            // Disposal must not throw; a server left running is adopted or swept by the next start.
            Log.StopFailed(_logger, ex, DataDirectory);
        }
        finally
        {
            _disposed = true;
            if (Options.Ephemeral)
            {
                DeleteFolders();
            }
        }
    }

    private void PrepareFolders()
    {
        Directory.CreateDirectory(BaseDirectory);
        Directory.CreateDirectory(SocketDirectory);

        if (Options.Ephemeral)
        {
            // Lets a later run recognise this folder as abandoned if this process dies without disposing.
            File.WriteAllText(
                Path.Combine(BaseDirectory, "owner.pid"),
                Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        }

        if (_runAsPostgresUser && !OperatingSystem.IsWindows())
        {
            // The postgres user must create data/ and server.log here and its socket in the socket folder.
            const UnixFileMode everyone = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            File.SetUnixFileMode(BaseDirectory, everyone);
            File.SetUnixFileMode(SocketDirectory, everyone);
            EnsureReachableByPostgresUser(BaseDirectory);
        }
    }

    private void EnsureReachableByPostgresUser(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // A 0777 folder is useless to the postgres user if a parent folder cannot be traversed (e.g. a 0700
        // `mktemp -d` clone, or /root). As root we grant search permission only (o+x: pass through, not list),
        // so the data stays in the project; when that is refused we say what to do.
        for (var parent = Path.GetDirectoryName(folder); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            var mode = File.GetUnixFileMode(parent);
            if ((mode & UnixFileMode.OtherExecute) != 0)
            {
                continue;
            }

            try
            {
                File.SetUnixFileMode(parent, mode | UnixFileMode.OtherExecute);
                Log.GrantedSearchPermission(_logger, parent, PostgresSystemUser);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                throw new LocalPostgresException(
                    $"Running as root, PostgreSQL runs as the '{PostgresSystemUser}' user, which cannot reach {folder} "
                    + $"because {parent} is not searchable by other users. Put the data folder somewhere reachable "
                    + $"(set PostgreSQL__DataDirectory), or run `chmod o+x {parent}`.", ex);
            }
        }
    }

    private async Task InitDbAsync(CancellationToken cancellationToken)
    {
        if (Directory.Exists(DataDirectory) && Directory.EnumerateFileSystemEntries(DataDirectory).Any())
        {
            // No PG_VERSION but content: an interrupted initdb. Move it aside rather than delete what we cannot identify.
            var aside = DataDirectory + ".broken-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
            Log.MovingBrokenDataFolder(_logger, DataDirectory, aside);
            Directory.Move(DataDirectory, aside);
        }

        Log.CreatingCluster(_logger, DataDirectory, BinDirectory);

        // C.UTF-8 gives Unicode-aware lower()/upper()/ILIKE; machines without that locale fall back to plain C.
        var result = await RunInitDbAsync("--locale=C.UTF-8", cancellationToken);
        if (result.ExitCode != 0 && result.StandardError.Contains("locale", StringComparison.OrdinalIgnoreCase))
        {
            Log.RetryingWithoutLocale(_logger);
            if (Directory.Exists(DataDirectory))
            {
                Directory.Delete(DataDirectory, recursive: true);
            }

            result = await RunInitDbAsync("--no-locale", cancellationToken);
        }

        if (result.ExitCode != 0)
        {
            throw Failure("initdb", result, logTail: null);
        }
    }

    private Task<ToolResult> RunInitDbAsync(string localeArgument, CancellationToken cancellationToken)
    {
        List<string> arguments =
        [
            "-D", DataDirectory,
            "-U", SuperUser,
            "--auth=trust",
            "--encoding=UTF8",
            localeArgument,
        ];
        if (Options.Ephemeral)
        {
            // Skips the final fsync of every file: about half of initdb's time, and the folder is thrown away anyway.
            arguments.Add("--no-sync");
        }

        return RunToolAsync("initdb", arguments, InitDbTimeout, cancellationToken);
    }

    /// <summary>Returns the port of a healthy server already running on this data folder, or null after clearing any leftovers.</summary>
    private async Task<int?> TryAdoptRunningServerAsync(CancellationToken cancellationToken)
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        string[] lines;
        try
        {
            lines = File.Exists(pidFile) ? await File.ReadAllLinesAsync(pidFile, cancellationToken) : [];
        }
        catch (IOException)
        {
            return null;
        }

        if (lines.Length == 0 || !int.TryParse(lines[0], CultureInfo.InvariantCulture, out var pid))
        {
            // No usable pid file: nothing to adopt, and postgres judges any leftover itself on start.
            return null;
        }

        if (IsForeignProcess(pid))
        {
            // The PID was reused by an unrelated process (typical after a reboot or in containers): never signal it.
            Log.RemovingStalePidFile(_logger, pidFile, pid);
            File.Delete(pidFile);
            return null;
        }

        if (IsZombie(pid))
        {
            // Killed but not yet reaped: it counts as alive for pg_ctl, yet can neither answer nor be stopped.
            // Start retries until it is reaped; the pid file stays, postgres needs it to detect orphaned children.
            return null;
        }

        var status = await RunToolAsync("pg_ctl", ["status", "-D", DataDirectory], PgCtlTimeout, cancellationToken);
        if (status.ExitCode != 0)
        {
            // Not running: the postmaster.pid is stale and postgres removes it itself on start.
            return null;
        }

        if (lines.Length >= 4
            && int.TryParse(lines[3], CultureInfo.InvariantCulture, out var port)
            && await CanConnectAsync(port, cancellationToken))
        {
            return port;
        }

        Log.StoppingUnreachableServer(_logger, DataDirectory);
        await StopServerAsync("fast", cancellationToken);
        return null;
    }

    private async Task<int> StartServerAsync(int? preferredPort, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            // A restart keeps its port: the app's connection strings name it.
            var port = preferredPort ?? FindFreePort();
            var serverOptions = new StringBuilder()
                .Append(CultureInfo.InvariantCulture, $"-p {port} -k \"{SocketDirectory}\" -c listen_addresses=127.0.0.1");
            if (OperatingSystem.IsLinux())
            {
                // After a crash PostgreSQL syncs the data folder before recovering: file by file that took ~3 s on a small
                // cluster here; one syncfs(2) takes milliseconds, and the server is answering again that much sooner.
                serverOptions.Append(" -c recovery_init_sync_method=syncfs");
            }

            if (Options.Ephemeral)
            {
                // Tests trade durability for speed, and many per-test databases each keep a connection pool.
                serverOptions.Append(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300");
            }

            // -l is essential: without it the server inherits our output pipes and reading them never ends.
            var result = await RunToolAsync(
                "pg_ctl",
                [
                    "start",
                    "-D", DataDirectory,
                    "-l", LogFile,
                    "-w",
                    "-t", StartWaitSeconds.ToString(CultureInfo.InvariantCulture),
                    "-o", serverOptions.ToString(),
                ],
                PgCtlTimeout,
                cancellationToken);

            if (result.ExitCode == 0)
            {
                Log.Started(_logger, port, DataDirectory);
                return port;
            }

            var logTail = ReadLogTail();
            var restarting = preferredPort is not null;
            if (attempt >= (restarting ? MaxRestartAttempts : MaxStartAttempts) || !IsTransientStartFailure(logTail))
            {
                throw Failure("pg_ctl start", result, logTail);
            }

            // Someone took the port between our probe and the bind, or a killed server's children still hold
            // its shared memory for a moment: both clear up on their own. A restart after a crash polls briskly:
            // users are waiting, and the children exit within moments of noticing their postmaster is gone.
            var reason = logTail.Split('\n').LastOrDefault(line => line.Contains("FATAL", StringComparison.Ordinal)) ?? logTail;
            Log.RetryingStart(_logger, attempt, reason.Trim());
            await Task.Delay(TimeSpan.FromMilliseconds(restarting ? 200 : 500 * (1 << (attempt - 1))), cancellationToken);
        }
    }

    private static bool IsTransientStartFailure(string logTail) =>
        logTail.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
        || logTail.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)
        || logTail.Contains("pre-existing shared memory block", StringComparison.OrdinalIgnoreCase)
        || logTail.Contains("could not create any TCP/IP sockets", StringComparison.OrdinalIgnoreCase)
        || logTail.Contains("lock file \"postmaster.pid\" already exists", StringComparison.OrdinalIgnoreCase);

    private async Task StopServerAsync(string mode, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            // Already stopped, e.g. by another object that adopted this server.
            return;
        }

        var result = await RunToolAsync(
            "pg_ctl",
            ["stop", "-D", DataDirectory, "-m", mode, "-w", "-t", StartWaitSeconds.ToString(CultureInfo.InvariantCulture)],
            PgCtlTimeout,
            cancellationToken);
        if (result.ExitCode == 0)
        {
            Log.Stopped(_logger, DataDirectory, mode);
            return;
        }

        // pg_ctl stop fails when the server vanished meanwhile; only a server still running is a failure.
        var status = await RunToolAsync("pg_ctl", ["status", "-D", DataDirectory], PgCtlTimeout, cancellationToken);
        if (status.ExitCode == 0)
        {
            throw Failure("pg_ctl stop", result, ReadLogTail());
        }
    }

    private async Task SweepAbandonedEphemeralClustersAsync(CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(BaseDirectory);
        if (parent is null
            || !Path.GetFileName(BaseDirectory).StartsWith(LocalPostgresOptions.EphemeralFolderPrefix, StringComparison.Ordinal)
            || !Directory.Exists(parent))
        {
            return;
        }

        // A test run that was killed leaves its throw-away server running; stop and delete those whose owner is gone.
        foreach (var folder in Directory.EnumerateDirectories(parent, LocalPostgresOptions.EphemeralFolderPrefix + "*"))
        {
            if (string.Equals(folder, BaseDirectory, StringComparison.Ordinal) || !IsAbandoned(folder))
            {
                continue;
            }

            try
            {
                var abandoned = new LocalPostgresCluster(
                    new LocalPostgresOptions { DataDirectory = folder, Ephemeral = true, BinDirectory = BinDirectory },
                    _logger);
                await abandoned.StopServerAsync("immediate", cancellationToken);
                abandoned.DeleteFolders();
                Log.RemovedAbandonedCluster(_logger, folder);
            }
            catch (Exception ex) when (ex is LocalPostgresException or IOException or UnauthorizedAccessException)
            {
                Log.AbandonedClusterNotRemoved(_logger, ex, folder);
            }
        }
    }

    private static bool IsAbandoned(string folder)
    {
        try
        {
            var ownerFile = Path.Combine(folder, "owner.pid");
            return File.Exists(ownerFile)
                && int.TryParse(File.ReadAllText(ownerFile).Trim(), CultureInfo.InvariantCulture, out var owner)
                && owner != Environment.ProcessId
                && !IsProcessAlive(owner);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsProcessAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool IsForeignProcess(int pid)
    {
        // Only Linux lets us ask cheaply what a PID is; elsewhere trust pg_ctl's own liveness check.
        var commFile = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/comm";
        try
        {
            return File.Exists(commFile)
                && !File.ReadAllText(commFile).Trim().StartsWith("postgres", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool IsZombie(int pid)
    {
        // /proc/<pid>/stat is "pid (comm) state ..."; comm may contain spaces or parentheses, so split at the last ')'.
        var statFile = $"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat";
        try
        {
            if (!File.Exists(statFile))
            {
                return false;
            }

            var stat = File.ReadAllText(statFile);
            var afterName = stat.LastIndexOf(')');
            return afterName >= 0 && afterName + 2 < stat.Length && stat[afterName + 2] is 'Z' or 'X';
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private void DeleteFolders()
    {
        foreach (var folder in new[] { BaseDirectory, SocketDirectory })
        {
            try
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.DeleteFailed(_logger, ex, folder);
            }
        }
    }

    private void RemoveSocketDirectoryIfEmpty()
    {
        // The server removes its socket on a clean stop; the empty folder would just litter /tmp. Start recreates it.
        try
        {
            if (Directory.Exists(SocketDirectory) && !Directory.EnumerateFileSystemEntries(SocketDirectory).Any())
            {
                Directory.Delete(SocketDirectory);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.DeleteFailed(_logger, ex, SocketDirectory);
        }
    }

    private Task<bool> CanConnectAsync(int port, CancellationToken cancellationToken) =>
        CanConnectAsync(port, TryReadSecret(SuperUser), cancellationToken);

    private async Task<bool> CanConnectAsync(int port, string? password, CancellationToken cancellationToken)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(BuildConnectionString(port, "postgres", pooling: false, SuperUser, password))
        {
            Timeout = 5,
        }.ConnectionString;
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            Log.NotAcceptingConnections(_logger, ex, port);
            return false;
        }
    }

    private static string BuildConnectionString(int port, string database, bool pooling, string user, string? password) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = user,
            Password = password,
            Database = database,
            IncludeErrorDetail = true,
            Pooling = pooling,

            // Loopback: a server that is up answers at once; one that is down should be reported within seconds, not 15.
            Timeout = 2,
        }.ConnectionString;

    private static int FindFreePort()
    {
        // Port 0 lets the OS pick; released at once, so there is a small race that StartServerAsync retries.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string SocketDirectoryFor(string baseDirectory)
    {
        // A hash of the data folder keeps the path short and stable, so a restart finds the same folder.
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(baseDirectory)))[..12];
        var root = Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();
        var folder = Path.Combine(root, "ct-pg-" + hash);
        var longestSocket = Path.Combine(folder, ".s.PGSQL.65535.lock");
        if (longestSocket.Length >= MaxSocketPathLength)
        {
            throw new LocalPostgresException(
                $"The socket folder {folder} is too long for a Unix socket (limit {MaxSocketPathLength} characters).");
        }

        return folder;
    }

    /// <summary>
    /// The folder of the PostgreSQL tools (as the cluster finds its binaries), or "" to find the client tools on PATH when this
    /// machine has no server binaries (a backup of an external database).
    /// </summary>
    public static string LocateBinDirectoryOrPath(string? configured)
    {
        try
        {
            return FindBinDirectory(configured);
        }
        catch (PostgresBinariesNotFoundException)
        {
            return "";
        }
    }

    private static string FindBinDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var full = Path.GetFullPath(configured);
            return HasServerTools(full)
                ? full
                : throw new PostgresBinariesNotFoundException([full + " (PostgreSQL:BinDirectory)"]);
        }

        var searched = new List<string>();

        // Debian/Ubuntu install each major version side by side; Red Hat uses /usr/pgsql-<version>.
        foreach (var (root, pattern, display) in new[]
        {
            ("/usr/lib/postgresql", "*", "/usr/lib/postgresql/*/bin"),
            ("/usr", "pgsql-*", "/usr/pgsql-*/bin"),
        })
        {
            searched.Add(display);
            if (!Directory.Exists(root))
            {
                continue;
            }

            var newest = Directory.EnumerateDirectories(root, pattern)
                .Select(folder => (Version: ParseVersion(Path.GetFileName(folder)), Bin: Path.Combine(folder, "bin")))
                .Where(candidate => candidate.Version is not null && HasServerTools(candidate.Bin))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        searched.Add("PATH");
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(HasServerTools);
        return onPath ?? throw new PostgresBinariesNotFoundException(searched);
    }

    private static Version? ParseVersion(string name)
    {
        var digits = name.StartsWith("pgsql-", StringComparison.Ordinal) ? name["pgsql-".Length..] : name;
        return Version.TryParse(digits.Contains('.', StringComparison.Ordinal) ? digits : digits + ".0", out var version)
            ? version
            : null;
    }

    private static bool HasServerTools(string folder) =>
        File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));

    private static string FindRunuser() => RunuserLocations.FirstOrDefault(File.Exists) ?? "runuser";

    private async Task<ToolResult> RunToolAsync(
        string tool,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,

            // The postgres user may not be allowed into our current directory; it can always enter the base folder.
            WorkingDirectory = Directory.Exists(BaseDirectory) ? BaseDirectory : Path.GetTempPath(),
        };
        var toolPath = Path.Combine(BinDirectory, tool);
        if (_runAsPostgresUser)
        {
            startInfo.FileName = FindRunuser();
            foreach (var argument in new[] { "-u", PostgresSystemUser, "--", toolPath })
            {
                startInfo.ArgumentList.Add(argument);
            }
        }
        else
        {
            startInfo.FileName = toolPath;
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var commandLine = string.Join(' ', startInfo.ArgumentList.Prepend(startInfo.FileName));
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new LocalPostgresException($"Could not run `{commandLine}`: {ex.Message}", ex);
        }

        // Read both pipes concurrently from the start: a tool blocked on a full stderr pipe would never exit.
        process.StandardInput.Close();
        var standardOutput = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var standardError = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            // Only the tool itself: killing its tree could take down a postmaster pg_ctl just launched.
            try
            {
                process.Kill();
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }

            cancellationToken.ThrowIfCancellationRequested();
            var partial = new ToolResult(commandLine, -1, await DrainAsync(standardOutput), await DrainAsync(standardError));
            throw new LocalPostgresException(
                $"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s.{partial.Output}{ReadLogTailSection()}");
        }

        var result = new ToolResult(commandLine, process.ExitCode, await DrainAsync(standardOutput), await DrainAsync(standardError));
        Log.ToolExited(_logger, commandLine, result.ExitCode);
        return result;
    }

    private static async Task<string> DrainAsync(Task<string> read)
    {
        try
        {
            // A grandchild still holding the pipe (a server started without -l) must not hang us.
            return await read.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            return "<not captured: a child process still holds the output pipe>";
        }
    }

    private string ReadLogTail()
    {
        // The log is appended to across runs: only its last lines are about this start.
        const int tailBytes = 8000;
        const int tailLines = 25;
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var seekedPastStart = stream.Length > tailBytes;
            stream.Seek(Math.Max(0, stream.Length - tailBytes), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(seekedPastStart ? 1 : 0).ToArray();
            return string.Join(Environment.NewLine, lines.TakeLast(tailLines)).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private string ReadLogTailSection()
    {
        var tail = ReadLogTail();
        return tail.Length == 0 ? string.Empty : $"{Environment.NewLine}--- {LogFile} (end) ---{Environment.NewLine}{tail}";
    }

    private LocalPostgresException Failure(string what, ToolResult result, string? logTail)
    {
        var message = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{what} failed with exit code {result.ExitCode}: `{result.CommandLine}`.")
            .Append(result.Output);
        if (!string.IsNullOrEmpty(logTail))
        {
            message.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}--- {LogFile} (end) ---{Environment.NewLine}{logTail}");
        }

        if (_runAsPostgresUser)
        {
            message.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}(Running as root: the tools run as the '{PostgresSystemUser}' system user via runuser; it must exist and be able to write to {BaseDirectory}.)");
        }

        return new LocalPostgresException(message.ToString());
    }

    private static InvalidOperationException NotRunning() =>
        new("The local PostgreSQL cluster is not running; call StartAsync first.");

    private sealed record ToolResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
    {
        public string Output =>
            (StandardOutput.Length == 0 ? string.Empty : $"{Environment.NewLine}--- stdout ---{Environment.NewLine}{StandardOutput.Trim()}")
            + (StandardError.Length == 0 ? string.Empty : $"{Environment.NewLine}--- stderr ---{Environment.NewLine}{StandardError.Trim()}");
    }

    // Source-generated log methods: cheap when the level is off, which matters for the per-tool-call debug lines.
    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Granted search permission (o+x) on {Folder} so the '{User}' user can reach the project's PostgreSQL data.")]
        public static partial void GrantedSearchPermission(ILogger logger, string folder, string user);

        [LoggerMessage(Level = LogLevel.Information, Message = "Reusing the PostgreSQL server left running in {DataDirectory} on 127.0.0.1:{Port}.")]
        public static partial void ReusingServer(ILogger logger, string dataDirectory, int port);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping the PostgreSQL server in {DataDirectory} failed.")]
        public static partial void StopFailed(ILogger logger, Exception exception, string dataDirectory);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{DataDirectory} is not a PostgreSQL data folder (no PG_VERSION); moving it to {Aside} and creating a new cluster.")]
        public static partial void MovingBrokenDataFolder(ILogger logger, string dataDirectory, string aside);

        [LoggerMessage(Level = LogLevel.Information, Message = "Creating a PostgreSQL cluster in {DataDirectory} with the binaries in {BinDirectory}.")]
        public static partial void CreatingCluster(ILogger logger, string dataDirectory, string binDirectory);

        [LoggerMessage(Level = LogLevel.Information, Message = "initdb could not use the C.UTF-8 locale; retrying with --no-locale.")]
        public static partial void RetryingWithoutLocale(ILogger logger);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Removing stale {PidFile}: process {Pid} is not PostgreSQL.")]
        public static partial void RemovingStalePidFile(ILogger logger, string pidFile, int pid);

        [LoggerMessage(Level = LogLevel.Warning, Message = "A PostgreSQL server is running on {DataDirectory} but does not answer on 127.0.0.1; stopping it to start afresh.")]
        public static partial void StoppingUnreachableServer(ILogger logger, string dataDirectory);

        [LoggerMessage(Level = LogLevel.Debug, Message = "PostgreSQL started on 127.0.0.1:{Port} from {DataDirectory}.")]
        public static partial void Started(ILogger logger, int port, string dataDirectory);

        [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL did not start (attempt {Attempt}); retrying. {Reason}")]
        public static partial void RetryingStart(ILogger logger, int attempt, string reason);

        [LoggerMessage(Level = LogLevel.Debug, Message = "PostgreSQL in {DataDirectory} stopped ({Mode}).")]
        public static partial void Stopped(ILogger logger, string dataDirectory, string mode);

        [LoggerMessage(Level = LogLevel.Information, Message = "Removed the abandoned test cluster {Folder}.")]
        public static partial void RemovedAbandonedCluster(ILogger logger, string folder);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Could not remove the abandoned test cluster {Folder}.")]
        public static partial void AbandonedClusterNotRemoved(ILogger logger, Exception exception, string folder);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete {Folder}.")]
        public static partial void DeleteFailed(ILogger logger, Exception exception, string folder);

        [LoggerMessage(Level = LogLevel.Debug, Message = "The running server does not accept connections on port {Port}.")]
        public static partial void NotAcceptingConnections(ILogger logger, Exception exception, int port);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The PostgreSQL server of {DataDirectory} is not running any more; starting it again on 127.0.0.1:{Port}.")]
        public static partial void RestartingDeadServer(ILogger logger, string dataDirectory, int port);

        [LoggerMessage(Level = LogLevel.Information, Message = "Switching the PostgreSQL cluster in {DataDirectory} to password (scram-sha-256) authentication; the passwords are kept in its secrets.json.")]
        public static partial void EnablingPasswordAuthentication(ILogger logger, string dataDirectory);

        [LoggerMessage(Level = LogLevel.Debug, Message = "`{CommandLine}` exited with {ExitCode}.")]
        public static partial void ToolExited(ILogger logger, string commandLine, int exitCode);
    }
}

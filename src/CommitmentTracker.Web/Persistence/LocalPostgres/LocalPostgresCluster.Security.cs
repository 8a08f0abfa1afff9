using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommitmentTracker.Web.Persistence.LocalPostgres;

/// <summary>
/// Password authentication and supervision of the local cluster: every role signs in with a generated secret kept in
/// <see cref="SecretsFile"/> (beside the data, never in git), and a server whose process died can be started again on its port.
/// </summary>
public sealed partial class LocalPostgresCluster
{
    private const string HbaMarker = "# CommitmentTracker: password (scram-sha-256) authentication for every connection.";

    private static readonly TimeSpan ReloadWait = TimeSpan.FromSeconds(15);

    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private readonly Lock _secretsLock = new();

    /// <summary>Where the generated passwords of this cluster's roles are kept (mode 0600, in the cluster's base folder).</summary>
    public string SecretsFile => Path.Combine(BaseDirectory, "secrets.json");

    /// <summary>The password of <paramref name="role"/>: generated on first use and kept in <see cref="SecretsFile"/>.</summary>
    public string PasswordOf(string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        lock (_secretsLock)
        {
            var secrets = ReadSecrets();
            if (secrets.TryGetValue(role, out var password))
            {
                return password;
            }

            // 32 random bytes as hex: no character needs quoting in SQL or in a connection string.
            password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            secrets[role] = password;
            WriteSecrets(secrets);
            return password;
        }
    }

    /// <summary>True when the postmaster named in postmaster.pid is alive (a cheap check: no connection is made).</summary>
    public bool IsServerProcessAlive()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        try
        {
            if (!File.Exists(pidFile))
            {
                return false;
            }

            var firstLine = File.ReadLines(pidFile).FirstOrDefault();
            return int.TryParse(firstLine, CultureInfo.InvariantCulture, out var pid)
                && IsProcessAlive(pid)
                && !IsForeignProcess(pid)
                && !IsZombie(pid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The pid file is being rewritten by a starting server: not a reason to start another.
            return true;
        }
    }

    /// <summary>
    /// Starts the server again on the same port when its process died (killed, crashed, stopped behind our back).
    /// Returns true when it had to; does nothing for a cluster that was never started or was stopped through <see cref="StopAsync"/>.
    /// </summary>
    public async Task<bool> RestartIfDeadAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_disposed || _port == 0 || IsServerProcessAlive())
            {
                return false;
            }

            var port = _port;
            Log.RestartingDeadServer(_logger, DataDirectory, port);
            await StartServerAsync(preferredPort: port, cancellationToken);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Makes every connection authenticate with a password. A cluster created before this (trust authentication, no
    /// secrets) is upgraded in place: loopback trust for the moment it takes to set the superuser's password, then scram.
    /// </summary>
    private async Task EnsurePasswordAuthenticationAsync(CancellationToken cancellationToken)
    {
        var hbaFile = Path.Combine(DataDirectory, "pg_hba.conf");
        var hba = await File.ReadAllTextAsync(hbaFile, cancellationToken);
        if (hba.Contains(HbaMarker, StringComparison.Ordinal)
            && TryReadSecret(SuperUser) is { } known
            && await CanConnectAsync(_port, known, cancellationToken))
        {
            return;
        }

        Log.EnablingPasswordAuthentication(_logger, DataDirectory);
        await WriteHbaAsync(hbaFile, "trust", cancellationToken);
        await ReloadAsync(cancellationToken);
        await WaitUntilAsync(ct => CanConnectAsync(_port, password: null, ct), "trust on loopback to take effect", cancellationToken);

        var password = PasswordOf(SuperUser);
        var trusted = new NpgsqlConnectionStringBuilder(BuildConnectionString(_port, "postgres", pooling: false, SuperUser, password: null));
        await using (var connection = new NpgsqlConnection(trusted.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);

            // ALTER ROLE takes no parameters; the password is generated hex.
            await using var command = new NpgsqlCommand(
                $"SET password_encryption = 'scram-sha-256'; ALTER ROLE \"{SuperUser}\" WITH PASSWORD '{password}'",
                connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await WriteHbaAsync(hbaFile, "scram-sha-256", cancellationToken);
        await ReloadAsync(cancellationToken);
        await WaitUntilAsync(async ct => !await CanConnectAsync(_port, password: null, ct), "password authentication to take effect", cancellationToken);
    }

    private static Task WriteHbaAsync(string hbaFile, string loopbackMethod, CancellationToken cancellationToken)
    {
        // Written in place: the file keeps its owner (the postgres user when we run as root) and mode.
        var content = string.Join(
            '\n',
            loopbackMethod == "trust" ? "# CommitmentTracker: upgrading to password authentication (loopback trust for a moment)." : HbaMarker,
            "# TYPE  DATABASE  USER  ADDRESS       METHOD",
            "local   all       all                 scram-sha-256",
            $"host    all       all   127.0.0.1/32  {loopbackMethod}",
            "host    all       all   ::1/128       scram-sha-256",
            string.Empty);
        return File.WriteAllTextAsync(hbaFile, content, cancellationToken);
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var result = await RunToolAsync("pg_ctl", ["reload", "-D", DataDirectory], PgCtlTimeout, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw Failure("pg_ctl reload", result, ReadLogTail());
        }
    }

    private static async Task WaitUntilAsync(Func<CancellationToken, Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        // The postmaster applies a reload asynchronously; new connections see it within milliseconds.
        var deadline = DateTime.UtcNow + ReloadWait;
        while (!await condition(cancellationToken))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new LocalPostgresException($"Timed out waiting for {what}.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private string? TryReadSecret(string role)
    {
        lock (_secretsLock)
        {
            return ReadSecrets().GetValueOrDefault(role);
        }
    }

    private Dictionary<string, string> ReadSecrets()
    {
        if (!File.Exists(SecretsFile))
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(SecretsFile))
            ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    private void WriteSecrets(Dictionary<string, string> secrets)
    {
        Directory.CreateDirectory(BaseDirectory);
        var temporary = SecretsFile + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Readable by this user only: the postgres server never needs it.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, secrets, IndentedJson);
        }

        File.Move(temporary, SecretsFile, overwrite: true);
    }
}

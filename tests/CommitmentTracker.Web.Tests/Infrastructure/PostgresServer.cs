using System.Globalization;
using System.Text;
using CommitmentTracker.Web.Persistence.LocalPostgres;
using CommitmentTracker.Web.Tests.Infrastructure;
using DotNet.Testcontainers.Configurations;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;

[assembly: AssemblyFixture(typeof(PostgresServer))]

namespace CommitmentTracker.Web.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server for the whole test assembly: a Testcontainers container when Docker works, else a throw-away local
/// cluster. Like the app, each database is owned by an owner role (migrations) and used through a separate app role.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string TestcontainersKind = "testcontainers";
    public const string LocalClusterKind = "local cluster";

    /// <summary>The role that owns every test database and runs its migrations.</summary>
    public const string OwnerRole = "ct_test_owner";

    /// <summary>The role the app (and the tests of the app) use: data access only, as <c>DatabasePrivileges</c> grants it.</summary>
    public const string AppRole = "ct_test_app";

    private readonly string _ownerPassword = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly string _appPassword = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    // An engine that exists but has to pull the image can be slow; one that hangs must not stall the run forever.
    private static readonly TimeSpan ContainerStartTimeout = TimeSpan.FromMinutes(5);

    private PostgreSqlContainer? _container;
    private LocalPostgresCluster? _cluster;
    private string? _adminConnectionString;

    /// <summary>"testcontainers" or "local cluster": which kind of server the tests run against.</summary>
    public string Kind { get; private set; } = "not started";

    /// <summary>Why Testcontainers was not used (null when it was).</summary>
    public string? DockerUnavailableReason { get; private set; }

    /// <summary>Superuser connection string to the server's <c>postgres</c> database.</summary>
    public string AdminConnectionString =>
        _adminConnectionString ?? throw new InvalidOperationException("The PostgreSQL test server has not been started.");

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _container = await TryStartContainerAsync(cancellationToken);
        if (_container is not null)
        {
            _adminConnectionString = _container.GetConnectionString();
            Kind = TestcontainersKind;
            await CreateRolesAsync();
            return;
        }

        var cluster = new LocalPostgresCluster(LocalPostgresOptions.CreateEphemeral(), NullLogger.Instance);
        try
        {
            await cluster.StartAsync(cancellationToken);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        _cluster = cluster;
        _adminConnectionString = cluster.ConnectionString();
        Kind = LocalClusterKind;
        await CreateRolesAsync();
    }

    /// <summary>The same database as <paramref name="connectionString"/>, signed in as the app's role.</summary>
    public string AppConnectionString(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = AppRole, Password = _appPassword }.ConnectionString;

    /// <summary>The same database as <paramref name="connectionString"/>, signed in as the superuser (for what no app may do).</summary>
    public string SuperuserConnectionString(string connectionString)
    {
        var admin = new NpgsqlConnectionStringBuilder(AdminConnectionString);
        return new NpgsqlConnectionStringBuilder(connectionString) { Username = admin.Username, Password = admin.Password }.ConnectionString;
    }

    /// <summary>Creates an empty database with a unique name, owned by <see cref="OwnerRole"/>, and returns the owner's connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null)
    {
        var name = UniqueDatabaseName(prefix);

        // Unpooled: admin connections are short-lived and must not pile up across many test databases.
        var admin = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();

            // CREATE DATABASE takes no parameters; the name is generated from [a-z0-9_] only.
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" OWNER {OwnerRole}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Username = OwnerRole, Password = _ownerPassword }.ConnectionString;
    }

    private async Task CreateRolesAsync()
    {
        var admin = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();

        // Role statements take no parameters; names are constants and passwords generated hex.
        await using var command = new NpgsqlCommand(
            $"""
            SET password_encryption = 'scram-sha-256';
            CREATE ROLE {OwnerRole} LOGIN PASSWORD '{_ownerPassword}';
            CREATE ROLE {AppRole} LOGIN PASSWORD '{_appPassword}';
            """,
            connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled connections to a server that is going away would only produce errors later.
        NpgsqlConnection.ClearAllPools();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    private async Task<PostgreSqlContainer?> TryStartContainerAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Null when no Docker endpoint was found: skip the builder, which would throw DockerUnavailableException.
            if (TestcontainersSettings.OS.DockerEndpointAuthConfig is null)
            {
                DockerUnavailableReason = "no Docker endpoint found";
                return null;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            DockerUnavailableReason = Describe(ex);
            return null;
        }

        PostgreSqlContainer? container = null;
        try
        {
            container = new PostgreSqlBuilder("postgres:17-alpine")
                .WithCommand("-c", "max_connections=300")
                .Build();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ContainerStartTimeout);
            await container.StartAsync(timeout.Token);
            return container;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // DockerUnavailableException, an image that cannot be pulled, a daemon that refuses to run containers:
            // all mean "use the local cluster instead".
            DockerUnavailableReason = Describe(ex);
            if (container is not null)
            {
                await DisposeQuietlyAsync(container);
            }

            TestContext.Current.SendDiagnosticMessage($"Testcontainers unavailable, using a local cluster: {DockerUnavailableReason}");
            return null;
        }
    }

    private static async Task DisposeQuietlyAsync(PostgreSqlContainer container)
    {
        try
        {
            await container.DisposeAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The container never worked; failing to remove it must not hide the fallback.
            TestContext.Current.SendDiagnosticMessage($"Could not remove the failed container: {Describe(ex)}");
        }
    }

    private static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";

    private static string UniqueDatabaseName(string? prefix)
    {
        // PostgreSQL identifiers hold at most 63 bytes: up to 40 for the prefix, 1 underscore, 16 random hex digits.
        var cleaned = new StringBuilder();
        foreach (var character in (prefix ?? "test").ToLowerInvariant())
        {
            cleaned.Append(char.IsAsciiLetterOrDigit(character) ? character : '_');
            if (cleaned.Length == 40)
            {
                break;
            }
        }

        if (cleaned.Length == 0)
        {
            cleaned.Append("test");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{cleaned}_{Guid.NewGuid():N}")[..(cleaned.Length + 17)];
    }
}

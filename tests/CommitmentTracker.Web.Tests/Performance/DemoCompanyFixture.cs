using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CommitmentTracker.Web.Tests.Performance;

/// <summary>
/// The demo company amid other teams' business (<see cref="BackgroundBusiness"/>) in a database of its own, analysed so
/// the planner knows its tables, with the services of <see cref="PageCalls"/> built like the app's on a context factory
/// whose every command is recorded.
/// </summary>
public sealed class DemoCompanyFixture(PostgresServer server) : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 5, 14, 15, 30, 0, TimeSpan.Zero);

    /// <summary>A deal of the rep's with a late promise, its open recovery plan, milestones and a promise of the customer's.</summary>
    public const string RepDealTitle = "Fleet telematics";

    private readonly TestDatabase _database = new(server);
    private PageCalls? _pages;

    public SqlCommandRecorder Recorder { get; } = new();

    public PageCalls Pages => _pages ?? throw new InvalidOperationException("The demo company is not seeded yet.");

    public string ConnectionString => _database.ConnectionString;

    /// <summary>Rows per growing table after the arrangement, as the planner's statistics see them.</summary>
    public IReadOnlyDictionary<string, long> TableRows { get; private set; } = new Dictionary<string, long>();

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(Now);
        await _database.InitializeAsync();
        await _database.SeedDemoAsync(clock);
        await BackgroundBusiness.AddAsync(_database, Now);

        TableRows = await AnalyzeAsync(cancellationToken);

        var dbFactory = new RecordingDbContextFactory(ConnectionString, Recorder);
        var actors = new DemoActors(
            await ActorAsync(dbFactory, "manager@demo.local", cancellationToken),
            await ActorAsync(dbFactory, "rep@demo.local", cancellationToken),
            await ActorAsync(dbFactory, "service@demo.local", cancellationToken),
            await ActorAsync(dbFactory, "fulfilment@demo.local", cancellationToken));
        var repDealId = await _database.QueryAsync(db => db.Deals
            .Where(d => d.Title == RepDealTitle && d.OwnerId == actors.Rep.UserId).Select(d => d.Id).SingleAsync(cancellationToken));
        _pages = new PageCalls(dbFactory, clock, actors, repDealId);
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <summary>Gives the planner the statistics autovacuum would (fresh rows have none); returns the rows per growing table.</summary>
    private async Task<IReadOnlyDictionary<string, long>> AnalyzeAsync(CancellationToken cancellationToken)
    {
        // ANALYZE is the owner's: the app's role would be skipped with a warning and the planner left without statistics.
        await using var connection = new NpgsqlConnection(_database.OwnerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var analyze = new NpgsqlCommand("ANALYZE", connection))
            await analyze.ExecuteNonQueryAsync(cancellationToken);
        await using var sizes = new NpgsqlCommand("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r' AND relname = ANY(@tables)", connection);
        sizes.Parameters.AddWithValue("tables", QueryPlan.GrowingTables.ToArray());
        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await sizes.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows[reader.GetString(0)] = reader.GetInt64(1);
        return rows;
    }

    private async Task<Actor> ActorAsync(IDbContextFactory<AppDbContext> dbFactory, string email, CancellationToken cancellationToken)
    {
        var userId = await _database.QueryAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync(cancellationToken));
        return await ActorAccessor.LoadAsync(dbFactory, userId, cancellationToken)
            ?? throw new InvalidOperationException($"The demo user {email} is not active.");
    }

    /// <summary>Contexts configured as the app configures them (its save interceptors included), plus the recorder.</summary>
    private sealed class RecordingDbContextFactory : IDbContextFactory<AppDbContext>
    {
        private readonly DbContextOptions<AppDbContext> _options;

        public RecordingDbContextFactory(string connectionString, SqlCommandRecorder recorder)
        {
            var options = new DbContextOptionsBuilder<AppDbContext>();
            PersistenceServiceCollectionExtensions.Configure(options, connectionString, TestDatabase.SaveInterceptors);
            options.AddInterceptors(recorder);
            _options = options.Options;
        }

        public AppDbContext CreateDbContext() => new(_options);
    }
}

using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Persistence.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Tests.Infrastructure;

/// <summary>
/// A clean, migrated database for one test class (xunit class fixture), with reference data seeded.
/// Tests arrange their own rows through <see cref="InsertAsync"/> and read them back with a fresh context.
/// Migrated as the owner role; everything else, like the app, runs as the app's role (<see cref="ConnectionString"/>).
/// </summary>
public sealed class TestDatabase : IAsyncLifetime, IDbContextFactory<AppDbContext>
{
    private readonly PostgresServer? _server;
    private readonly string _appRole = PostgresServer.AppRole;
    private ServiceProvider? _services;

    /// <summary>A fresh database on the assembly's server.</summary>
    public TestDatabase(PostgresServer server) => _server = server;

    /// <summary>An existing, empty database on a server a test controls itself (to stop and start it).</summary>
    internal TestDatabase(string ownerConnectionString, string appRole, string appConnectionString)
    {
        OwnerConnectionString = ownerConnectionString;
        _appRole = appRole;
        ConnectionString = appConnectionString;
    }

    /// <summary>The app's role on this database: what the app's services run as.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The owner role on this database: for migrations and what only an owner may do (triggers, ANALYZE).</summary>
    public string OwnerConnectionString { get; private set; } = "";

    /// <summary>What the app's features add to every save (as <c>AddFeatures</c> registers them): risk re-evaluation, then the webhook outbox.</summary>
    public static IReadOnlyList<ISaveChangesInterceptor> SaveInterceptors { get; } = [new RiskSaveInterceptor(), new Web.Features.Webhooks.WebhookOutbox()];

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("The database is not ready yet.");

    public async ValueTask InitializeAsync()
    {
        if (_server is not null)
        {
            OwnerConnectionString = await _server.CreateDatabaseAsync("ct_test");
            ConnectionString = _server.AppConnectionString(OwnerConnectionString);
        }

        await using (var db = CreateOwnerDbContext())
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);
        await DatabasePrivileges.GrantAsync(OwnerConnectionString, _appRole, TestContext.Current.CancellationToken);

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddDbContextFactory<AppDbContext>(o => PersistenceServiceCollectionExtensions.Configure(o, ConnectionString, SaveInterceptors));
        services.AddIdentityCore<AppUser>(o => o.Password.RequiredLength = Security.PasswordRules.MinimumLength)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>();
        services.AddScoped<ReferenceDataSeeder>();
        _services = services.BuildServiceProvider();

        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReferenceDataSeeder>().SeedAsync();
    }

    /// <summary>
    /// A context on the test clock (<see cref="TestDeals.Now"/>): risk and status are evaluated inside every save
    /// against the time of the change, so arranged data must not be judged by the machine's real date.
    /// Services under test stamp their own clock through CreateForAsync.
    /// </summary>
    public AppDbContext CreateDbContext()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        PersistenceServiceCollectionExtensions.Configure(options, ConnectionString, SaveInterceptors);
        return new AppDbContext(options.Options) { ChangedAt = TestDeals.Now };
    }

    /// <summary>A context signed in as the database's owner role, for arranging what the app's role may not (triggers, statistics).</summary>
    public AppDbContext CreateOwnerDbContext()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        PersistenceServiceCollectionExtensions.Configure(options, OwnerConnectionString, SaveInterceptors);
        return new AppDbContext(options.Options) { ChangedAt = TestDeals.Now };
    }

    /// <summary>A factory of contexts like <see cref="CreateDbContext"/>'s, with one more interceptor (to pause or interleave a save).</summary>
    public IDbContextFactory<AppDbContext> FactoryWith(IInterceptor interceptor) => new InterceptedFactory(ConnectionString, interceptor);

    private sealed class InterceptedFactory(string connectionString, IInterceptor interceptor) : IDbContextFactory<AppDbContext>
    {
        public AppDbContext CreateDbContext()
        {
            var options = new DbContextOptionsBuilder<AppDbContext>();
            PersistenceServiceCollectionExtensions.Configure(options, connectionString, SaveInterceptors);
            options.AddInterceptors(interceptor);
            return new AppDbContext(options.Options);
        }
    }

    public async Task InsertAsync(params object[] entities)
    {
        await using var db = CreateDbContext();
        db.AddRange(entities);
        await db.SaveChangesAsync();
    }

    /// <summary>Runs a query in a fresh context, so assertions read what was really stored.</summary>
    public async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var db = CreateDbContext();
        return await query(db);
    }

    /// <summary>Runs SQL as the owner role: for arranging what the app's role may not do (creating triggers, for one).</summary>
    public async Task<T> AsOwnerAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var db = CreateOwnerDbContext();
        return await query(db);
    }

    /// <summary>Seeds the demo company into this database with the given clock.</summary>
    public async Task SeedDemoAsync(TimeProvider clock)
    {
        await using var scope = Services.CreateAsyncScope();
        var seeder = new DemoDataSeeder(
            scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>(),
            scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(),
            Options.Create(new DemoDataOptions()),
            clock,
            NullLogger<DemoDataSeeder>.Instance);
        await seeder.SeedAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
            await _services.DisposeAsync();
    }
}

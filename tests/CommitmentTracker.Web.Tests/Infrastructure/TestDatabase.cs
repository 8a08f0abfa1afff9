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
/// </summary>
public sealed class TestDatabase(PostgresServer server) : IAsyncLifetime, IDbContextFactory<AppDbContext>
{
    private ServiceProvider? _services;

    public string ConnectionString { get; private set; } = "";

    /// <summary>What the app's features add to every save (as <c>AddFeatures</c> registers them): risk re-evaluation.</summary>
    public static IReadOnlyList<ISaveChangesInterceptor> SaveInterceptors { get; } = [new RiskSaveInterceptor()];

    public IServiceProvider Services => _services ?? throw new InvalidOperationException("The database is not ready yet.");

    public async ValueTask InitializeAsync()
    {
        ConnectionString = await server.CreateDatabaseAsync("ct_test");
        await using (var db = CreateDbContext())
            await db.Database.MigrateAsync(TestContext.Current.CancellationToken);

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

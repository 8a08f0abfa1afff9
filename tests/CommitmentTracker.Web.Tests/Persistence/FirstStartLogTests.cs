using System.Collections.Concurrent;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CommitmentTracker.Web.Tests.Persistence;

/// <summary>A first start against a server without the app's database creates it and logs nothing that would alarm an operator.</summary>
public sealed class FirstStartLogTests(PostgresServer server)
{
    [Fact]
    public async Task A_first_start_on_an_empty_server_creates_the_database_and_logs_no_error_or_warning()
    {
        var database = $"ct_first_{Guid.NewGuid():N}"[..30];
        var connectionString = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = database }.ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = connectionString,
            ["Demo:Enabled"] = "false",
        }).Build();
        var log = new CapturedLog();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(log));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IConfiguration>(configuration);
        services.AddPersistence(configuration);
        services.AddIdentityCore<AppUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<AppDbContext>();
        await using var provider = services.BuildServiceProvider();
        try
        {
            var migrator = provider.GetServices<IHostedService>().OfType<DatabaseMigrator>().Single();

            await migrator.StartAsync(TestContext.Current.CancellationToken);

            var alarming = string.Join("\n", log.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Level} {e.Category}: {e.Message}"));
            Assert.True(alarming.Length == 0, alarming);
            Assert.Contains(log.Entries, e => e.Level == LogLevel.Information && e.Message == $"Database {database} does not exist yet: creating it");
            Assert.Contains(log.Entries, e => e.Message == "Database schema is up to date");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Pooling = false }.ConnectionString);
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }

    private sealed record Entry(LogLevel Level, string Category, string Message);

    /// <summary>Keeps every log entry of every category.</summary>
    private sealed class CapturedLog : ILoggerProvider
    {
        public ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLog log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Entries.Enqueue(new Entry(logLevel, category, formatter(state, exception)));
        }
    }
}

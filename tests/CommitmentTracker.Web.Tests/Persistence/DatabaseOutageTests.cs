using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Web.Components.Shared;
using CommitmentTracker.Web.Features.Communications;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Persistence.LocalPostgres;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CommitmentTracker.Web.Tests.Persistence;

/// <summary>
/// The database goes down while people work and comes back: they are told at once, nothing they were told failed is
/// stored, nothing they were told saved is lost or stored twice, and they work again within seconds. A durable cluster
/// (fsync on, like a real server) that this class starts, crashes and starts again; the app's own services and the page
/// boundary (<see cref="Commands"/>) report to the simulated users.
/// </summary>
public sealed partial class DatabaseOutageTests : IAsyncLifetime
{
    private const string Database = "ct_outage";
    private const int Users = 8;

    private static readonly DateTimeOffset Later = TestDeals.Now.AddHours(3);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ct-pg-outage-" + Guid.NewGuid().ToString("N")[..12]);
    private LocalPostgresCluster? _cluster;
    private TestDatabase? _database;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private LocalPostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("Not started.");

    private TestDatabase Db => _database ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync()
    {
        _cluster = new LocalPostgresCluster(new LocalPostgresOptions { DataDirectory = _folder }, NullLogger.Instance);
        await _cluster.StartAsync(Cancel);
        await LocalPostgresHosting.PrepareDatabaseAsync(_cluster, Database);
        _database = new TestDatabase(
            _cluster.ConnectionString(Database, LocalPostgresHosting.OwnerRole),
            LocalPostgresHosting.AppRole,
            _cluster.ConnectionString(Database, LocalPostgresHosting.AppRole));
        await _database.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
            await _database.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
            if (Directory.Exists(_cluster.SocketDirectory))
                Directory.Delete(_cluster.SocketDirectory, recursive: true);
        }

        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Saves_during_a_crash_are_stored_exactly_once_when_acknowledged_never_when_refused_and_work_resumes_within_ten_seconds()
    {
        var service = new CommunicationsService(
            Db, new FakeTimeProvider(Later), new LogCommunicationValidator(new FakeTimeProvider(Later)),
            new CorrectCommunicationValidator(), new CompleteTouchpointValidator());
        var people = new List<(Actor Rep, Guid DealId)>();
        for (var i = 0; i < Users; i++)
        {
            var rep = await Db.CreateAsync(AppRoles.Rep);
            people.Add((rep, (await Db.CreateDealAsync(rep)).Id));
        }

        var log = new ConcurrentQueue<Attempt>();
        using var stop = new CancellationTokenSource();
        var workers = people.Select((person, user) => Task.Run(() => WorkAsync(service, person.Rep, person.DealId, user, log, stop.Token), Cancel)).ToList();

        await WaitUntilAsync(() => log.Count(a => a.Outcome == Outcome.Saved) >= 5 * Users, TimeSpan.FromSeconds(60), "saves before the outage", workers);

        // Crash: an immediate shutdown (SIGQUIT to the postmaster: no checkpoint, sessions cut off mid-statement).
        var crashedAt = DateTime.UtcNow;
        await ImmediateShutdownAsync();
        var goneAt = DateTime.UtcNow;
        await WaitUntilAsync(() => Enumerable.Range(0, Users).All(u => log.Any(a => a.User == u && a.FinishedAt > crashedAt && a.Outcome != Outcome.Saved)),
            TimeSpan.FromSeconds(30), "every user to be told the database is unavailable", workers);

        Assert.True(await Cluster.RestartIfDeadAsync(Cancel));
        var backAt = DateTime.UtcNow;
        await WaitUntilAsync(() => Enumerable.Range(0, Users).All(u => log.Any(a => a.User == u && a.StartedAt >= backAt && a.Outcome == Outcome.Saved)),
            TimeSpan.FromSeconds(30), "every user to save again", workers);
        var recovery = Enumerable.Range(0, Users)
            .Select(u => log.Where(a => a.User == u && a.StartedAt >= backAt && a.Outcome == Outcome.Saved).Min(a => a.FinishedAt) - backAt)
            .Max();

        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var stored = await StoredCountsAsync();
        var attempts = log.ToList();
        var keys = attempts.GroupBy(a => a.Key).ToList();
        var acknowledged = keys.Where(k => k.Any(a => a.Outcome == Outcome.Saved)).Select(k => k.Key).ToList();
        var unknown = keys.Where(k => k.Any(a => a.Outcome == Outcome.Unknown)).Select(k => k.Key).ToList();
        var refusedOnly = keys.Where(k => k.All(a => a.Outcome == Outcome.Failed)).Select(k => k.Key).ToList();
        var duplicated = stored.Count(s => s.Value > 1);
        var refusalsAfterTheServerWasGone = attempts.Where(a => a.Outcome == Outcome.Failed && a.StartedAt > goneAt && a.FinishedAt < backAt).ToList();
        var slowestRefusal = refusalsAfterTheServerWasGone.Max(a => a.FinishedAt - a.StartedAt);

        var report = new
        {
            Users,
            Attempted = attempts.Count,
            DistinctSaves = keys.Count,
            Acknowledged = acknowledged.Count,
            RefusedAttempts = attempts.Count(a => a.Outcome == Outcome.Failed),
            RefusedNeverAcknowledged = refusedOnly.Count,
            OutcomeUnknown = unknown.Count,
            Stored = stored.Values.Sum(),
            Duplicated = duplicated,
            OutageSeconds = Math.Round((backAt - crashedAt).TotalSeconds, 2),
            EveryUserToldAfterSeconds = Math.Round(Enumerable.Range(0, Users)
                .Max(u => attempts.Where(a => a.User == u && a.FinishedAt > crashedAt && a.Outcome != Outcome.Saved).Min(a => a.FinishedAt) - crashedAt).TotalSeconds, 3),
            SlowestRefusalSeconds = Math.Round(slowestRefusal.TotalSeconds, 3),
            RecoverySeconds = Math.Round(recovery.TotalSeconds, 3),
        };
        var json = JsonSerializer.Serialize(report, ReportJson);
        TestContext.Current.TestOutputHelper?.WriteLine(json);
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "outage-results.json"), json, Cancel);

        Assert.All(acknowledged, key => Assert.Equal(1, stored.GetValueOrDefault(key)));
        Assert.All(refusedOnly, key => Assert.Equal(0, stored.GetValueOrDefault(key)));
        Assert.All(unknown, key => Assert.InRange(stored.GetValueOrDefault(key), 0, 1));
        Assert.Equal(0, duplicated);
        Assert.Empty(stored.Keys.Except(keys.Select(k => k.Key)));
        Assert.NotEmpty(refusalsAfterTheServerWasGone);
        // The times (slowest refusal, recovery) are in outage-results.json: measured, not asserted (a busy machine is not the app being slow).
    }

    [Fact]
    public async Task A_page_load_while_the_database_is_down_is_a_friendly_503_without_a_stack_trace_even_in_development()
    {
        var keys = Directory.CreateTempSubdirectory("ct-outage-keys-");
        try
        {
            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            {
                builder.UseEnvironment("Development");
                builder.UseSetting("ConnectionStrings:Owner", Db.OwnerConnectionString);
                builder.UseSetting("ConnectionStrings:Default", Db.ConnectionString);
                builder.UseSetting("Demo:Enabled", "false");
                builder.UseSetting("Risk:SweepEnabled", "false");
                builder.UseSetting("Email:PickupDirectory", Path.Combine(keys.FullName, "mail"));
            });
            using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            var loginPage = await client.GetStringAsync(new Uri("Account/Login", UriKind.Relative), Cancel);
            var token = AntiforgeryToken().Match(loginPage).Groups["token"].Value;
            Assert.NotEmpty(token);

            await ImmediateShutdownAsync();
            using var response = await client.PostAsync(new Uri("Account/Login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["_handler"] = "login",
                ["Input.Email"] = "rep@demo.local",
                ["Input.Password"] = "Demo-Password-2026!",
            }), Cancel);
            var body = await response.Content.ReadAsStringAsync(Cancel);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(DatabaseUnavailablePage.RetryAfterSeconds), response.Headers.RetryAfter?.Delta);
            Assert.Contains("The database is not available right now", body, StringComparison.Ordinal);
            foreach (var leak in new[] { "Exception", "Npgsql", "   at ", ".cs:line", Cluster.Port.ToString(CultureInfo.InvariantCulture), "127.0.0.1" })
                Assert.DoesNotContain(leak, body, StringComparison.Ordinal);
        }
        finally
        {
            await Cluster.RestartIfDeadAsync(Cancel);
            keys.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_killed_embedded_postgres_is_started_again_by_the_app_which_answers_within_ten_seconds()
    {
        var folder = _folder + "-embedded";
        var keys = Directory.CreateTempSubdirectory("ct-outage-keys-");
        try
        {
            await using (var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            {
                builder.UseEnvironment("Production");
                builder.UseSetting("ConnectionStrings:Default", "");
                builder.UseSetting("PostgreSQL:DataDirectory", folder);
                builder.UseSetting("Demo:Enabled", "false");
                builder.UseSetting("Risk:SweepEnabled", "false");
                builder.UseSetting("Email:PickupDirectory", Path.Combine(keys.FullName, "mail"));
            }))
            {
                using var client = factory.CreateClient();
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("health/ready", UriKind.Relative), Cancel)).StatusCode);
                var cluster = factory.Services.GetRequiredService<LocalPostgresCluster>();
                var port = cluster.Port;
                var killedPid = PostmasterPid(cluster);

                await LocalPostgresClusterTests.KillPostmasterAsync(cluster);
                await WaitUntilAsync(
                    async () => PostmasterPid(cluster) is { } pid && pid != killedPid
                        && (await client.GetAsync(new Uri("health/ready", UriKind.Relative), Cancel)).StatusCode == HttpStatusCode.OK,
                    TimeSpan.FromSeconds(30),
                    "the app to answer from a new postmaster");

                Assert.Equal(port, cluster.Port);
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            keys.Delete(recursive: true);
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    private static int? PostmasterPid(LocalPostgresCluster cluster)
    {
        try
        {
            var line = File.ReadLines(Path.Combine(cluster.DataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(line, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            await Task.Delay(50, Cancel);
        }
    }

    private async Task WorkAsync(CommunicationsService service, Actor rep, Guid dealId, int user, ConcurrentQueue<Attempt> log, CancellationToken stop)
    {
        for (var save = 0; !stop.IsCancellationRequested; save++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"user {user} save {save}");
            while (!stop.IsCancellationRequested)
            {
                var startedAt = DateTime.UtcNow;
                var error = await Commands.ErrorOfAsync(() => service.LogAsync(rep, dealId, Input(key), CancellationToken.None));
                var outcome = error switch
                {
                    null => Outcome.Saved,
                    SaveOutcomeUnknownException.DefaultMessage => Outcome.Unknown,
                    DatabaseAvailability.UnavailableMessage => Outcome.Failed,
                    _ => throw new InvalidOperationException($"Unexpected message for user {user}: {error}"),
                };
                log.Enqueue(new Attempt(key, user, outcome, startedAt, DateTime.UtcNow));
                if (outcome == Outcome.Saved)
                    break;
                if (outcome == Outcome.Unknown)
                {
                    // As the message says: once the database answers, check before saving again.
                    if (await IsStoredOnceBackAsync(key, stop) != false)
                        break;
                    continue;
                }

                // The user reads the message and presses Save again with what they typed.
                try
                {
                    await Task.Delay(100, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Whether the entry was stored, asked once the database answers again; null when the test stops first.</summary>
    private async Task<bool?> IsStoredOnceBackAsync(string key, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                return await Db.QueryAsync(db => db.CommunicationEntries.AnyAsync(e => e.Summary == key, CancellationToken.None));
            }
            catch (Exception ex) when (DatabaseAvailability.IsUnavailable(ex))
            {
                try
                {
                    await Task.Delay(100, stop);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
            }
        }

        return null;
    }

    private static LogCommunicationInput Input(string summary) => new()
    {
        Channel = CommunicationChannel.Phone,
        Direction = CommunicationDirection.FromCustomer,
        People = "Hannah Berg",
        Summary = summary,
        OccurredOn = new DateTime(2026, 3, 2),
        OccurredAt = new TimeSpan(11, 15, 0),
    };

    private async Task<Dictionary<string, int>> StoredCountsAsync() =>
        await Db.QueryAsync(db => db.CommunicationEntries.Where(e => e.Summary.StartsWith("user "))
            .GroupBy(e => e.Summary).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, Cancel));

    /// <summary>SIGQUIT to the postmaster: PostgreSQL's immediate shutdown, as close to a crash as a clean test gets. Returns once it is gone.</summary>
    private async Task ImmediateShutdownAsync()
    {
        var pid = int.Parse((await File.ReadAllLinesAsync(Path.Combine(Cluster.DataDirectory, "postmaster.pid"), Cancel))[0], CultureInfo.InvariantCulture);
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-QUIT", pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
            await kill.WaitForExitAsync(Cancel);
        await WaitUntilAsync(() => !Cluster.IsServerProcessAlive(), TimeSpan.FromSeconds(30), "the postmaster to exit");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what, IReadOnlyList<Task>? workers = null)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            // A simulated user who got an unexpected answer stops working: say why at once, not after the timeout.
            if (workers?.FirstOrDefault(w => w.IsFaulted) is { } faulted)
                await faulted;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            await Task.Delay(20, Cancel);
        }
    }

    private static readonly JsonSerializerOptions ReportJson = new() { WriteIndented = true };

    [GeneratedRegex("""<input(?=[^>]*name="__RequestVerificationToken")[^>]*value="(?<token>[^"]+)""")]
    private static partial Regex AntiforgeryToken();

    private enum Outcome
    {
        Saved,
        Failed,
        Unknown,
    }

    private sealed record Attempt(string Key, int User, Outcome Outcome, DateTime StartedAt, DateTime FinishedAt);
}

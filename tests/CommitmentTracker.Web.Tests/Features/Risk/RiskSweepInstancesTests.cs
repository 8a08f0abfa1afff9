using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Risk;

/// <summary>
/// Several web instances each run the sweep's timer, on one database: they share one timetable (each interval's sweep
/// runs once, by whichever instance comes first), never sweep at the same time, and each run is recorded.
/// Its own database, so no other test's runs are in risk_sweep_runs.
/// </summary>
public sealed class RiskSweepInstancesTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private RiskSweep Sweep(TimeProvider clock, string instance) =>
        new(database, clock, Options.Create(new RiskSweepOptions { Instance = instance, SweepIntervalMinutes = 10 }), NullLogger<RiskSweep>.Instance);

    [Fact]
    public async Task Two_instances_sweep_once_per_interval_and_record_each_run()
    {
        var clock = new FakeTimeProvider(Now.AddYears(3));
        var (a, b) = (Sweep(clock, "instance-a"), Sweep(clock, "instance-b"));

        var first = await a.RunIfDueAsync(Cancel);
        var secondSameInterval = await b.RunIfDueAsync(Cancel);
        clock.Advance(TimeSpan.FromMinutes(10));
        var nextByB = await b.RunIfDueAsync(Cancel);
        var nextByA = await a.RunIfDueAsync(Cancel);

        Assert.NotNull(first);
        Assert.Null(secondSameInterval);
        Assert.NotNull(nextByB);
        Assert.Null(nextByA);
        var runs = await RunsAfterAsync(Now.AddYears(3).AddMinutes(-1));
        Assert.Equal(["instance-a", "instance-b"], runs.Select(r => r.Instance));
        Assert.All(runs, r => Assert.True(r.FinishedAt >= r.StartedAt && r.PromisesChanged is not null));
    }

    [Fact]
    public async Task A_late_promise_swept_by_two_instances_at_once_alerts_each_recipient_once()
    {
        var team = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, team);
        await database.QueryAsync(async db =>
        {
            (await db.Teams.SingleAsync(t => t.Id == team.Id, Cancel)).AppointManager(manager.UserId);
            return await db.SaveChangesAsync(Cancel);
        });
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        Commitment? promise = null;
        await database.CreateDealAsync(rep, arrange: d => promise = AddPromise(d, promisedInDays: 30));
        var clock = new FakeTimeProvider(Now.AddYears(5).AddDays(31));

        var runs = await Task.WhenAll(
            Task.Run(() => Sweep(clock, "instance-a").RunIfDueAsync(Cancel), Cancel),
            Task.Run(() => Sweep(clock, "instance-b").RunIfDueAsync(Cancel), Cancel));

        Assert.Single(runs, r => r is not null);
        var alerts = await database.QueryAsync(db => db.Alerts.Where(a => a.CommitmentId == promise!.Id).ToListAsync(Cancel));
        Assert.Equal(new[] { manager.UserId, rep.UserId }.Order(), alerts.Select(a => a.RecipientId).Order());
        Assert.Single(await RunsAfterAsync(Now.AddYears(5)));
    }

    [Fact]
    public async Task While_another_instance_sweeps_a_sweep_is_skipped_and_not_recorded()
    {
        var clock = new FakeTimeProvider(Now.AddYears(7));
        const long sweepLock = 0x436F6D6D69745377;
        // Unpooled: closing it ends the session and so the lock (a pooled one would keep holding it for the next test).
        await using var otherInstance = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await otherInstance.OpenAsync(Cancel);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({sweepLock})", otherInstance))
            await take.ExecuteNonQueryAsync(Cancel);

        var timerTurn = await Sweep(clock, "instance-b").RunIfDueAsync(Cancel);
        var explicitRun = await Sweep(clock, "instance-b").RunOnceAsync(Cancel);

        Assert.Null(timerTurn);
        Assert.Equal(0, explicitRun);
        Assert.Empty(await RunsAfterAsync(Now.AddYears(7).AddMinutes(-1)));
    }

    /// <summary>The runs of one test: each test sweeps in its own year, so the others' runs (in any order) are not counted.</summary>
    private Task<List<RiskSweepRun>> RunsAfterAsync(DateTimeOffset from)
    {
        var to = from.AddYears(1);
        return database.QueryAsync(db => db.RiskSweepRuns.AsNoTracking().Where(r => r.StartedAt >= from && r.StartedAt < to).OrderBy(r => r.StartedAt).ThenBy(r => r.Id).ToListAsync(Cancel));
    }
}

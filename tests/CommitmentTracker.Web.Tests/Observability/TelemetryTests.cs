using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Observability;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Features.Alerts;
using CommitmentTracker.Web.Tests.Features.Recovery;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Observability;

/// <summary>
/// What an operator sees of a save: one trace from the user's action through its SQL to the alert mail sent later by the
/// dispatcher; the sweep's span and figures; the alert mail backlog in the health report.
/// </summary>
public sealed class TelemetryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly ActivitySource Click = new("CommitmentTracker.Tests.Click");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_save_that_raises_an_alert_and_the_alert_mail_are_one_trace_through_the_sql()
    {
        await using var sink = SmtpSink.Start();
        using var spans = SpanRecorder.Start(Telemetry.Name, "Npgsql", Click.Name);
        var (team, manager) = await database.CreateManagedTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var (_, promise) = await database.CreateMilestonedPromiseAsync(rep);

        ActivityTraceId traceId;
        using (var click = Click.StartActivity("Event onclick -> UpdateMilestoneDialog.SaveAsync"))
        {
            Assert.NotNull(click);
            traceId = click.TraceId;
            await database.RaiseToAtRiskAsync(promise, Now, rep.UserId);
        }
        var alert = await database.QueryAsync(db => db.Alerts.AsNoTracking().SingleAsync(a => a.CommitmentId == promise.Id && a.RecipientId == manager.UserId, Cancel));
        Assert.Equal(traceId.ToHexString(), ActivityContext.Parse(alert.TraceParent!, null).TraceId.ToHexString());

        await database.Dispatcher(TestAlerts.Smtp(sink.Port), new FakeTimeProvider(Now.AddSeconds(2))).DispatchOnceAsync(Cancel);

        Assert.Single(sink.To(await database.EmailOfAsync(manager)));
        var trace = spans.Of(traceId);
        Assert.Contains(trace, s => s.Source.Name == "Npgsql" && (s.GetTagItem("db.query.text") ?? s.GetTagItem("db.statement"))?.ToString()?.Contains("INSERT INTO alerts", StringComparison.Ordinal) == true);
        var mail = Assert.Single(trace, s => s.Source.Name == Telemetry.Name && s.OperationName == "alert mail" && Equals(s.GetTagItem("commitmenttracker.alert.id"), alert.Id));
        Assert.Equal(ActivityStatusCode.Unset, mail.Status);
    }

    [Fact]
    public async Task A_mailed_alert_records_its_latency_from_detection()
    {
        await using var sink = SmtpSink.Start();
        var scene = await database.CreateSceneAsync();
        await database.InsertAlertAsync(scene, scene.Manager, detectedAt: Now);
        var latencies = new ConcurrentBag<double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Telemetry.Name && instrument.Name == "commitmenttracker.alerts.mail_latency")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => latencies.Add(value));
        listener.Start();

        await database.Dispatcher(TestAlerts.Smtp(sink.Port), new FakeTimeProvider(Now.AddSeconds(7.25))).DispatchOnceAsync(Cancel);

        Assert.Contains(7.25, latencies);
    }

    [Fact]
    public async Task A_sweep_reports_its_span_with_the_promises_it_changed()
    {
        using var spans = SpanRecorder.Start(Telemetry.Name);
        var (_, promise) = await database.CreateMilestonedPromiseAsync(await database.CreateAsync(AppRoles.Rep), promisedInDays: 3, plannedInDays: [1, 2]);
        // Four days on, the promised date has passed: the sweep finds the promise late.
        var sweep = new RiskSweep(database, new FakeTimeProvider(Now.AddDays(4)), Options.Create(new RiskSweepOptions()), NullLogger<RiskSweep>.Instance);

        var changed = await sweep.RunOnceAsync(Cancel);

        Assert.True(changed >= 1);
        Assert.Contains(spans.All, s => s.OperationName == "risk sweep" && Equals(s.GetTagItem("commitmenttracker.sweep.promises_changed"), changed));
        Assert.Equal(Domain.Risk.RiskLevel.Late, (await database.StoredPromiseAsync(promise.Id)).RiskLevel);
    }

    [Fact]
    public async Task The_health_report_gives_the_sweeps_last_run_and_says_when_it_stopped_running()
    {
        var options = Options.Create(new RiskSweepOptions { Instance = "app-health" });
        var at = Now.AddDays(30);
        await new RiskSweep(database, new FakeTimeProvider(at), options, NullLogger<RiskSweep>.Instance).RunOnceAsync(Cancel);

        var fresh = await new RiskSweepHealthCheck(database, new FakeTimeProvider(at.AddMinutes(5)), options).CheckHealthAsync(new HealthCheckContext(), Cancel);
        var stale = await new RiskSweepHealthCheck(database, new FakeTimeProvider(at.AddMinutes(31)), options).CheckHealthAsync(new HealthCheckContext(), Cancel);

        Assert.Equal(HealthStatus.Healthy, fresh.Status);
        Assert.Equal("app-health", fresh.Data["instance"]);
        Assert.Equal(at, (DateTimeOffset)fresh.Data["lastStartedAt"]);
        Assert.True(fresh.Data.ContainsKey("promisesChanged"));
        Assert.Equal(HealthStatus.Degraded, stale.Status);
        Assert.Contains("last started 31 minutes ago", stale.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_health_report_says_when_alert_mail_has_waited_too_long()
    {
        var scene = await database.CreateSceneAsync();
        var check = new MailBacklogHealthCheck(database, new FakeTimeProvider(Now.AddMinutes(1)));
        var fresh = await database.InsertAlertAsync(scene, scene.Manager, detectedAt: Now);

        var healthy = await check.CheckHealthAsync(new HealthCheckContext(), Cancel);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.True((int)healthy.Data["waiting"] >= 1);

        var stale = await database.InsertAlertAsync(scene, scene.Manager, detectedAt: Now.AddHours(-1));
        var degraded = await check.CheckHealthAsync(new HealthCheckContext(), Cancel);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains("mail is not going out", degraded.Description, StringComparison.Ordinal);

        // Leave no alert due for the other tests of the class.
        await database.QueryAsync(db => db.Alerts.Where(a => a.Id == fresh.Id || a.Id == stale.Id).ExecuteDeleteAsync(Cancel));
    }

    /// <summary>Keeps every span that ends while it listens, from the named sources.</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _spans = new();

        private SpanRecorder(string[] sources)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => sources.Contains(source.Name),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _spans.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> All => [.. _spans];

        public static SpanRecorder Start(params string[] sources) => new(sources);

        public IReadOnlyList<Activity> Of(ActivityTraceId traceId) => [.. _spans.Where(s => s.TraceId == traceId)];

        public void Dispose() => _listener.Dispose();
    }
}

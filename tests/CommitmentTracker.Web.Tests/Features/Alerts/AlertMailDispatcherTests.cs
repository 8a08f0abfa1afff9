using CommitmentTracker.Web.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Tests.Features.Recovery;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Alerts;

/// <summary>
/// The mail side of alerts: the outbox is mailed over real SMTP (a <see cref="SmtpSink"/>), once per alert, with the
/// alert time recorded; failures are recorded and retried with backoff. Every test leaves no alert due at <see cref="Now"/>.
/// </summary>
public sealed class AlertMailDispatcherTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_alert_mail_reaches_a_real_smtp_listener_with_its_recipient_subject_and_body()
    {
        await using var sink = SmtpSink.Start();
        var scene = await database.CreateSceneAsync();
        var alert = await database.InsertAlertAsync(scene, scene.Manager);
        var managerEmail = await database.EmailOfAsync(scene.Manager);

        await database.Dispatcher(TestAlerts.Smtp(sink.Port), new FakeTimeProvider(Now.AddSeconds(2))).DispatchOnceAsync(Cancel);

        var mail = Assert.Single(sink.To(managerEmail));
        Assert.Equal([managerEmail], mail.EnvelopeTo);
        Assert.Equal(managerEmail, Assert.Single(mail.Message.To.Mailboxes).Address);
        Assert.Equal("alerts@ct.example.test", Assert.Single(mail.Message.From.Mailboxes).Address);
        Assert.Equal(alert.Title, mail.Message.Subject);
        Assert.Contains($"Hello {scene.Manager.DisplayName},", mail.Body, StringComparison.Ordinal);
        Assert.Contains("Why: Install forecast 12 Mar is 5 days past the promised 7 Mar", mail.Body, StringComparison.Ordinal);
        Assert.Contains($"Deal: {scene.Deal.Title}", mail.Body, StringComparison.Ordinal);
        Assert.Contains($"Open the deal: {TestAlerts.AppUrl}/deals/{scene.Deal.Id}", mail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mail_links_use_the_configured_public_address()
    {
        await using var sink = SmtpSink.Start();
        var scene = await database.CreateSceneAsync();
        await database.InsertAlertAsync(scene, scene.Manager);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["App:PublicAddress"] = "https://promises.example.org/" }).Build();
        using var services = new ServiceCollection().AddLogging().AddPublicAddress(configuration).BuildServiceProvider();

        await database.Dispatcher(TestAlerts.Smtp(sink.Port), new FakeTimeProvider(Now.AddSeconds(2)), services.GetRequiredService<PublicAddress>())
            .DispatchOnceAsync(Cancel);

        var mail = Assert.Single(sink.To(await database.EmailOfAsync(scene.Manager)));
        Assert.Contains($"Open the deal: https://promises.example.org/deals/{scene.Deal.Id}", mail.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", mail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_detection_time_in_the_mail_is_in_the_recipients_time_zone()
    {
        await using var sink = SmtpSink.Start();
        var scene = await database.CreateSceneAsync();
        await database.InsertAlertAsync(scene, scene.Manager);
        await database.QueryAsync(db => db.Users.Where(u => u.Id == scene.Manager.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZone, "America/New_York"), Cancel));

        await database.Dispatcher(TestAlerts.Smtp(sink.Port), new FakeTimeProvider(Now.AddSeconds(2))).DispatchOnceAsync(Cancel);

        // Detected 2 Mar 2026 10:00 UTC: 05:00 in New York, before its summer time.
        var mail = Assert.Single(sink.To(await database.EmailOfAsync(scene.Manager)));
        Assert.Contains("Detected: 2 Mar 2026 05:00 UTC-5", mail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mail_of_a_promise_with_an_open_recovery_plan_leads_to_the_plan()
    {
        await using var sink = SmtpSink.Start();
        var scene = await database.CreateAtRiskSceneAsync();
        var managerEmail = await database.EmailOfAsync(scene.Manager);

        await database.Dispatcher(TestAlerts.Smtp(sink.Port), new FakeTimeProvider(Now.AddSeconds(2))).DispatchOnceAsync(Cancel);

        var mail = Assert.Single(sink.To(managerEmail));
        Assert.Contains($"Open the recovery plan (what to do now, step by step): {TestAlerts.AppUrl}/recovery/{scene.PlanId}", mail.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Open the deal:", mail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_alert_is_mailed_once_and_its_alert_time_recorded_and_a_rerun_sends_nothing_more()
    {
        await using var sink = SmtpSink.Start();
        var scene = await database.CreateSceneAsync();
        var forRep = await database.InsertAlertAsync(scene, scene.Rep);
        var forManager = await database.InsertAlertAsync(scene, scene.Manager);
        var clock = new FakeTimeProvider(Now.AddSeconds(3));
        var dispatcher = database.Dispatcher(TestAlerts.Smtp(sink.Port), clock);

        await dispatcher.DispatchOnceAsync(Cancel);
        clock.Advance(TimeSpan.FromMinutes(10));
        var claimedOnRerun = await dispatcher.DispatchOnceAsync(Cancel);

        Assert.Single(sink.To(await database.EmailOfAsync(scene.Rep)));
        Assert.Single(sink.To(await database.EmailOfAsync(scene.Manager)));
        Assert.Equal(0, claimedOnRerun);
        foreach (var sent in new[] { await database.StoredAlertAsync(forRep.Id), await database.StoredAlertAsync(forManager.Id) })
        {
            Assert.Equal(Now.AddSeconds(3), sent.EmailedAt);
            Assert.Equal(TimeSpan.FromSeconds(3), sent.EmailedAt - sent.DetectedAt);
            Assert.Equal(1, sent.EmailAttempts);
            Assert.Null(sent.EmailError);
        }
    }

    [Fact]
    public async Task A_refused_connection_records_the_error_leaves_the_alert_unsent_and_it_is_retried_after_the_backoff()
    {
        var scene = await database.CreateSceneAsync();
        var alert = await database.InsertAlertAsync(scene, scene.Rep);
        var clock = new FakeTimeProvider(Now);

        await database.Dispatcher(TestAlerts.Smtp(SmtpSink.ClosedPort()), clock).DispatchOnceAsync(Cancel);

        var failed = await database.StoredAlertAsync(alert.Id);
        Assert.Null(failed.EmailedAt);
        Assert.Equal(1, failed.EmailAttempts);
        Assert.Contains("refused", failed.EmailError, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Now + AlertMailDispatcher.Backoff(1), failed.EmailNextAttemptAt);

        await using var sink = SmtpSink.Start();
        var dispatcher = database.Dispatcher(TestAlerts.Smtp(sink.Port), clock);
        clock.Advance(AlertMailDispatcher.Backoff(1) - TimeSpan.FromSeconds(1));
        await dispatcher.DispatchOnceAsync(Cancel);
        var beforeBackoff = sink.To(await database.EmailOfAsync(scene.Rep)).Count;
        clock.Advance(TimeSpan.FromSeconds(1));
        await dispatcher.DispatchOnceAsync(Cancel);

        Assert.Equal(0, beforeBackoff);
        Assert.Single(sink.To(await database.EmailOfAsync(scene.Rep)));
        var sent = await database.StoredAlertAsync(alert.Id);
        Assert.Equal(clock.GetUtcNow(), sent.EmailedAt);
        Assert.Equal(2, sent.EmailAttempts);
        Assert.Null(sent.EmailError);
    }

    [Fact]
    public async Task After_the_last_allowed_try_fails_the_alert_is_not_tried_again()
    {
        var scene = await database.CreateSceneAsync();
        var alert = await database.InsertAlertAsync(scene, scene.Rep, attempts: AlertMailDispatcher.MaxAttempts - 1);
        var clock = new FakeTimeProvider(Now);
        await database.Dispatcher(TestAlerts.Smtp(SmtpSink.ClosedPort()), clock).DispatchOnceAsync(Cancel);

        await using var sink = SmtpSink.Start();
        clock.Advance(TimeSpan.FromDays(1));
        await database.Dispatcher(TestAlerts.Smtp(sink.Port), clock).DispatchOnceAsync(Cancel);

        var stored = await database.StoredAlertAsync(alert.Id);
        Assert.Equal(AlertMailDispatcher.MaxAttempts, stored.EmailAttempts);
        Assert.Null(stored.EmailedAt);
        Assert.NotNull(stored.EmailError);
        Assert.Empty(sink.To(await database.EmailOfAsync(scene.Rep)));
    }

    [Fact]
    public async Task Two_instances_dispatching_at_once_mail_each_alert_exactly_once()
    {
        await using var sink = SmtpSink.Start();
        var scene = await database.CreateSceneAsync();
        var alerts = new List<Alert>();
        for (var i = 0; i < 30; i++)
            alerts.Add(await database.InsertAlertAsync(scene, i % 2 == 0 ? scene.Rep : scene.Manager, Now.AddMilliseconds(i)));
        var clock = new FakeTimeProvider(Now.AddSeconds(1));
        var first = database.Dispatcher(TestAlerts.Smtp(sink.Port), clock);
        var second = database.Dispatcher(TestAlerts.Smtp(sink.Port), clock);

        await Task.WhenAll(Drain(first), Drain(second));

        var mails = sink.To(await database.EmailOfAsync(scene.Rep)).Concat(sink.To(await database.EmailOfAsync(scene.Manager))).ToList();
        Assert.Equal(30, mails.Count);
        foreach (var alert in alerts)
            Assert.NotNull((await database.StoredAlertAsync(alert.Id)).EmailedAt);

        static async Task Drain(AlertMailDispatcher dispatcher)
        {
            while (await dispatcher.DispatchOnceAsync(Cancel) > 0)
            {
            }
        }
    }

    [Fact]
    public async Task Without_an_smtp_host_the_mail_is_written_as_an_eml_file_into_the_pickup_folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"ct-mail-{Guid.NewGuid():N}");
        try
        {
            var scene = await database.CreateSceneAsync();
            var alert = await database.InsertAlertAsync(scene, scene.Rep);
            var options = new EmailOptions { PickupDirectory = folder };

            await database.Dispatcher(options, new FakeTimeProvider(Now)).DispatchOnceAsync(Cancel);

            var file = Assert.Single(Directory.GetFiles(folder, "*.eml"));
            var message = await MimeMessage.LoadAsync(file, Cancel);
            Assert.Equal(await database.EmailOfAsync(scene.Rep), Assert.Single(message.To.Mailboxes).Address);
            Assert.Equal(alert.Title, message.Subject);
            Assert.NotNull((await database.StoredAlertAsync(alert.Id)).EmailedAt);
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}

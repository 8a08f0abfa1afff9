using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Integrations;
using CommitmentTracker.Web.Features.Webhooks;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Webhooks;

/// <summary>
/// Webhooks end to end on real PostgreSQL and a real HTTP receiver (Kestrel on a loopback port): the outbox row written
/// with the change, the signed POST, retries with backoff on the test clock, giving up, and one send per delivery.
/// </summary>
public sealed class WebhookDeliveryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The signature as a receiver computes it, written here without the app's code.</summary>
    private static string ExpectedSignature(string secret, string timestamp, string body) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + "." + body))).ToLowerInvariant();

    [Fact]
    public async Task A_delivery_reaches_a_real_receiver_signed_with_the_hooks_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep);
        var (hookId, secret) = await database.RegisterAsync(admin, receiver.Url);
        var deal = await database.LoseADealAsync(rep);
        var clock = new FakeTimeProvider(Now.AddSeconds(2));

        await database.Dispatcher(clock).DispatchOnceAsync(Cancel);

        var request = Assert.Single(receiver.Received, r => r.Body.Contains(deal.Id.ToString(), StringComparison.Ordinal));
        var timestamp = request.Header(WebhookSignature.TimestampHeader);
        Assert.Equal(clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        Assert.Equal(ExpectedSignature(secret, timestamp, request.Body), request.Header(WebhookSignature.SignatureHeader));
        Assert.NotEqual(ExpectedSignature(secret + "x", timestamp, request.Body), request.Header(WebhookSignature.SignatureHeader));
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal("deal.stage_changed", root.GetProperty("type").GetString());
        Assert.Equal("deal.stage_changed", request.Header(WebhookSignature.EventTypeHeader));
        Assert.Equal(root.GetProperty("id").GetGuid().ToString(), request.Header(WebhookSignature.EventIdHeader));
        Assert.Equal(Now, root.GetProperty("occurredAt").GetDateTimeOffset());
        var data = root.GetProperty("data");
        Assert.Equal("Verbal", data.GetProperty("previousStage").GetString());
        Assert.Equal("Lost", data.GetProperty("stage").GetString());
        Assert.Equal(deal.Id, data.GetProperty("deal").GetProperty("id").GetGuid());
        Assert.Equal(deal.AccountId, data.GetProperty("deal").GetProperty("accountId").GetGuid());
        Assert.Equal(deal.Title, data.GetProperty("deal").GetProperty("title").GetString());

        var delivery = Assert.Single(await database.DeliveriesAboutAsync(deal.Id, hookId));
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(clock.GetUtcNow(), delivery.DeliveredAt);
        var attempt = Assert.Single(await database.QueryAsync(db => db.WebhookAttempts.Where(a => a.DeliveryId == delivery.Id).ToListAsync(Cancel)));
        Assert.Equal(200, attempt.StatusCode);
        Assert.Equal("thanks", attempt.ResponseBody);
        Assert.True(attempt.Succeeded);
        Assert.Null(attempt.Error);
    }

    [Fact]
    public async Task A_failed_attempt_is_retried_after_the_backoff_and_then_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = n => n == 1 ? 500 : 200;
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep);
        var (hookId, secret) = await database.RegisterAsync(admin, receiver.Url);
        var deal = await database.LoseADealAsync(rep);
        var clock = new FakeTimeProvider(Now.AddSeconds(2));
        var dispatcher = database.Dispatcher(clock);

        await dispatcher.DispatchOnceAsync(Cancel);
        var failed = Assert.Single(await database.DeliveriesAboutAsync(deal.Id, hookId));
        Assert.Equal(WebhookDeliveryStatus.Pending, failed.Status);
        Assert.Equal(1, failed.Attempts);
        Assert.Equal(500, failed.LastStatusCode);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(1), failed.NextAttemptAt);

        // Not before the backoff has passed.
        clock.Advance(TimeSpan.FromSeconds(59));
        await dispatcher.DispatchOnceAsync(Cancel);
        Assert.Single(receiver.Received);

        clock.Advance(TimeSpan.FromSeconds(1));
        await dispatcher.DispatchOnceAsync(Cancel);

        Assert.Equal([500, 200], receiver.Received.Select(r => r.AnsweredWith));
        Assert.Equal(receiver.Received[0].Body, receiver.Received[1].Body);
        Assert.Equal(receiver.Received[0].Header(WebhookSignature.EventIdHeader), receiver.Received[1].Header(WebhookSignature.EventIdHeader));
        var second = receiver.Received[1];
        Assert.Equal(ExpectedSignature(secret, second.Header(WebhookSignature.TimestampHeader), second.Body), second.Header(WebhookSignature.SignatureHeader));

        var delivered = Assert.Single(await database.DeliveriesAboutAsync(deal.Id, hookId));
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivered.Status);
        Assert.Equal(2, delivered.Attempts);
        var attempts = await database.QueryAsync(db => db.WebhookAttempts.Where(a => a.DeliveryId == delivered.Id).OrderBy(a => a.Number).ToListAsync(Cancel));
        Assert.Equal([500, 200], attempts.Select(a => a.StatusCode));
        Assert.Equal("receiver broke (500)", attempts[0].ResponseBody);
        Assert.Contains("500", attempts[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_is_given_up_after_the_last_retry()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => 503;
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep);
        var (hookId, _) = await database.RegisterAsync(admin, receiver.Url);
        var deal = await database.LoseADealAsync(rep);
        var clock = new FakeTimeProvider(Now.AddSeconds(2));
        var dispatcher = database.Dispatcher(clock);

        await dispatcher.DispatchOnceAsync(Cancel);
        foreach (var wait in WebhookDispatcher.RetryDelays)
        {
            clock.Advance(wait);
            await dispatcher.DispatchOnceAsync(Cancel);
        }
        clock.Advance(TimeSpan.FromDays(2));
        await dispatcher.DispatchOnceAsync(Cancel);

        var delivery = Assert.Single(await database.DeliveriesAboutAsync(deal.Id, hookId));
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Equal(6, delivery.Attempts);
        Assert.Null(delivery.NextAttemptAt);
        // Six tries recorded; every one that reached the receiver was its 503 (on a busy machine a pooled connection the
        // receiver had dropped can fail a try before it arrives: recorded as that error, and retried like any other).
        var attempts = await database.QueryAsync(db => db.WebhookAttempts.Where(a => a.DeliveryId == delivery.Id).OrderBy(a => a.Number).ToListAsync(Cancel));
        Assert.Equal(Enumerable.Range(1, WebhookDispatcher.MaxAttempts), attempts.Select(a => a.Number));
        Assert.All(attempts, a => Assert.True(a.StatusCode == 503 || a.Error is not null, $"Try {a.Number}: {a.StatusCode} {a.Error}"));
        Assert.Equal(attempts.Count(a => a.StatusCode == 503), receiver.Received.Count);
        Assert.NotEmpty(receiver.Received);
    }

    [Fact]
    public async Task The_outbox_row_is_written_in_the_same_transaction_as_the_change_and_a_failed_save_writes_none()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep);
        var (hookId, _) = await database.RegisterAsync(admin, "http://127.0.0.1:9/never");

        var saved = await database.LoseADealAsync(rep);
        var written = Assert.Single(await database.DeliveriesAboutAsync(saved.Id, hookId));
        Assert.Equal(WebhookDeliveryStatus.Pending, written.Status);
        Assert.Equal(Now, written.CreatedAt);

        // A save that fails after every statement ran (the outbox row included) is rolled back as one.
        var failing = database.FactoryWith(new FailAfterStatements());
        var refused = await database.CreateDealAsync(rep);
        await Assert.ThrowsAsync<InvalidOperationException>(() => LoseAsync(failing, refused.Id, rep));

        Assert.Empty(await database.DeliveriesAboutAsync(refused.Id));
        var stored = await database.QueryAsync(db => db.Deals.AsNoTracking().SingleAsync(d => d.Id == refused.Id, Cancel));
        Assert.Equal(Domain.Deals.DealStage.Verbal, stored.Stage);
    }

    private static async Task LoseAsync(IDbContextFactory<AppDbContext> factory, Guid dealId, Actor rep)
    {
        await using var db = await factory.CreateDbContextAsync(Cancel);
        db.ChangedAt = Now;
        var deal = await db.LoadDealAsync(dealId, tracked: true);
        deal.MarkLost(Domain.Deals.LostReason.NoBudget, null, rep.UserId, Now);
        await db.SaveChangesAsync(Cancel);
    }

    /// <summary>Fails a save after its statements ran and before its commit.</summary>
    private sealed class FailAfterStatements : SaveChangesInterceptor
    {
        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The save fails before it commits.");
    }

    [Fact]
    public async Task Only_active_hooks_subscribed_to_the_event_get_a_delivery()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep);
        var (stageHook, _) = await database.RegisterAsync(admin, "http://127.0.0.1:9/a", true, WebhookEvent.DealStageChanged, WebhookEvent.PromiseKept);
        var (keptHook, _) = await database.RegisterAsync(admin, "http://127.0.0.1:9/b", true, WebhookEvent.PromiseKept, WebhookEvent.PromiseBroken);
        var (offHook, _) = await database.RegisterAsync(admin, "http://127.0.0.1:9/c", false, WebhookEvent.DealStageChanged);

        var deal = await database.LoseADealAsync(rep);

        Assert.Single(await database.DeliveriesAboutAsync(deal.Id, stageHook));
        Assert.Empty(await database.DeliveriesAboutAsync(deal.Id, keptHook));
        Assert.Empty(await database.DeliveriesAboutAsync(deal.Id, offHook));
    }

    [Fact]
    public async Task A_kept_promise_is_delivered_as_promise_kept_with_its_plain_fields()
    {
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep);
        var (hookId, _) = await database.RegisterAsync(admin, "http://127.0.0.1:9/kept", true, WebhookEvent.PromiseKept);
        Commitment? promise = null;
        var deal = await database.CreateDealAsync(rep, arrange: d => promise = AddPromise(d, description: "Ship the scanners"));

        await using (var db = database.CreateDbContext())
        {
            var tracked = await db.LoadCommitmentAsync(promise!.Id, tracked: true);
            tracked.Complete(Today, Today, now: Now);
            await db.SaveChangesAsync(Cancel);
        }

        var delivery = Assert.Single(await database.DeliveriesAboutAsync(promise!.Id, hookId));
        Assert.Equal("promise.kept", delivery.EventType);
        using var json = JsonDocument.Parse(delivery.Body);
        var data = json.RootElement.GetProperty("data");
        Assert.Equal("Kept", data.GetProperty("status").GetString());
        Assert.Equal("Open", data.GetProperty("previousStatus").GetString());
        Assert.Equal(promise.Id, data.GetProperty("promise").GetProperty("id").GetGuid());
        Assert.Equal("Ship the scanners", data.GetProperty("promise").GetProperty("description").GetString());
        Assert.Equal(Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), data.GetProperty("promise").GetProperty("completedOn").GetString());
        Assert.Equal(deal.Title, data.GetProperty("deal").GetProperty("title").GetString());
        Assert.DoesNotContain(rep.UserId, delivery.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_dispatchers_at_once_never_send_one_delivery_twice()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep);
        var (hookId, _) = await database.RegisterAsync(admin, receiver.Url);
        var deals = new List<Guid>();
        for (var i = 0; i < 6; i++)
            deals.Add((await database.LoseADealAsync(rep)).Id);
        var clock = new FakeTimeProvider(Now.AddSeconds(2));
        var one = database.Dispatcher(clock);
        var two = database.Dispatcher(clock);

        await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(_ => new[] { one.DispatchOnceAsync(Cancel), two.DispatchOnceAsync(Cancel) }));

        var ids = receiver.Received.Select(r => r.Header(WebhookSignature.EventIdHeader)).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        foreach (var dealId in deals)
            Assert.Single(receiver.Received, r => r.Body.Contains(dealId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_again_queues_a_failed_delivery_which_then_goes_out_with_the_same_event_id()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = n => n == 1 ? 410 : 200;
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep);
        var (hookId, _) = await database.RegisterAsync(admin, receiver.Url);
        var deal = await database.LoseADealAsync(rep);
        var clock = new FakeTimeProvider(Now.AddSeconds(2));
        var dispatcher = database.Dispatcher(clock);
        await dispatcher.DispatchOnceAsync(Cancel);
        var delivery = Assert.Single(await database.DeliveriesAboutAsync(deal.Id, hookId));
        Assert.Equal(1, delivery.Attempts);

        await database.Service(clock).SendAgainAsync(admin, delivery.Id, Cancel);
        await dispatcher.DispatchOnceAsync(Cancel);

        Assert.Equal([410, 200], receiver.Received.Select(r => r.AnsweredWith));
        Assert.Equal(delivery.EventId.ToString(), receiver.Received[1].Header(WebhookSignature.EventIdHeader));
        var rows = await database.Service(clock).DeliveriesAsync(admin, hookId, Cancel);
        Assert.Equal(WebhookDeliveryStatus.Delivered, Assert.Single(rows).Status);
        var attempts = await database.Service(clock).AttemptsAsync(admin, delivery.Id, Cancel);
        Assert.Equal([410, 200], attempts.Select(a => a.StatusCode));
    }

    [Fact]
    public async Task The_running_dispatcher_sends_a_new_delivery_without_being_asked()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var admin = await database.CreateAsync(AppRoles.Admin);
        var rep = await database.CreateAsync(AppRoles.Rep);
        await database.RegisterAsync(admin, receiver.Url);
        var dispatcher = database.Dispatcher(TimeProvider.System, pollSeconds: 1);
        await dispatcher.StartAsync(Cancel);
        try
        {
            var deal = await database.LoseADealAsync(rep);
            await receiver.WaitForAsync(1, TimeSpan.FromSeconds(20));
            Assert.Contains(receiver.Received, r => r.Body.Contains(deal.Id.ToString(), StringComparison.Ordinal));
        }
        finally
        {
            await dispatcher.StopAsync(CancellationToken.None);
        }
    }
}

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Persistence.Changes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Features.Webhooks;

/// <summary>
/// Sends the webhook outbox: POSTs each due delivery, signed, to its hook, records every try (status, the start of the
/// answer, duration, error), and retries a failure after 1 min, 5 min, 30 min, 2 h and 12 h before giving up. Woken by
/// the change feed (every save that raises an event touches a deal) and otherwise every few seconds for due retries.
/// Safe with several instances: each claims deliveries with <c>FOR UPDATE SKIP LOCKED</c> and a lease, so no delivery is
/// sent twice by two of them.
/// </summary>
public sealed class WebhookDispatcher(
    IDbContextFactory<AppDbContext> dbFactory, IHttpClientFactory httpClients, ChangeFeed changes, TimeProvider clock,
    IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    /// <summary>The named HttpClient deliveries go out on (no redirects followed, the configured timeout).</summary>
    public const string HttpClientName = "webhooks";

    /// <summary>The waits before each retry; after the last one fails the delivery is given up (Failed).</summary>
    public static IReadOnlyList<TimeSpan> RetryDelays { get; } =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(12)];

    /// <summary>Tries in all: the first and one per retry delay.</summary>
    public static int MaxAttempts => RetryDelays.Count + 1;

    private const int BatchSize = 20;

    /// <summary>How long a claim holds: longer than a batch of timed-out sends. A crashed instance's claims come back after it.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>The wait after failed try number <paramref name="attempts"/> (1-based), or null when it was the last.</summary>
    public static TimeSpan? RetryAfter(int attempts) => attempts >= 1 && attempts <= RetryDelays.Count ? RetryDelays[attempts - 1] : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, options.Value.PollSeconds));
        changes.DealsChanged += OnDealsChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    while (await DispatchOnceAsync(stoppingToken) == BatchSize)
                    {
                        // A full batch: more may be waiting.
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // a failed round (database away) must not stop the next
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    logger.LogError(ex, "Sending webhooks failed; trying again in {Interval}", interval);
                }

                try
                {
                    await _wake.WaitAsync(interval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        finally
        {
            changes.DealsChanged -= OnDealsChanged;
        }
    }

    /// <summary>Wakes the loop now rather than at the next poll (a save announced a change; an admin asked to send again).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount > 0)
            return;
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Woken already.
        }
    }

    private void OnDealsChanged(DealsChanged change) => Wake();

    /// <summary>Claims up to a batch of due deliveries, sends them and records each try; returns how many were claimed.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.WebhookDeliveries.FromSql($"""
            UPDATE webhook_deliveries SET next_attempt_at = {now + Lease}
            WHERE id IN (
                SELECT id FROM webhook_deliveries
                WHERE status = 'Pending' AND next_attempt_at <= {now}
                ORDER BY next_attempt_at
                LIMIT {BatchSize}
                FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).AsNoTracking().ToListAsync(cancellationToken);
        if (claimed.Count == 0)
            return 0;

        var hookIds = claimed.Select(d => d.WebhookId).Distinct().ToList();
        var hooks = await db.Webhooks.AsNoTracking().Where(h => hookIds.Contains(h.Id)).ToDictionaryAsync(h => h.Id, cancellationToken);
        var http = httpClients.CreateClient(HttpClientName);
        foreach (var delivery in claimed.OrderBy(d => d.CreatedAt))
        {
            if (!hooks.TryGetValue(delivery.WebhookId, out var hook) || !hook.IsActive)
            {
                await RecordAsync(db, delivery, new Outcome(null, null, 0, "The webhook is switched off; nothing was sent."), giveUp: true, cancellationToken);
                continue;
            }
            var outcome = await SendAsync(http, hook.Url, hook.Secret, delivery, cancellationToken);
            await RecordAsync(db, delivery, outcome, giveUp: false, CancellationToken.None);
        }
        return claimed.Count;
    }

    private sealed record Outcome(int? StatusCode, string? ResponseBody, int DurationMs, string? Error)
    {
        public bool Succeeded => Error is null && StatusCode is >= 200 and < 300;
    }

    private async Task<Outcome> SendAsync(HttpClient http, string url, string secret, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.EventIdHeader, delivery.EventId.ToString());
        request.Headers.Add(WebhookSignature.EventTypeHeader, delivery.EventType);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, delivery.Body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("CommitmentTracker-Webhooks", "1.0"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, options.Value.TimeoutSeconds)));
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await ReadStartAsync(response, timeout.Token);
            var code = (int)response.StatusCode;
            return new Outcome(code, body, (int)watch.ElapsedMilliseconds, code is >= 200 and < 300 ? null : $"The receiver answered {code} {response.ReasonPhrase}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome(null, null, (int)watch.ElapsedMilliseconds, $"No answer within {options.Value.TimeoutSeconds} s.");
        }
        catch (HttpRequestException ex)
        {
            return new Outcome(null, null, (int)watch.ElapsedMilliseconds, ex.Message);
        }
    }

    /// <summary>The first characters of the answer, enough to see what the receiver said, never a whole page.</summary>
    private static async Task<string?> ReadStartAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new char[WebhookAttempt.ResponseBodyLength];
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return read == 0 ? null : new string(buffer, 0, read);
    }

    private async Task RecordAsync(AppDbContext db, WebhookDelivery delivery, Outcome outcome, bool giveUp, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow().ToUniversalTime();
        var attempts = delivery.Attempts + 1;
        var retryAfter = outcome.Succeeded || giveUp ? null : RetryAfter(attempts);
        var status = outcome.Succeeded ? WebhookDeliveryStatus.Delivered
            : retryAfter is null ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending;
        DateTimeOffset? next = retryAfter is { } wait ? at + wait : null;
        var error = Shorten(outcome.Error, Domain.FieldLengths.Text);

        db.WebhookAttempts.Add(new WebhookAttempt
        {
            DeliveryId = delivery.Id,
            Number = attempts,
            AttemptedAt = at,
            StatusCode = outcome.StatusCode,
            ResponseBody = outcome.ResponseBody,
            DurationMs = outcome.DurationMs,
            Error = error,
            Succeeded = outcome.Succeeded,
        });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Attempts, attempts)
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.NextAttemptAt, next)
            .SetProperty(d => d.LastAttemptAt, at)
            .SetProperty(d => d.LastStatusCode, outcome.StatusCode)
            .SetProperty(d => d.LastError, error)
            .SetProperty(d => d.DeliveredAt, outcome.Succeeded ? at : null), cancellationToken);

        if (!outcome.Succeeded)
            Observability.Telemetry.WebhookFailures.Add(1, new KeyValuePair<string, object?>("event", delivery.EventType));
        if (outcome.Succeeded)
            logger.LogInformation("Webhook delivery {DeliveryId} ({EventType}) delivered, {StatusCode} in {DurationMs} ms", delivery.Id, delivery.EventType, outcome.StatusCode, outcome.DurationMs);
        else if (status == WebhookDeliveryStatus.Failed)
            logger.LogError("Webhook delivery {DeliveryId} ({EventType}) given up after {Attempts} tries: {Error}", delivery.Id, delivery.EventType, attempts, error);
        else
            logger.LogWarning("Webhook delivery {DeliveryId} ({EventType}) failed (try {Attempts}), again at {Next}: {Error}", delivery.Id, delivery.EventType, attempts, next, error);
    }

    private static string? Shorten(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}

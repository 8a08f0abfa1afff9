using CommitmentTracker.Domain.Integrations;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CommitmentTracker.Web.Features.Webhooks;

/// <summary>A registered webhook as the admin page lists it (never its secret).</summary>
public sealed record WebhookRow(
    Guid Id, string Name, string Url, IReadOnlyList<WebhookEvent> Events, bool IsActive, string SecretHint,
    DateTimeOffset SecretCreatedAt, int Pending, int Failed, uint Version);

/// <summary>One delivery of a hook, with its last try.</summary>
public sealed record WebhookDeliveryRow(
    Guid Id, Guid EventId, string EventType, DateTimeOffset OccurredAt, WebhookDeliveryStatus Status, int Attempts,
    DateTimeOffset? LastAttemptAt, int? LastStatusCode, string? LastError, DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt);

/// <summary>One try of a delivery, as recorded.</summary>
public sealed record WebhookAttemptRow(int Number, DateTimeOffset AttemptedAt, int? StatusCode, string? ResponseBody, int DurationMs, string? Error, bool Succeeded);

/// <summary>The form registering or changing a webhook.</summary>
public sealed class WebhookInput
{
    public string? Name { get; set; }
    public string? Url { get; set; }
    public HashSet<WebhookEvent> Events { get; set; } = [];
    public bool IsActive { get; set; } = true;
}

/// <summary>Validates the webhook form; the address rule itself is the domain's (<see cref="Webhook.CheckUrl"/>).</summary>
public sealed class WebhookInputValidator : ModelValidator<WebhookInput>
{
    public WebhookInputValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Give the webhook a name (what receives it).")
            .MaximumLength(Domain.FieldLengths.Name);
        RuleFor(x => x.Url).NotEmpty().WithMessage("Enter the address to send to, starting with https://.")
            .MaximumLength(Webhook.UrlLength);
        RuleFor(x => x.Events).NotEmpty().WithMessage("Choose at least one event to send.");
    }
}

/// <summary>
/// Webhooks, for admins: register, change, switch off, rotate the secret (shown once), see each hook's recent
/// deliveries and their tries, and send a delivery again.
/// </summary>
public sealed class WebhooksService(
    IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, WebhookInputValidator validator,
    IOptions<WebhookOptions> options, WebhookDispatcher? dispatcher = null)
{
    private const string What = "webhooks";

    /// <summary>How many deliveries of a hook the page shows, newest first.</summary>
    public const int RecentDeliveries = 20;

    public async Task<IReadOnlyList<WebhookRow>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var hooks = await db.Webhooks.AsNoTracking().OrderBy(h => h.Name).ToListAsync(cancellationToken);
        var counts = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status != WebhookDeliveryStatus.Delivered)
            .GroupBy(d => new { d.WebhookId, d.Status })
            .Select(g => new { g.Key.WebhookId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var versions = await db.Webhooks.AsNoTracking().Select(h => new { h.Id, V = EF.Property<uint>(h, AppDbContext.Version) })
            .ToDictionaryAsync(h => h.Id, h => h.V, cancellationToken);
        int Count(Guid id, WebhookDeliveryStatus status) => counts.Where(c => c.WebhookId == id && c.Status == status).Sum(c => c.Count);
        return hooks.Select(h => new WebhookRow(h.Id, h.Name, h.Url, h.Events, h.IsActive, h.SecretHint, h.SecretCreatedAt,
            Count(h.Id, WebhookDeliveryStatus.Pending), Count(h.Id, WebhookDeliveryStatus.Failed), versions.GetValueOrDefault(h.Id))).ToList();
    }

    /// <summary>Registers a hook; returns its id and its secret, which is shown this once.</summary>
    public async Task<(Guid Id, string Secret)> CreateAsync(Actor actor, WebhookInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await validator.EnsureValidAsync(input, cancellationToken);
        var hook = Webhook.Create(input.Name!, input.Url!, input.Events, input.IsActive, options.Value.AllowHttpLoopback, actor.UserId, clock.GetUtcNow());
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        db.Webhooks.Add(hook);
        await db.SaveChangesAsync(cancellationToken);
        return (hook.Id, hook.Secret);
    }

    /// <summary>Changes a hook's name, address, events or whether it is on; <paramref name="version"/> is the one the admin saw.</summary>
    public async Task UpdateAsync(Actor actor, Guid id, uint version, WebhookInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await validator.EnsureValidAsync(input, cancellationToken);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var hook = await db.Webhooks.SingleOrDefaultAsync(h => h.Id == id, cancellationToken) ?? throw new RecordNotFoundException("webhook");
        db.ExpectVersion(hook, version);
        hook.Change(input.Name!, input.Url!, input.Events, input.IsActive, options.Value.AllowHttpLoopback);
        await db.SaveOrExplainConflictAsync("webhook", cancellationToken);
    }

    /// <summary>Gives the hook a new secret and returns it, shown this once; deliveries are signed with it from now on.</summary>
    public async Task<string> RotateSecretAsync(Actor actor, Guid id, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var hook = await db.Webhooks.SingleOrDefaultAsync(h => h.Id == id, cancellationToken) ?? throw new RecordNotFoundException("webhook");
        var secret = hook.RotateSecret(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    /// <summary>The hook's latest deliveries, newest first.</summary>
    public async Task<IReadOnlyList<WebhookDeliveryRow>> DeliveriesAsync(Actor actor, Guid webhookId, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.WebhookId == webhookId)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.OccurredAt)
            .Take(RecentDeliveries)
            .Select(d => new WebhookDeliveryRow(d.Id, d.EventId, d.EventType, d.OccurredAt, d.Status, d.Attempts, d.LastAttemptAt,
                d.LastStatusCode, d.LastError, d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null, d.DeliveredAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Every try of one delivery, in order.</summary>
    public async Task<IReadOnlyList<WebhookAttemptRow>> AttemptsAsync(Actor actor, Guid deliveryId, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.WebhookAttempts.AsNoTracking()
            .Where(a => a.DeliveryId == deliveryId)
            .OrderBy(a => a.Number).ThenBy(a => a.AttemptedAt)
            .Select(a => new WebhookAttemptRow(a.Number, a.AttemptedAt, a.StatusCode, a.ResponseBody, a.DurationMs, a.Error, a.Succeeded))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Queues a delivery again now, with the same event id and body (receivers ignore a repeat by its id), and a fresh count
    /// of tries; its earlier tries stay on record.
    /// </summary>
    public async Task SendAgainAsync(Actor actor, Guid deliveryId, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.WebhookDeliveries.Where(d => d.Id == deliveryId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.Status, WebhookDeliveryStatus.Pending)
            .SetProperty(d => d.Attempts, 0)
            .SetProperty(d => d.NextAttemptAt, now)
            .SetProperty(d => d.DeliveredAt, (DateTimeOffset?)null), cancellationToken);
        if (changed == 0)
            throw new RecordNotFoundException("delivery");
        dispatcher?.Wake();
    }
}

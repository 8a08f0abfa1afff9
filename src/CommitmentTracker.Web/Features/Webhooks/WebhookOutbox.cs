using System.Text.Json;
using System.Text.Json.Serialization;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Integrations;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CommitmentTracker.Web.Features.Webhooks;

/// <summary>
/// The one handler of the domain events webhooks tell of: inside every save, turns the events the aggregates recorded
/// (a promise at risk, late, kept or broken; a deal's stage move; a recovery plan opened or closed) into one delivery
/// row per active hook subscribed to it. The rows are part of the save's transaction: a save that fails writes none, and
/// a stored change always has its deliveries. Registered after risk, so it sees the rises and plans risk added.
/// </summary>
public sealed class WebhookOutbox : SaveChangesInterceptor
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not AppDbContext db)
            return result;
        var raised = db.ChangeTracker.Entries<IHasDomainEvents>()
            .SelectMany(e => e.Entity.DomainEvents.Select(ev => (Kind: KindOf(ev), Source: e.Entity, Event: ev)))
            .Where(x => x.Kind is not null)
            .ToList();
        if (raised.Count == 0)
            return result;
        var hooks = (await db.Webhooks.AsNoTracking().Where(h => h.IsActive).ToListAsync(cancellationToken))
            .Where(h => raised.Any(r => h.IsSubscribedTo(r.Kind!.Value))).ToList();
        if (hooks.Count == 0)
            return result;

        var deals = await DealsAsync(db, raised.Select(r => DealIdOf(r.Event)).ToHashSet(), cancellationToken);
        var now = db.SaveTime;
        foreach (var (kind, source, domainEvent) in raised)
        {
            var subscribed = hooks.Where(h => h.IsSubscribedTo(kind!.Value)).ToList();
            if (subscribed.Count == 0)
                continue;
            var eventId = Guid.NewGuid();
            var type = WebhookEvents.WireName(kind!.Value);
            var body = JsonSerializer.Serialize(new
            {
                id = eventId,
                type,
                occurredAt = domainEvent.OccurredAt,
                data = Data(domainEvent, source, deals.GetValueOrDefault(DealIdOf(domainEvent))),
            }, Json);
            foreach (var hook in subscribed)
            {
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    WebhookId = hook.Id,
                    EventId = eventId,
                    EventType = type,
                    Body = body,
                    OccurredAt = domainEvent.OccurredAt,
                    CreatedAt = now,
                    Status = WebhookDeliveryStatus.Pending,
                    NextAttemptAt = now,
                });
            }
        }
        return result;
    }

    /// <summary>Which webhook event a domain event is, if any.</summary>
    public static WebhookEvent? KindOf(IDomainEvent domainEvent) => domainEvent switch
    {
        PromiseRose { To: RiskLevel.AtRisk } => WebhookEvent.PromiseAtRisk,
        PromiseRose { To: RiskLevel.Late } => WebhookEvent.PromiseLate,
        PromiseStatusChanged { IsKept: true } => WebhookEvent.PromiseKept,
        PromiseStatusChanged { To: CommitmentStatus.Broken } => WebhookEvent.PromiseBroken,
        DealStageChanged => WebhookEvent.DealStageChanged,
        RecoveryPlanOpened => WebhookEvent.RecoveryPlanOpened,
        RecoveryPlanClosed => WebhookEvent.RecoveryPlanClosed,
        _ => null,
    };

    private static Guid DealIdOf(IDomainEvent domainEvent) => domainEvent switch
    {
        PromiseRose e => e.DealId,
        PromiseStatusChanged e => e.DealId,
        DealStageChanged e => e.DealId,
        RecoveryPlanOpened e => e.DealId,
        RecoveryPlanClosed e => e.DealId,
        _ => Guid.Empty,
    };

    /// <summary>The plain facts of the event: ids, names, dates and states; never notes, reasons or people's details.</summary>
    private static object Data(IDomainEvent domainEvent, object source, DealFacts? deal) => domainEvent switch
    {
        PromiseRose e => new { promise = Promise((Commitment)source), deal, previousRiskLevel = e.From, riskLevel = e.To },
        PromiseStatusChanged e => new { promise = Promise((Commitment)source), deal, previousStatus = e.From, status = e.To },
        DealStageChanged e => new { deal = deal ?? DealFacts.Of((Deal)source), previousStage = e.From, stage = e.To },
        RecoveryPlanOpened e => new { recoveryPlan = Plan((RecoveryPlan)source), deal, level = e.Level },
        RecoveryPlanClosed e => new { recoveryPlan = Plan((RecoveryPlan)source), deal, rootCause = e.RootCause, department = e.Department },
        _ => new { },
    };

    private static object Promise(Commitment c) => new
    {
        id = c.Id,
        dealId = c.DealId,
        direction = c.Direction,
        kind = c.Kind,
        description = c.Description,
        department = c.Department,
        promisedDate = c.PromisedDate,
        needDate = c.NeedDate,
        completedOn = c.CompletedOn,
        status = c.Status,
        riskLevel = c.RiskLevel,
    };

    private static object Plan(RecoveryPlan p) => new
    {
        id = p.Id,
        promiseId = p.CommitmentId,
        dealId = p.DealId,
        level = p.Level,
        detectedAt = p.DetectedAt,
        openedAt = p.OpenedAt,
        resolvedAt = p.ResolvedAt,
    };

    /// <summary>The deal as a delivery shows it.</summary>
    internal sealed record DealFacts(Guid Id, Guid AccountId, string Title, DealStage Stage, decimal Value, string Currency, string? PurchaseOrderReference, LostReason? LostReason)
    {
        public static DealFacts Of(Deal d) => new(d.Id, d.AccountId, d.Title, d.Stage, d.Value.Amount, d.Value.Currency, d.PurchaseOrderReference, d.LostReason);
    }

    /// <summary>The events' deals: from this save when it holds them (a new deal), else read once.</summary>
    private static async Task<Dictionary<Guid, DealFacts>> DealsAsync(AppDbContext db, HashSet<Guid> dealIds, CancellationToken cancellationToken)
    {
        var deals = db.ChangeTracker.Entries<Deal>().Where(e => dealIds.Contains(e.Entity.Id))
            .ToDictionary(e => e.Entity.Id, e => DealFacts.Of(e.Entity));
        var stored = dealIds.Where(id => !deals.ContainsKey(id)).ToList();
        if (stored.Count > 0)
        {
            foreach (var d in await db.Deals.AsNoTracking().Where(d => stored.Contains(d.Id)).ToListAsync(cancellationToken))
                deals[d.Id] = DealFacts.Of(d);
        }
        return deals;
    }
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Promises;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>A promise logged on a deal. An aggressive date (sooner than the kind's lead time) waits for the manager unless a reason is written.</summary>
public sealed record NewPromiseRequest(
    CommitmentDirection Direction, CommitmentKind Kind, string? Description, string? OwnerId, Department? Department,
    DateOnly? PromisedDate, DateOnly? NeedDate, Guid? AcknowledgedByContactId, CommunicationChannel? AcknowledgementChannel,
    string? AggressiveReason);

/// <summary>A new promised date agreed with the customer before the old one passed.</summary>
public sealed record RenegotiationRequest(DateOnly? NewDate, string? AgreedWith, DateOnly? AgreedOn, string? Reason);

/// <summary>The promise is cancelled by agreement with the customer; <c>confirmed</c> says it was agreed, not dropped.</summary>
public sealed record WaiverRequest(string? Reason, bool Confirmed);

/// <summary>/api/v1/promises and /api/v1/deals/{id}/promises: promises through <see cref="PromisesService"/>; reads by the deals' access rule.</summary>
public static class PromisesEndpoints
{
    public static readonly string[] Sortable = ["promisedDate", "createdAt", "risk", "status"];

    public static void MapPromises(this RouteGroupBuilder api)
    {
        var promises = api.MapGroup("/promises").WithTags("Promises");

        promises.MapGet("", async (HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid? dealId, CommitmentStatus? status,
            CommitmentDirection? direction, CommitmentKind? kind, RiskLevel? riskLevel, DateOnly? promisedFrom, DateOnly? promisedTo,
            string? sort, int? page, int? pageSize, CancellationToken ct) =>
        {
            var request = ApiPaging.Request(page, pageSize, sort, Sortable);
            var actor = ApiCaller.Of(http).Actor;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            // The same rule as every list of promises in the app: the owners whose deals the caller may see (null: all).
            var owners = await db.OwnersVisibleToAsync(actor, ct);
            var query = db.Commitments.AsNoTracking();
            if (owners is not null)
                query = query.Where(c => owners.Contains(c.DealOwnerId));
            if (dealId is { } deal)
                query = query.Where(c => c.DealId == deal);
            if (status is { } s)
                query = query.Where(c => c.Status == s);
            if (direction is { } dir)
                query = query.Where(c => c.Direction == dir);
            if (kind is { } k)
                query = query.Where(c => c.Kind == k);
            if (riskLevel is { } level)
                query = query.Where(c => c.RiskLevel == level);
            if (promisedFrom is { } from)
                query = query.Where(c => c.PromisedDate >= from);
            if (promisedTo is { } to)
                query = query.Where(c => c.PromisedDate <= to);
            var total = await query.CountAsync(ct);
            var sorted = (request.SortBy, request.Descending) switch
            {
                ("createdAt", false) => query.OrderBy(c => c.CreatedAt),
                ("createdAt", true) => query.OrderByDescending(c => c.CreatedAt),
                ("risk", false) => query.OrderBy(c => c.RiskLevel == RiskLevel.Late ? 0 : c.RiskLevel == RiskLevel.AtRisk ? 1 : c.RiskLevel == RiskLevel.Watch ? 2 : 3).ThenBy(c => c.PromisedDate),
                ("risk", true) => query.OrderByDescending(c => c.RiskLevel == RiskLevel.Late ? 0 : c.RiskLevel == RiskLevel.AtRisk ? 1 : c.RiskLevel == RiskLevel.Watch ? 2 : 3).ThenBy(c => c.PromisedDate),
                ("status", false) => query.OrderBy(c => c.Status).ThenBy(c => c.PromisedDate),
                ("status", true) => query.OrderByDescending(c => c.Status).ThenBy(c => c.PromisedDate),
                ("promisedDate", true) => query.OrderByDescending(c => c.PromisedDate),
                _ => query.OrderBy(c => c.PromisedDate),
            };
            var items = await sorted.ThenBy(c => c.Id).Skip(request.Skip).Take(request.Take)
                .Select(c => new PromiseSummary(c.Id, c.DealId, db.Deals.Where(d => d.Id == c.DealId).Select(d => d.Title).First(),
                    c.Direction, c.Kind, c.Description, c.OwnerId, c.Department, c.PromisedDate, c.NeedDate, c.Status, c.RiskLevel, c.CreatedAt))
                .ToListAsync(ct);
            return TypedResults.Ok(ApiPaging.Of(http, request, items, total));
        }).WithName("ListPromises").WithSummary("Lists the promises on deals you may see, a page at a time")
          .WithDescription("Filters: dealId, status, direction, kind, riskLevel, promisedFrom, promisedTo. Sort: " + string.Join(", ", Sortable) + " (prefix - for descending); default: promisedDate.");

        promises.MapGet("/{id:guid}", async (HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid id, CancellationToken ct) =>
            TypedResults.Ok(await ReadAsync(http, dbFactory, id, ct)))
            .WithName("GetPromise").WithSummary("Gets a promise with its milestones; the ETag is the promise's version");

        promises.MapGet("/{id:guid}/risk", async (HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid id, CancellationToken ct) =>
        {
            var (promise, _) = await LoadAsync(http, dbFactory, id, ct);
            return TypedResults.Ok(new RiskResource(promise.Id, promise.RiskLevel, promise.RiskReasons, promise.RiskSince, promise.RiskEvaluatedAt));
        }).WithName("GetPromiseRisk").WithSummary("Gets the promise's risk level and the reasons, worst first").WithTags("Risk");

        api.MapPost("/deals/{dealId:guid}/promises", async (HttpContext http, PromisesService service, IDbContextFactory<AppDbContext> dbFactory, Guid dealId, NewPromiseRequest body, CancellationToken ct) =>
        {
            var id = await service.AddAsync(ApiCaller.Of(http).Actor, dealId, new AddPromiseInput
            {
                Direction = body.Direction,
                Kind = body.Kind,
                Description = body.Description ?? "",
                OwnerId = body.OwnerId,
                Department = body.Department,
                PromisedDate = body.PromisedDate?.ToDateTime(TimeOnly.MinValue),
                NeedDate = body.NeedDate?.ToDateTime(TimeOnly.MinValue),
                AcknowledgedByContactId = body.AcknowledgedByContactId,
                AcknowledgementChannel = body.AcknowledgementChannel,
                AggressiveHandling = string.IsNullOrWhiteSpace(body.AggressiveReason) ? AggressiveHandling.AskManager : AggressiveHandling.WriteReason,
                AggressiveReason = body.AggressiveReason,
            }, ct);
            return TypedResults.Created($"{ApiRoutes.V1}/promises/{id}", await ReadAsync(http, dbFactory, id, ct));
        }).WithTags("Promises").WithName("CreatePromise").WithSummary("Logs a promise (ours or the customer's) on a deal");

        promises.MapPost("/{id:guid}/renegotiation", async (HttpContext http, PromisesService service, IDbContextFactory<AppDbContext> dbFactory, Guid id, RenegotiationRequest body, CancellationToken ct) =>
        {
            var (dealId, version) = await CheckVersionAsync(http, dbFactory, id, ct);
            await service.RenegotiateAsync(ApiCaller.Of(http).Actor, dealId, id, version, new RenegotiateInput
            {
                NewDate = body.NewDate?.ToDateTime(TimeOnly.MinValue),
                AgreedWith = body.AgreedWith ?? "",
                AgreedOn = body.AgreedOn?.ToDateTime(TimeOnly.MinValue),
                Reason = body.Reason ?? "",
            }, ct);
            return TypedResults.Ok(await ReadAsync(http, dbFactory, id, ct));
        }).WithName("RenegotiatePromise").WithSummary("Agrees a new promised date with the customer; needs If-Match");

        promises.MapPost("/{id:guid}/waiver", async (HttpContext http, PromisesService service, IDbContextFactory<AppDbContext> dbFactory, Guid id, WaiverRequest body, CancellationToken ct) =>
        {
            var (dealId, version) = await CheckVersionAsync(http, dbFactory, id, ct);
            await service.WaiveAsync(ApiCaller.Of(http).Actor, dealId, id, version, new WaiveInput { Reason = body.Reason ?? "", Confirmed = body.Confirmed }, ct);
            return TypedResults.Ok(await ReadAsync(http, dbFactory, id, ct));
        }).WithName("WaivePromise").WithSummary("Cancels the promise by agreement with the customer; needs If-Match");
    }

    /// <summary>The promise with its milestones, when the caller may see its deal (the deals' rule); 404 otherwise.</summary>
    internal static async Task<(Commitment Promise, uint Version)> LoadAsync(HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid id, CancellationToken ct)
    {
        var actor = ApiCaller.Of(http).Actor;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var promise = await db.Commitments.Include(c => c.Milestones.OrderBy(m => m.Position))
            .Where(c => db.Deals.VisibleTo(db, actor).Any(d => d.Id == c.DealId))
            .SingleOrDefaultAsync(c => c.Id == id, ct)
            ?? throw new RecordNotFoundException("promise");
        return (promise, db.VersionOf(promise));
    }

    internal static async Task<PromiseResource> ReadAsync(HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid id, CancellationToken ct)
    {
        var (promise, version) = await LoadAsync(http, dbFactory, id, ct);
        http.SetETag(version);
        return PromiseResource.Of(promise);
    }

    private static async Task<(Guid DealId, uint Version)> CheckVersionAsync(HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid id, CancellationToken ct)
    {
        var actor = ApiCaller.Of(http).Actor;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await db.Commitments.AsNoTracking()
            .Where(c => c.Id == id && db.Deals.VisibleTo(db, actor).Any(d => d.Id == c.DealId))
            .Select(c => new { c.DealId, Version = EF.Property<uint>(c, AppDbContext.Version) }).SingleOrDefaultAsync(ct)
            ?? throw new RecordNotFoundException("promise");
        var quoted = http.RequiredVersion("promise");
        ApiVersions.EnsureVersion(quoted, current.Version, "promise");
        return (current.DealId, quoted);
    }
}

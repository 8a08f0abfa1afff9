using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>A deal logged through the API: an existing account by id, or a new account by name.</summary>
public sealed record NewDealRequest(
    Guid? AccountId, string? NewAccountName, string? NewAccountIndustry, string? OwnerId, string? Title, decimal? Value, string? Currency,
    string? ExpectedOutcome, DateOnly? CloseDate);

/// <summary>The deal's own fields, replaced as a whole.</summary>
public sealed record DealDetailsRequest(string? Title, decimal? Value, string? Currency, string? ExpectedOutcome, DateOnly? CloseDate);

/// <summary>A stage move and what it needs: the PO reference (Ordered), payment date and reference (Paid), the reason (Lost).</summary>
public sealed record StageMoveRequest(DealStage Target, string? PurchaseOrderReference, DateOnly? PaymentDate, string? PaymentReference, LostReason? LostReason, string? LostNote);

/// <summary>/api/v1/deals: the deals the caller may see, through <see cref="DealsService"/> and its access rules.</summary>
public static class DealsEndpoints
{
    /// <summary>The sort fields of the list (the deals page's columns).</summary>
    public static readonly string[] Sortable = ["risk", "title", "account", "owner", "stage", "value", "daysInStage"];

    public static void MapDeals(this RouteGroupBuilder api)
    {
        var deals = api.MapGroup("/deals").WithTags("Deals");

        deals.MapGet("", async (HttpContext http, DealsService service, DealStage? stage, string? search, string? sort, int? page, int? pageSize, CancellationToken ct) =>
        {
            var request = ApiPaging.Request(page, pageSize, sort, Sortable);
            var result = await service.ListAsync(ApiCaller.Of(http).Actor, new DealListQuery(stage, search), request, ct);
            var items = result.Items.Select(r => new DealSummary(r.Id, r.Title, r.AccountName, r.OwnerName, r.Stage, r.Value, r.Currency,
                r.NextPromisedDate, r.StageEnteredAt, r.OpenPromises, r.BrokenPromises, r.WorstRisk)).ToList();
            return TypedResults.Ok(ApiPaging.Of(http, request, items, result.TotalCount));
        }).WithName("ListDeals").WithSummary("Lists the deals you may see, a page at a time")
          .WithDescription("Filters: stage, search (title, account or owner). Sort: " + string.Join(", ", Sortable) + " (prefix - for descending); default: what needs attention first.");

        deals.MapGet("/{id:guid}", async (HttpContext http, DealsService service, Guid id, CancellationToken ct) =>
            TypedResults.Ok(await ReadAsync(http, service, id, ct)))
            .WithName("GetDeal").WithSummary("Gets a deal with its promises; the ETag guards the deal's own fields");

        deals.MapPost("", async (HttpContext http, DealsService service, NewDealRequest body, CancellationToken ct) =>
        {
            var id = await service.CreateAsync(ApiCaller.Of(http).Actor, new NewDealInput
            {
                AccountId = body.AccountId,
                NewAccountName = body.NewAccountName,
                NewAccountIndustry = body.NewAccountIndustry,
                OwnerId = body.OwnerId,
                Title = body.Title ?? "",
                Value = body.Value,
                Currency = body.Currency ?? "",
                ExpectedOutcome = body.ExpectedOutcome ?? "",
                CloseDate = body.CloseDate?.ToDateTime(TimeOnly.MinValue),
            }, ct);
            return TypedResults.Created($"{ApiRoutes.V1}/deals/{id}", await ReadAsync(http, service, id, ct));
        }).WithName("CreateDeal").WithSummary("Logs a deal at close (Verbal), with the current checklist");

        deals.MapPut("/{id:guid}", async (HttpContext http, DealsService service, IDbContextFactory<AppDbContext> dbFactory, Guid id, DealDetailsRequest body, CancellationToken ct) =>
        {
            var actor = ApiCaller.Of(http).Actor;
            var version = await CheckVersionAsync(http, dbFactory, actor, id, ct);
            await service.UpdateDetailsAsync(actor, id, version, new DealDetailsInput
            {
                Title = body.Title ?? "",
                Value = body.Value,
                Currency = body.Currency ?? "",
                ExpectedOutcome = body.ExpectedOutcome ?? "",
                CloseDate = body.CloseDate?.ToDateTime(TimeOnly.MinValue),
            }, ct);
            return TypedResults.Ok(await ReadAsync(http, service, id, ct));
        }).WithName("UpdateDeal").WithSummary("Replaces the deal's own fields; needs If-Match");

        deals.MapPost("/{id:guid}/stage", async (HttpContext http, DealsService service, IDbContextFactory<AppDbContext> dbFactory, Guid id, StageMoveRequest body, CancellationToken ct) =>
        {
            var actor = ApiCaller.Of(http).Actor;
            var version = await CheckVersionAsync(http, dbFactory, actor, id, ct);
            await service.MoveAsync(actor, id, version, new StageMoveInput
            {
                Target = body.Target,
                PurchaseOrderReference = body.PurchaseOrderReference,
                PaymentDate = body.PaymentDate?.ToDateTime(TimeOnly.MinValue),
                PaymentReference = body.PaymentReference,
                LostReason = body.LostReason,
                LostNote = body.LostNote,
            }, ct);
            return TypedResults.Ok(await ReadAsync(http, service, id, ct));
        }).WithName("MoveDealStage").WithSummary("Moves the deal to Ordered, Delivered, Paid or Lost; the gates apply; needs If-Match");
    }

    /// <summary>The deal as the caller may see it, with its ETag set; 404 when out of reach.</summary>
    internal static async Task<DealResource> ReadAsync(HttpContext http, DealsService service, Guid id, CancellationToken ct)
    {
        var view = await service.GetAsync(ApiCaller.Of(http).Actor, id, ct) ?? throw new RecordNotFoundException("deal");
        var deal = view.Deal;
        http.SetETag(view.VersionOf(deal.Id));
        return new DealResource(
            deal.Id, deal.AccountId, view.Account.Name, deal.Title, deal.OwnerId, view.NameOf(deal.OwnerId), deal.Value.Amount, deal.Value.Currency,
            deal.ExpectedOutcome, deal.CloseDate, deal.Stage, deal.StageEnteredAt, deal.PurchaseOrderReference, deal.PaymentReference,
            deal.PaymentDate, deal.LostReason, deal.LostNote, deal.CreatedAt,
            deal.Stage == DealStage.Verbal ? deal.WhyCannotAdvance(DealStage.Ordered, "PO") : [],
            deal.Commitments.OrderBy(c => c.PromisedDate).ThenBy(c => c.CreatedAt).Select(PromiseResource.Of).ToList());
    }

    /// <summary>The quoted version, refused with 428 when missing and 412 when stale; 404 when the deal is out of the caller's sight.</summary>
    private static async Task<uint> CheckVersionAsync(HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Actor actor, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var current = await db.Deals.AsNoTracking().VisibleTo(db, actor).Where(d => d.Id == id)
            .Select(d => (uint?)EF.Property<uint>(d, AppDbContext.Version)).SingleOrDefaultAsync(ct)
            ?? throw new RecordNotFoundException("deal");
        var quoted = http.RequiredVersion("deal");
        ApiVersions.EnsureVersion(quoted, current, "deal");
        return quoted;
    }
}

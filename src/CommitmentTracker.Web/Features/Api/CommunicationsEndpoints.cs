using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Web.Features.Communications;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>An entry of a deal's communication log (append-only: a correction is a new entry pointing to the earlier one).</summary>
public sealed record CommunicationResource(
    Guid Id, Guid DealId, Guid? CommitmentId, CommunicationChannel Channel, CommunicationDirection Direction, string People, string Summary,
    DateTimeOffset OccurredAt, string LoggedBy, DateTimeOffset LoggedAt, Guid? CorrectsEntryId);

/// <summary>A communication logged on a deal: the day and time it happened, read in <c>timeZone</c> (an IANA id; default UTC).</summary>
public sealed record NewCommunicationRequest(
    Guid? CommitmentId, CommunicationChannel Channel, CommunicationDirection Direction, string? People, string? Summary,
    DateOnly? OccurredOn, TimeSpan? OccurredAt, string? TimeZone);

/// <summary>The corrected summary; the corrected entry stays as it was.</summary>
public sealed record CorrectionRequest(string? Summary);

/// <summary>/api/v1/deals/{id}/communications and /api/v1/communications: the log through <see cref="CommunicationsService"/>.</summary>
public static class CommunicationsEndpoints
{
    public static void MapCommunications(this RouteGroupBuilder api)
    {
        api.MapGet("/deals/{dealId:guid}/communications", async (HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid dealId, int? page, int? pageSize, CancellationToken ct) =>
        {
            var request = ApiPaging.Request(page, pageSize, null, []);
            var actor = ApiCaller.Of(http).Actor;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (!await db.Deals.VisibleTo(db, actor).AnyAsync(d => d.Id == dealId, ct))
                throw new RecordNotFoundException("deal");
            var entries = db.CommunicationEntries.AsNoTracking().Where(e => e.DealId == dealId);
            var total = await entries.CountAsync(ct);
            var items = await entries.OrderByDescending(e => e.OccurredAt).ThenBy(e => e.Id).Skip(request.Skip).Take(request.Take)
                .Select(e => new CommunicationResource(e.Id, e.DealId, e.CommitmentId, e.Channel, e.Direction, e.People, e.Summary, e.OccurredAt, e.LoggedBy, e.LoggedAt, e.CorrectsEntryId))
                .ToListAsync(ct);
            return TypedResults.Ok(ApiPaging.Of(http, request, items, total));
        }).WithTags("Communications").WithName("ListCommunications").WithSummary("Lists a deal's communication log, newest first, a page at a time");

        api.MapPost("/deals/{dealId:guid}/communications", async (HttpContext http, CommunicationsService service, IDbContextFactory<AppDbContext> dbFactory, Guid dealId, NewCommunicationRequest body, CancellationToken ct) =>
        {
            var id = await service.LogAsync(ApiCaller.Of(http).Actor, dealId, new LogCommunicationInput
            {
                CommitmentId = body.CommitmentId,
                Channel = body.Channel,
                Direction = body.Direction,
                People = body.People ?? "",
                Summary = body.Summary ?? "",
                OccurredOn = body.OccurredOn?.ToDateTime(TimeOnly.MinValue),
                OccurredAt = body.OccurredAt,
                TimeZone = body.TimeZone ?? "Etc/UTC",
            }, ct);
            return TypedResults.Created($"{ApiRoutes.V1}/communications/{id}", await ReadAsync(http, dbFactory, id, ct));
        }).WithTags("Communications").WithName("LogCommunication").WithSummary("Logs a communication on a deal (the deal's rep or their manager)");

        api.MapGet("/communications/{id:guid}", async (HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid id, CancellationToken ct) =>
            TypedResults.Ok(await ReadAsync(http, dbFactory, id, ct)))
            .WithTags("Communications").WithName("GetCommunication").WithSummary("Gets one entry of a communication log");

        api.MapPost("/communications/{id:guid}/corrections", async (HttpContext http, CommunicationsService service, IDbContextFactory<AppDbContext> dbFactory, Guid id, CorrectionRequest body, CancellationToken ct) =>
        {
            var correction = await service.CorrectAsync(ApiCaller.Of(http).Actor, id, new CorrectCommunicationInput { Summary = body.Summary ?? "" }, ct);
            return TypedResults.Created($"{ApiRoutes.V1}/communications/{correction}", await ReadAsync(http, dbFactory, correction, ct));
        }).WithTags("Communications").WithName("CorrectCommunication").WithSummary("Corrects an entry with a new entry that points to it");
    }

    private static async Task<CommunicationResource> ReadAsync(HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid id, CancellationToken ct)
    {
        var actor = ApiCaller.Of(http).Actor;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.CommunicationEntries.AsNoTracking()
            .Where(e => e.Id == id && db.Deals.VisibleTo(db, actor).Any(d => d.Id == e.DealId))
            .Select(e => new CommunicationResource(e.Id, e.DealId, e.CommitmentId, e.Channel, e.Direction, e.People, e.Summary, e.OccurredAt, e.LoggedBy, e.LoggedAt, e.CorrectsEntryId))
            .SingleOrDefaultAsync(ct) ?? throw new RecordNotFoundException("communication entry");
    }
}

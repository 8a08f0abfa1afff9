using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>A step added to a promise's plan.</summary>
public sealed record NewMilestoneRequest(string? Title, string? AssigneeId, DateOnly? PlannedDate);

/// <summary>A fulfilment update: status, forecast, note (and what each status needs: a reason when blocked or skipped, the completion date when done).</summary>
public sealed record MilestoneUpdateRequest(
    MilestoneStatus Status, DateOnly? ForecastDate, DateOnly? CompletedOn, string? Reason, string? Note, string? ConfirmedBy, CommunicationChannel? ConfirmedVia);

/// <summary>/api/v1/milestones and /api/v1/promises/{id}/milestones: through <see cref="MilestonePlanService"/> and <see cref="FulfilmentService"/>.</summary>
public static class MilestonesEndpoints
{
    public static void MapMilestones(this RouteGroupBuilder api)
    {
        var milestones = api.MapGroup("/milestones").WithTags("Milestones");

        api.MapGet("/promises/{promiseId:guid}/milestones", async (HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid promiseId, CancellationToken ct) =>
        {
            var (promise, _) = await PromisesEndpoints.LoadAsync(http, dbFactory, promiseId, ct);
            return TypedResults.Ok(promise.Milestones.OrderBy(m => m.Position).Select(MilestoneResource.Of).ToList());
        }).WithTags("Milestones").WithName("ListMilestones").WithSummary("Lists a promise's milestones in plan order");

        api.MapPost("/promises/{promiseId:guid}/milestones", async (HttpContext http, MilestonePlanService plans, IDbContextFactory<AppDbContext> dbFactory, Guid promiseId, NewMilestoneRequest body, CancellationToken ct) =>
        {
            var actor = ApiCaller.Of(http).Actor;
            if (string.IsNullOrWhiteSpace(body.Title) || body.PlannedDate is null)
                throw new FluentValidation.ValidationException(new[]
                {
                    string.IsNullOrWhiteSpace(body.Title) ? new FluentValidation.Results.ValidationFailure("title", "Give the step a title.") : null,
                    body.PlannedDate is null ? new FluentValidation.Results.ValidationFailure("plannedDate", "Enter the planned date.") : null,
                }.OfType<FluentValidation.Results.ValidationFailure>());
            var before = (await PromisesEndpoints.LoadAsync(http, dbFactory, promiseId, ct)).Promise.Milestones.Select(m => m.Id).ToHashSet();
            await plans.AddAsync(actor, promiseId, body.Title, body.AssigneeId, body.PlannedDate.Value, ct);
            var added = (await PromisesEndpoints.LoadAsync(http, dbFactory, promiseId, ct)).Promise.Milestones.First(m => !before.Contains(m.Id));
            return TypedResults.Created($"{ApiRoutes.V1}/milestones/{added.Id}", await ReadAsync(http, dbFactory, added.Id, ct));
        }).WithTags("Milestones").WithName("AddMilestone").WithSummary("Adds a step to a promise's plan (the deal's rep, their manager, or service staff)");

        milestones.MapGet("/{id:guid}", async (HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid id, CancellationToken ct) =>
            TypedResults.Ok(await ReadAsync(http, dbFactory, id, ct)))
            .WithName("GetMilestone").WithSummary("Gets a milestone; the ETag is the milestone's version");

        milestones.MapGet("/{id:guid}/updates", async (HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid id, CancellationToken ct) =>
        {
            var actor = ApiCaller.Of(http).Actor;
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var milestone = await Visible(db, actor).Include(m => m.Updates).SingleOrDefaultAsync(m => m.Id == id, ct)
                ?? throw new RecordNotFoundException("milestone");
            return TypedResults.Ok(milestone.Updates.OrderBy(u => u.At).Select(u =>
                new MilestoneUpdateResource(u.Id, u.MilestoneId, u.ByUserId, u.At, u.OldStatus, u.NewStatus, u.OldForecast, u.NewForecast, u.Note)).ToList());
        }).WithName("ListMilestoneUpdates").WithSummary("Lists every recorded change of the milestone's status or forecast, oldest first");

        milestones.MapPost("/{id:guid}/updates", async (HttpContext http, FulfilmentService fulfilment, IDbContextFactory<AppDbContext> dbFactory, Guid id, MilestoneUpdateRequest body, CancellationToken ct) =>
        {
            var actor = ApiCaller.Of(http).Actor;
            uint current;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                current = await Visible(db, actor).Where(m => m.Id == id).Select(m => (uint?)EF.Property<uint>(m, AppDbContext.Version)).SingleOrDefaultAsync(ct)
                    ?? throw new RecordNotFoundException("milestone");
            }
            var quoted = http.RequiredVersion("milestone");
            ApiVersions.EnsureVersion(quoted, current, "milestone");
            await fulfilment.UpdateAsync(actor, new MilestoneRef(id, quoted), new MilestoneUpdateInput
            {
                Status = body.Status,
                ForecastDate = body.ForecastDate?.ToDateTime(TimeOnly.MinValue),
                CompletedOn = body.CompletedOn?.ToDateTime(TimeOnly.MinValue),
                Reason = body.Reason,
                Note = body.Note,
                ConfirmedBy = body.ConfirmedBy,
                ConfirmedVia = body.ConfirmedVia ?? CommunicationChannel.Email,
            }, ct);
            return TypedResults.Ok(await ReadAsync(http, dbFactory, id, ct));
        }).WithName("UpdateMilestone").WithSummary("Records a fulfilment update (service staff: assigned to them or unassigned in their department); needs If-Match");
    }

    /// <summary>Milestones of promises on deals the caller may see (the deals' rule).</summary>
    private static IQueryable<Milestone> Visible(AppDbContext db, Actor actor) =>
        db.Milestones.Where(m => db.Commitments.Any(c => c.Id == m.CommitmentId && db.Deals.VisibleTo(db, actor).Any(d => d.Id == c.DealId)));

    private static async Task<MilestoneResource> ReadAsync(HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var milestone = await Visible(db, ApiCaller.Of(http).Actor).SingleOrDefaultAsync(m => m.Id == id, ct)
            ?? throw new RecordNotFoundException("milestone");
        http.SetETag(db.VersionOf(milestone));
        return MilestoneResource.Of(milestone);
    }
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Recovery;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>A step of a recovery plan.</summary>
public sealed record RecoveryStepResource(RecoveryStepKind Kind, int Position, string OwnerId, DateTimeOffset DueAt, DateTimeOffset? DoneAt, string? Notes);

/// <summary>A recovery plan, read-only: what was detected, the steps, the chosen option, the root cause once closed.</summary>
public sealed record RecoveryPlanResource(
    Guid Id, Guid DealId, Guid CommitmentId, RiskLevel Level, DateTimeOffset DetectedAt, DateTimeOffset ManagerAlertedAt,
    DateTimeOffset? ManagerAcknowledgedAt, DateTimeOffset? CustomerToldAt, DateOnly? ForecastDate, DateOnly? NeedDate, bool? BufferAbsorbsSlip,
    string? ChosenOption, bool? SolutionAccepted, bool? CustomerForgave, RootCause? RootCause, Department? RootCauseDepartment, string? Lesson,
    DateTimeOffset? ResolvedAt, IReadOnlyList<RecoveryStepResource> Steps);

/// <summary>/api/v1/recovery-plans (read): through <see cref="RecoveryService"/>, on the deals the caller may see.</summary>
public static class RecoveryPlansEndpoints
{
    public static void MapRecoveryPlans(this RouteGroupBuilder api)
    {
        var plans = api.MapGroup("/recovery-plans").WithTags("Recovery plans");

        plans.MapGet("", async (HttpContext http, RecoveryService service, RecoveryListFilter? state, int? page, int? pageSize, CancellationToken ct) =>
        {
            var request = ApiPaging.Request(page, pageSize, null, []);
            // The service reads the list the recovery page shows (at most 500, open ones first, overdue first); paged here.
            var rows = await service.ListAsync(ApiCaller.Of(http).Actor, state ?? RecoveryListFilter.Open, ct);
            return TypedResults.Ok(ApiPaging.Of(http, request, rows.Skip(request.Skip).Take(request.Take).ToList(), rows.Count));
        }).WithName("ListRecoveryPlans").WithSummary("Lists recovery plans on deals you may see (state: Open, Closed or All), most urgent first");

        plans.MapGet("/{id:guid}", async (HttpContext http, RecoveryService service, Guid id, CancellationToken ct) =>
        {
            var view = await service.GetAsync(ApiCaller.Of(http).Actor, id, ct);
            var plan = view.Plan;
            http.SetETag(view.Version);
            return TypedResults.Ok(new RecoveryPlanResource(
                plan.Id, plan.DealId, plan.CommitmentId, plan.Level, plan.DetectedAt, plan.ManagerAlertedAt, plan.ManagerAcknowledgedAt,
                plan.CustomerToldAt, plan.ForecastDate, plan.NeedDate, plan.BufferAbsorbsSlip,
                plan.Options.FirstOrDefault(o => o.IsChosen)?.Description, plan.SolutionAccepted, plan.CustomerForgave, plan.RootCause,
                plan.RootCauseDepartment, plan.Lesson, plan.ResolvedAt,
                plan.Steps.OrderBy(s => s.Position).Select(s => new RecoveryStepResource(s.Kind, s.Position, s.OwnerId, s.DueAt, s.DoneAt, s.Notes)).ToList()));
        }).WithName("GetRecoveryPlan").WithSummary("Gets a recovery plan with its steps");
    }
}

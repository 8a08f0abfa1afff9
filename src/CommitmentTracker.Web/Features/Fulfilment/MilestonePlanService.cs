using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Fulfilment;

/// <summary>A promise's milestone plan as the plan dialog shows it.</summary>
public sealed record MilestonePlan(
    Guid CommitmentId, string Description, CommitmentKind Kind, DateOnly PromisedDate, bool CanPlan,
    IReadOnlyList<PlannedMilestone> Milestones, IReadOnlyList<OwnerOptionRow> Assignees, IReadOnlyList<MilestoneTemplateStep> TemplateSteps);

/// <summary>One milestone in a plan, with the version the user sees.</summary>
public sealed record PlannedMilestone(Guid Id, int Position, string Title, string? AssigneeId, DateOnly PlannedDate, MilestoneStatus Status, bool IsCustomerAcceptance, bool HasUpdates, uint Version);

/// <summary>A service user who can be assigned a milestone.</summary>
public sealed record OwnerOptionRow(string Id, string Name, Domain.Department? Department);

/// <summary>Plans the milestones of a promise: from the template of its kind, then add, edit, remove, reorder.</summary>
public sealed class MilestonePlanService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<MilestonePlan> GetAsync(Actor actor, Guid commitmentId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var commitment = await db.Commitments.AsNoTracking().Include(c => c.Milestones.OrderBy(m => m.Position)).ThenInclude(m => m.Updates)
            .Where(c => db.Deals.VisibleTo(db, actor).Any(d => d.Id == c.DealId))
            .SingleOrDefaultAsync(c => c.Id == commitmentId, cancellationToken)
            ?? throw new RecordNotFoundException("promise");
        var versions = await db.Milestones.Where(m => m.CommitmentId == commitmentId)
            .Select(m => new { m.Id, Version = EF.Property<uint>(m, AppDbContext.Version) }).ToDictionaryAsync(m => m.Id, m => m.Version, cancellationToken);
        var assignees = await (from u in db.Users.AsNoTracking()
                               join ur in db.UserRoles on u.Id equals ur.UserId
                               join r in db.Roles on ur.RoleId equals r.Id
                               where r.Name == AppRoles.Service && u.IsActive
                               orderby u.DisplayName
                               select new OwnerOptionRow(u.Id, u.DisplayName, u.Department)).ToListAsync(cancellationToken);
        var template = await db.MilestoneTemplates.AsNoTracking().SingleOrDefaultAsync(t => t.Kind == commitment.Kind, cancellationToken);
        return new MilestonePlan(
            commitment.Id, commitment.Description, commitment.Kind, commitment.PromisedDate,
            MilestoneAccess.MayPlan(actor, await MayChangeDealAsync(db, actor, commitment.DealId, cancellationToken)) && WhyPlanIsFixed(commitment) is null,
            commitment.Milestones.Select(m => new PlannedMilestone(m.Id, m.Position, m.Title, m.AssigneeId, m.PlannedDate, m.Status, m.IsCustomerAcceptance, m.Updates.Count > 0, versions[m.Id])).ToList(),
            assignees,
            template?.Steps ?? []);
    }

    public Task PlanFromTemplateAsync(Actor actor, Guid commitmentId, string? assigneeId, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, commitmentId, null, async (db, commitment) =>
        {
            var template = await db.MilestoneTemplates.SingleOrDefaultAsync(t => t.Kind == commitment.Kind, cancellationToken)
                ?? throw new Domain.DomainException($"There is no {commitment.Kind.ToString().ToLowerInvariant()} plan template yet: ask an admin, or add the steps by hand.");
            commitment.PlanFromTemplate(template, assigneeId, Today);
        }, cancellationToken);

    public Task AddAsync(Actor actor, Guid commitmentId, string title, string? assigneeId, DateOnly plannedDate, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, commitmentId, null, (_, commitment) =>
        {
            commitment.AddMilestone(title, assigneeId, plannedDate);
            return Task.CompletedTask;
        }, cancellationToken);

    public Task EditAsync(Actor actor, Guid commitmentId, PlannedMilestone milestone, string title, string? assigneeId, DateOnly plannedDate, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, commitmentId, milestone, (_, commitment) =>
        {
            commitment.PlanMilestone(milestone.Id, title, assigneeId, plannedDate);
            return Task.CompletedTask;
        }, cancellationToken);

    public Task RemoveAsync(Actor actor, Guid commitmentId, PlannedMilestone milestone, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, commitmentId, milestone, (_, commitment) =>
        {
            commitment.RemoveMilestone(milestone.Id, Today);
            return Task.CompletedTask;
        }, cancellationToken);

    public Task MoveAsync(Actor actor, Guid commitmentId, PlannedMilestone milestone, int newPosition, CancellationToken cancellationToken = default) =>
        ChangeAsync(actor, commitmentId, milestone, (_, commitment) =>
        {
            commitment.MoveMilestone(milestone.Id, newPosition);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>
    /// Why the promise's milestone plan cannot change, whoever asks: the customer's promises have no plan of ours, and a
    /// closed promise's plan is history; null when it can change.
    /// </summary>
    public static string? WhyPlanIsFixed(Commitment commitment) =>
        commitment.Direction != CommitmentDirection.Ours ? "The customer's own promises have no milestone plan of ours."
        : commitment.IsClosed ? $"This promise is {Commitment.StatusLabel(commitment.Status)}; its milestone plan can no longer be changed."
        : null;

    private static Task<bool> MayChangeDealAsync(AppDbContext db, Actor actor, Guid dealId, CancellationToken cancellationToken) =>
        db.Deals.EditableBy(db, actor).AnyAsync(d => d.Id == dealId, cancellationToken);

    private async Task ChangeAsync(Actor actor, Guid commitmentId, PlannedMilestone? seen, Func<AppDbContext, Commitment, Task> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var commitment = await db.Commitments.Include(c => c.Milestones.OrderBy(m => m.Position)).ThenInclude(m => m.Updates)
            .Where(c => db.Deals.VisibleTo(db, actor).Any(d => d.Id == c.DealId))
            .SingleOrDefaultAsync(c => c.Id == commitmentId, cancellationToken)
            ?? throw new RecordNotFoundException("promise");
        if (!MilestoneAccess.MayPlan(actor, await MayChangeDealAsync(db, actor, commitment.DealId, cancellationToken)))
            throw new AccessDeniedException("Milestones are planned by service staff, or by the deal's rep and their manager.");
        if (WhyPlanIsFixed(commitment) is { } why)
            throw new Domain.DomainException(why);
        if (seen is not null)
            db.ExpectVersion(commitment.FindMilestone(seen.Id), seen.Version);
        await change(db, commitment);
        await db.SaveOrExplainConflictAsync("milestone plan", cancellationToken);
    }
}

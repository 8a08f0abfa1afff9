using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Communications;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Home;

/// <summary>A post-sale touchpoint that is due today or overdue.</summary>
public sealed record DueTouchpointRow(
    Guid TouchpointId, Guid DealId, string DealTitle, string AccountName, string OwnerName, TouchpointKind Kind, string Title,
    string? PromiseDescription, DateOnly DueOn, IReadOnlyList<PersonSuggestion> Contacts);

/// <summary>A promise, ours or the customer's, whose promised date is near or passed while it is not done.</summary>
public sealed record UpcomingPromiseRow(
    Guid CommitmentId, Guid DealId, string DealTitle, string AccountName, string OwnerName, CommitmentDirection Direction,
    CommitmentKind Kind, string Description, DateOnly PromisedDate, CommitmentStatus Status);

/// <summary>The next step of an open recovery plan that waits for the actor.</summary>
public sealed record RecoveryStepRow(
    Guid PlanId, string Promise, string DealTitle, string AccountName, Domain.Recovery.RecoveryStepKind Step, DateTimeOffset DueAt, bool IsOverdue, string OwnerName);

/// <summary>What a rep (or a manager, for the team) should act on today.</summary>
public sealed record HomeView(DateOnly Today, IReadOnlyList<DueTouchpointRow> Touchpoints, IReadOnlyList<UpcomingPromiseRow> Promises)
{
    /// <summary>Open recovery plans with a step waiting for the actor (a manager: every open plan of the team), first due first.</summary>
    public IReadOnlyList<RecoveryStepRow> RecoverySteps { get; init; } = [];
}

/// <summary>The rep's home: due and overdue touchpoints first, then the promises due in the next two weeks.</summary>
public sealed class HomeService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>How far ahead the home page looks for promised dates.</summary>
    public const int PromiseHorizonDays = 14;

    /// <summary>Enough for any real desk; a longer list is a sign to use the deals list instead.</summary>
    private const int MaxRows = 200;

    /// <summary>
    /// The actor's own deals (a manager: the team's). Touchpoints still open and due today or earlier; promises not yet
    /// kept or waived, promised within <see cref="PromiseHorizonDays"/> days (including those whose date passed). Lost deals are left out.
    /// </summary>
    public async Task<HomeView> GetAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var horizon = today.AddDays(PromiseHorizonDays);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deals = db.Deals.AsNoTracking().EditableBy(db, actor).Where(d => d.Stage != DealStage.Lost);

        var touchpoints = await (
            from t in db.Touchpoints.AsNoTracking()
            join d in deals on t.DealId equals d.Id
            join a in db.Accounts on d.AccountId equals a.Id
            join u in db.Users on d.OwnerId equals u.Id
            join c in db.Commitments on t.CommitmentId equals c.Id into about
            from c in about.DefaultIfEmpty()
            where t.CompletedAt == null && !t.IsCancelled && t.DueOn <= today
            orderby t.DueOn, d.Title, t.Kind
            select new { t.Id, DealId = d.Id, DealTitle = d.Title, AccountId = a.Id, AccountName = a.Name, OwnerName = u.DisplayName, t.Kind, Promise = c == null ? null : c.Description, t.DueOn })
            .Take(MaxRows).ToListAsync(cancellationToken);

        var accountIds = touchpoints.Select(t => t.AccountId).Distinct().ToList();
        var contacts = (await db.Contacts.AsNoTracking().Where(c => accountIds.Contains(c.AccountId)).ToListAsync(cancellationToken))
            .GroupBy(c => c.AccountId).ToDictionary(g => g.Key, g => PersonSuggestion.From(g));

        // Open promises start from the owners (a promise carries its deal's owner); none is on a lost deal (losing waives them).
        var dealOwners = await db.OwnersEditableByAsync(actor, cancellationToken);
        var promises = await (
            from c in db.Commitments.AsNoTracking()
            where dealOwners.Contains(c.DealOwnerId) && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken) && c.PromisedDate <= horizon
            join d in db.Deals on c.DealId equals d.Id
            join a in db.Accounts on d.AccountId equals a.Id
            join u in db.Users on d.OwnerId equals u.Id
            orderby c.PromisedDate, d.Title
            select new UpcomingPromiseRow(c.Id, d.Id, d.Title, a.Name, u.DisplayName, c.Direction, c.Kind, c.Description, c.PromisedDate, c.Status))
            .Take(MaxRows).ToListAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var plans = await (
            from p in db.RecoveryPlans.AsNoTracking().Include(p => p.Steps)
            join c in db.Commitments on p.CommitmentId equals c.Id
            join d in deals on p.DealId equals d.Id
            join a in db.Accounts on d.AccountId equals a.Id
            where p.ResolvedAt == null
            orderby p.DetectedAt
            select new { Plan = p, c.Description, d.Title, AccountName = a.Name })
            .AsSplitQuery().Take(MaxRows).ToListAsync(cancellationToken);
        // Per plan, the step the actor should work next (a manager: the team's plans).
        var waiting = plans
            .Select(p => (p.Plan, p.Description, p.Title, p.AccountName, Step: p.Plan.NextStepFor(actor.UserId, actor.IsManager)))
            .Where(p => p.Step is not null).ToList();
        var ownerIds = waiting.Select(p => p.Step!.OwnerId).Distinct().ToList();
        var owners = await db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var recoverySteps = waiting
            .Select(p => new RecoveryStepRow(p.Plan.Id, p.Description, p.Title, p.AccountName, p.Step!.Kind, p.Step.DueAt,
                p.Step.IsOverdue(now), owners.GetValueOrDefault(p.Step.OwnerId) ?? "someone"))
            .OrderBy(r => r.DueAt).ToList();

        return new HomeView(
            today,
            touchpoints.Select(t => new DueTouchpointRow(
                t.Id, t.DealId, t.DealTitle, t.AccountName, t.OwnerName, t.Kind, Touchpoint.TitleOf(t.Kind), t.Promise, t.DueOn,
                contacts.GetValueOrDefault(t.AccountId) ?? [])).ToList(),
            promises)
        {
            RecoverySteps = recoverySteps,
        };
    }
}

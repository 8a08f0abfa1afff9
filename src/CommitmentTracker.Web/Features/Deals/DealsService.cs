using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Calendars;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Deals;

/// <summary>One row of the deals list.</summary>
public sealed record DealListRow
{
    public Guid Id { get; init; }
    public string Title { get; init; } = "";
    public string AccountName { get; init; } = "";
    public string OwnerName { get; init; } = "";
    public string? OwnerEmail { get; init; }
    public DealStage Stage { get; init; }
    public decimal Value { get; init; }
    public string Currency { get; init; } = "";
    public string ExpectedOutcome { get; init; } = "";
    public DateOnly CloseDate { get; init; }
    public DateOnly? NextPromisedDate { get; init; }
    public DateTimeOffset StageEnteredAt { get; init; }
    public int OpenPromises { get; init; }
    public int BrokenPromises { get; init; }
    public int LatePromises { get; init; }
    public int AtRiskPromises { get; init; }
    public int WatchPromises { get; init; }

    /// <summary>The worst risk among the deal's open promises of ours.</summary>
    public Domain.Risk.RiskLevel WorstRisk => LatePromises > 0 ? Domain.Risk.RiskLevel.Late
        : AtRiskPromises > 0 ? Domain.Risk.RiskLevel.AtRisk
        : WatchPromises > 0 ? Domain.Risk.RiskLevel.Watch : Domain.Risk.RiskLevel.OnTrack;
}

/// <summary>Filters of the deals list.</summary>
public sealed record DealListQuery(DealStage? Stage = null, string? Search = null);

/// <summary>An account to pick when logging a deal.</summary>
public sealed record AccountOption(Guid Id, string Name, string? Industry)
{
    public override string ToString() => Name;
}

/// <summary>A user who may own a deal.</summary>
public sealed record OwnerOption(string Id, string Name);

/// <summary>Reads and changes deals for the signed-in user, within the access rules.</summary>
public sealed class DealsService(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    NewDealValidator newDealValidator,
    DealDetailsValidator detailsValidator,
    StageMoveValidator stageMoveValidator)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Logs a deal at close: Verbal, with the current checklist version and its post-sale touchpoints.</summary>
    public async Task<Guid> CreateAsync(Actor actor, NewDealInput input, CancellationToken cancellationToken = default)
    {
        if (!actor.IsRep && !actor.IsManager)
            throw new AccessDeniedException("Deals are logged by reps and their managers.");
        await newDealValidator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);

        var ownerId = input.OwnerId ?? actor.UserId;
        if (ownerId != actor.UserId && !(actor.IsManager && actor.TeamId is { } team
                && await db.Users.AnyAsync(u => u.Id == ownerId && u.TeamId == team && u.IsActive, cancellationToken)))
            throw new AccessDeniedException("A deal can be logged for a rep of your own team only.");

        Guid accountId;
        if (input.AccountId is { } existing)
        {
            accountId = await db.Accounts.Where(a => a.Id == existing).Select(a => (Guid?)a.Id).SingleOrDefaultAsync(cancellationToken)
                ?? throw new RecordNotFoundException("account");
        }
        else
        {
            var name = input.NewAccountName!.Trim();
            if (await db.Accounts.AnyAsync(a => EF.Functions.ILike(a.Name, SearchPattern.Escape(name), SearchPattern.EscapeCharacter), cancellationToken))
                throw new Domain.DomainException($"An account named {name} already exists: pick it from the list.");
            var account = Domain.Accounts.Account.Create(name, input.NewAccountIndustry, now);
            foreach (var c in input.NewContacts)
                account.AddContact(c.Name, c.Role, c.Email, c.Phone, c.MayContactTheirManager);
            db.Accounts.Add(account);
            accountId = account.Id;
        }

        var template = await db.ChecklistTemplates.Include(t => t.Items).SingleAsync(t => t.IsActive, cancellationToken);
        var deal = Deal.Create(accountId, input.Title, ownerId, Money.Of(input.Value!.Value, input.Currency), input.ExpectedOutcome,
            DateOnly.FromDateTime(input.CloseDate!.Value), template, now, Today);
        db.Deals.Add(deal);
        await db.SaveChangesAsync(cancellationToken);
        return deal.Id;
    }

    public async Task UpdateDetailsAsync(Actor actor, Guid dealId, uint version, DealDetailsInput input, CancellationToken cancellationToken = default)
    {
        await detailsValidator.EnsureValidAsync(input, cancellationToken);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        db.ExpectVersion(deal, version);
        deal.UpdateDetails(input.Title, Money.Of(input.Value!.Value, input.Currency), input.ExpectedOutcome, DateOnly.FromDateTime(input.CloseDate!.Value), Today);
        await db.SaveOrExplainConflictAsync("deal", cancellationToken);
    }

    /// <summary>Moves the deal through its stages; the domain enforces the gates and explains what is missing.</summary>
    public async Task MoveAsync(Actor actor, Guid dealId, uint version, StageMoveInput input, CancellationToken cancellationToken = default)
    {
        await stageMoveValidator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        db.ExpectVersion(deal, version);
        switch (input.Target)
        {
            case DealStage.Ordered:
                deal.MarkOrdered(input.PurchaseOrderReference!, actor.UserId, now);
                break;
            case DealStage.Delivered:
                deal.MarkDelivered(actor.UserId, now, Today);
                break;
            case DealStage.Paid:
                deal.MarkPaid(DateOnly.FromDateTime(input.PaymentDate!.Value), input.PaymentReference!, actor.UserId, now, Today);
                break;
            case DealStage.Lost:
                deal.MarkLost(input.LostReason!.Value, input.LostNote, actor.UserId, now);
                break;
            default:
                throw new Domain.DomainException("A deal cannot move back to Verbal.");
        }
        await db.SaveOrExplainConflictAsync("deal", cancellationToken);
    }

    /// <summary>Accounts matching a search, for the account picker.</summary>
    public async Task<IReadOnlyList<AccountOption>> SearchAccountsAsync(string? search, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = db.Accounts.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(search))
            accounts = accounts.Where(a => EF.Functions.ILike(a.Name, SearchPattern.Contains(search), SearchPattern.EscapeCharacter));
        return await accounts.OrderBy(a => a.Name).Take(20).Select(a => new AccountOption(a.Id, a.Name, a.Industry)).ToListAsync(cancellationToken);
    }

    /// <summary>Who may own a new deal: a rep themselves; a manager's team members.</summary>
    public async Task<IReadOnlyList<OwnerOption>> OwnerOptionsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (!actor.IsManager || actor.TeamId is not { } team)
            return [new OwnerOption(actor.UserId, actor.DisplayName)];
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.TeamId == team && u.IsActive).OrderBy(u => u.DisplayName)
            .Select(u => new OwnerOption(u.Id, u.DisplayName)).ToListAsync(cancellationToken);
    }

    public async Task<Page<DealListRow>> ListAsync(Actor actor, DealListQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = Rows(db, actor, query);
        var total = await rows.CountAsync(cancellationToken);
        var items = await Sorted(rows, page.SortBy, page.Descending).Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        return new Page<DealListRow>(items, total);
    }

    /// <summary>Every row of the list with the same filters, access and order, streamed from PostgreSQL (the CSV export).</summary>
    public async IAsyncEnumerable<DealListRow> ExportAsync(Actor actor, DealListQuery query, string? sortBy, bool descending,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await foreach (var row in Sorted(Rows(db, actor, query), sortBy, descending).AsAsyncEnumerable().WithCancellation(cancellationToken))
            yield return row;
    }

    private static IQueryable<DealListRow> Rows(AppDbContext db, Actor actor, DealListQuery query)
    {
        var deals = db.Deals.AsNoTracking().VisibleTo(db, actor);
        if (query.Stage is { } stage)
            deals = deals.Where(d => d.Stage == stage);
        var rows = from d in deals
                   join a in db.Accounts on d.AccountId equals a.Id
                   join u in db.Users on d.OwnerId equals u.Id
                   select new DealListRow
                   {
                       Id = d.Id,
                       Title = d.Title,
                       AccountName = a.Name,
                       OwnerName = u.DisplayName,
                       OwnerEmail = u.Email,
                       Stage = d.Stage,
                       Value = d.Value.Amount,
                       Currency = d.Value.Currency,
                       ExpectedOutcome = d.ExpectedOutcome,
                       CloseDate = d.CloseDate,
                       NextPromisedDate = d.Commitments
                           .Where(c => c.Direction == CommitmentDirection.Ours && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken))
                           .Min(c => (DateOnly?)c.PromisedDate),
                       StageEnteredAt = d.StageEnteredAt,
                       OpenPromises = d.Commitments.Count(c => c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken),
                       BrokenPromises = d.Commitments.Count(c => c.Status == CommitmentStatus.Broken),
                       LatePromises = d.Commitments.Count(c => c.Direction == CommitmentDirection.Ours && c.RiskLevel == Domain.Risk.RiskLevel.Late),
                       AtRiskPromises = d.Commitments.Count(c => c.Direction == CommitmentDirection.Ours && c.RiskLevel == Domain.Risk.RiskLevel.AtRisk),
                       WatchPromises = d.Commitments.Count(c => c.Direction == CommitmentDirection.Ours && c.RiskLevel == Domain.Risk.RiskLevel.Watch),
                   };
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = SearchPattern.Contains(query.Search);
            rows = rows.Where(r => EF.Functions.ILike(r.Title, pattern, SearchPattern.EscapeCharacter)
                || EF.Functions.ILike(r.AccountName, pattern, SearchPattern.EscapeCharacter)
                || EF.Functions.ILike(r.OwnerName, pattern, SearchPattern.EscapeCharacter));
        }
        return rows;
    }

    private static IOrderedQueryable<DealListRow> Sorted(IQueryable<DealListRow> rows, string? sortBy, bool descending)
    {
        var sorted = (sortBy, descending) switch
        {
            ("title", false) => rows.OrderBy(r => r.Title),
            ("title", true) => rows.OrderByDescending(r => r.Title),
            ("account", false) => rows.OrderBy(r => r.AccountName),
            ("account", true) => rows.OrderByDescending(r => r.AccountName),
            ("owner", false) => rows.OrderBy(r => r.OwnerName),
            ("owner", true) => rows.OrderByDescending(r => r.OwnerName),
            // Stages are stored by name: sort by their place on the road from verbal to paid, not alphabetically.
            ("stage", false) => rows.OrderBy(r => r.Stage == DealStage.Verbal ? 0 : r.Stage == DealStage.Ordered ? 1 : r.Stage == DealStage.Delivered ? 2 : r.Stage == DealStage.Paid ? 3 : 4),
            ("stage", true) => rows.OrderByDescending(r => r.Stage == DealStage.Verbal ? 0 : r.Stage == DealStage.Ordered ? 1 : r.Stage == DealStage.Delivered ? 2 : r.Stage == DealStage.Paid ? 3 : 4),
            ("value", false) => rows.OrderBy(r => r.Value),
            ("value", true) => rows.OrderByDescending(r => r.Value),
            ("daysInStage", false) => rows.OrderByDescending(r => r.StageEnteredAt),
            ("daysInStage", true) => rows.OrderBy(r => r.StageEnteredAt),
            ("nextPromised", true) => rows.OrderByDescending(r => r.NextPromisedDate),
            // Default: what needs attention first: broken promises, then the nearest promised date.
            ("risk", _) => rows.OrderByDescending(r => r.LatePromises > 0).ThenByDescending(r => r.AtRiskPromises > 0).ThenByDescending(r => r.WatchPromises > 0).ThenBy(r => r.NextPromisedDate),
            _ => rows.OrderByDescending(r => r.LatePromises > 0).ThenByDescending(r => r.AtRiskPromises > 0).ThenByDescending(r => r.BrokenPromises > 0)
                .ThenByDescending(r => r.WatchPromises > 0).ThenBy(r => r.NextPromisedDate == null).ThenBy(r => r.NextPromisedDate),
        };
        return sorted.ThenBy(r => r.Id);
    }

    /// <summary>The whole deal for its page; null when it does not exist or the actor may not see it.</summary>
    public async Task<DealView?> GetAsync(Actor actor, Guid dealId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Tracked, so the row versions the page's edits must quote come from the change tracker, not more queries.
        var deal = await db.Deals.AsSplitQuery().VisibleTo(db, actor)
            .Include(d => d.Commitments).ThenInclude(c => c.Milestones.OrderBy(m => m.Position))
            .Include(d => d.Commitments).ThenInclude(c => c.DateHistory)
            .Include(d => d.Checklist)
            .Include(d => d.Touchpoints)
            .Include(d => d.StageHistory)
            .Include(d => d.SharedRisks)
            .Include(d => d.TechnicalReviews)
            .SingleOrDefaultAsync(d => d.Id == dealId, cancellationToken);
        if (deal is null)
            return null;
        var versions = db.ChangeTracker.Entries()
            .Where(e => e.Entity is Deal or Commitment or Milestone)
            .ToDictionary(e => (Guid)e.Property("Id").CurrentValue!, e => (uint)e.Property(AppDbContext.Version).CurrentValue!);
        db.ChangeTracker.Clear();
        var account = await db.Accounts.AsNoTracking().Include(a => a.Contacts).SingleAsync(a => a.Id == deal.AccountId, cancellationToken);
        var communications = await db.CommunicationEntries.AsNoTracking()
            .Where(e => e.DealId == dealId).OrderByDescending(e => e.OccurredAt).ToListAsync(cancellationToken);
        var canEdit = await db.Deals.EditableBy(db, actor).AnyAsync(d => d.Id == dealId, cancellationToken);
        var history = await db.AuditEntries.AsNoTracking().Where(a => a.DealId == dealId)
            .OrderByDescending(a => a.Id).Take(500).ToListAsync(cancellationToken);
        var userIds = deal.Commitments.Select(c => c.OwnerId)
            .Concat(deal.Commitments.SelectMany(c => c.Milestones).Select(m => m.AssigneeId).OfType<string>())
            .Concat(deal.StageHistory.Select(s => s.ByUserId))
            .Concat(communications.Select(c => c.LoggedBy))
            .Concat(history.Select(h => h.ChangedBy))
            .Concat(deal.Checklist.Select(i => i.AnsweredBy).OfType<string>())
            .Concat(deal.TechnicalReviews.SelectMany(r => new[] { r.RequestedBy, r.ReviewerId }).OfType<string>())
            .Append(deal.OwnerId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        names["system"] = "System";
        // A customer acting through their link is named as such (the link's short id tells links apart).
        foreach (var by in communications.Select(c => c.LoggedBy).Where(Domain.CustomerLinks.CustomerLink.IsCustomerActor))
            names[by] = $"The customer ({by})";
        foreach (var by in history.Select(h => h.ChangedBy).Where(id => !names.ContainsKey(id)))
            names[by] = Domain.CustomerLinks.CustomerLink.IsCustomerActor(by) ? $"The customer ({by})" : "System";
        // Per promise: its open recovery plan, else its newest closed one.
        var plans = await db.RecoveryPlans.AsNoTracking().Where(p => p.DealId == dealId)
            .Select(p => new { p.CommitmentId, p.Id, Open = p.ResolvedAt == null, p.DetectedAt }).ToListAsync(cancellationToken);
        var recoveryPlans = plans.GroupBy(p => p.CommitmentId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(p => p.Open).ThenByDescending(p => p.DetectedAt).Select(p => new RecoveryPlanRef(p.Id, p.Open)).First());
        return new DealView(deal, account, communications, names, DealActions.For(deal, canEdit), versions, history)
        {
            Calendar = await db.OfUserAsync(deal.OwnerId, cancellationToken),
            RecoveryPlans = recoveryPlans,
            PromiseActionsById = deal.Commitments.ToDictionary(c => c.Id, c =>
                PromiseActions.For(actor, deal, c, canEdit, recoveryPlans.TryGetValue(c.Id, out var plan) && plan.IsOpen)),
            MilestoneActionsById = deal.Commitments.SelectMany(c => c.Milestones.Select(m => (Promise: c, Milestone: m)))
                .ToDictionary(x => x.Milestone.Id, x => MilestoneActions.For(actor, x.Promise, x.Milestone)),
        };
    }

}

/// <summary>A promise's recovery plan, for a link.</summary>
public sealed record RecoveryPlanRef(Guid PlanId, bool IsOpen);

/// <summary>A deal with everything its page shows, and what the user may do with it (<see cref="Actions"/>).</summary>
public sealed record DealView(
    Deal Deal,
    Domain.Accounts.Account Account,
    IReadOnlyList<Domain.Communications.CommunicationEntry> Communications,
    Dictionary<string, string> UserNames,
    DealActions Actions,
    IReadOnlyDictionary<Guid, uint> Versions,
    IReadOnlyList<AuditEntry> History)
{
    /// <summary>The deal's rep's team working calendar: dates on it say when they are not working days.</summary>
    public Domain.Calendars.WorkingCalendar? Calendar { get; init; }

    /// <summary>Per promise: its open recovery plan, else its newest closed one.</summary>
    public IReadOnlyDictionary<Guid, RecoveryPlanRef> RecoveryPlans { get; init; } = new Dictionary<Guid, RecoveryPlanRef>();

    /// <summary>Per promise: what the user may do with it.</summary>
    public IReadOnlyDictionary<Guid, PromiseActions> PromiseActionsById { get; init; } = new Dictionary<Guid, PromiseActions>();

    /// <summary>Per milestone: what the user may do with it.</summary>
    public IReadOnlyDictionary<Guid, MilestoneActions> MilestoneActionsById { get; init; } = new Dictionary<Guid, MilestoneActions>();

    public PromiseActions ActionsOf(Commitment promise) =>
        PromiseActionsById.TryGetValue(promise.Id, out var actions) ? actions : PromiseActions.None;

    public MilestoneActions ActionsOf(Milestone milestone) =>
        MilestoneActionsById.TryGetValue(milestone.Id, out var actions) ? actions : MilestoneActions.None;

    public uint VersionOf(Guid id) => Versions.TryGetValue(id, out var version) ? version : 0;

    public string NameOf(string? userId) => userId is not null && UserNames.TryGetValue(userId, out var name) ? name : "—";
}

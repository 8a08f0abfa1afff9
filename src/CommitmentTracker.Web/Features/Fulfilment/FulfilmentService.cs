using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Fulfilment;

/// <summary>Which part of the queue to show.</summary>
public enum QueueTab { AssignedToMe, MyDepartmentUnassigned, DueThisWeek, Overdue, Blocked, Stale, AllOpen }

/// <summary>One open milestone in the fulfilment queue.</summary>
public sealed record QueueRow
{
    public Guid MilestoneId { get; init; }
    public Guid DealId { get; init; }
    public string DealTitle { get; init; } = "";
    public string AccountName { get; init; } = "";
    public string Promise { get; init; } = "";
    public CommitmentKind Kind { get; init; }
    public string Milestone { get; init; } = "";
    public string? AssigneeId { get; init; }
    public string? AssigneeName { get; init; }
    public MilestoneStatus Status { get; init; }
    public string? StatusReason { get; init; }
    public DateOnly PlannedDate { get; init; }
    public DateOnly? ForecastDate { get; init; }
    public DateOnly PromisedDate { get; init; }
    public Domain.Department Department { get; init; }
    public DateTimeOffset? LastUpdatedAt { get; init; }
    public bool IsCustomerAcceptance { get; init; }
    public uint Version { get; init; }
    public Domain.Risk.RiskLevel RiskLevel { get; init; }

    /// <summary>Whether the user may update this milestone (<see cref="MilestoneAccess.MayUpdate(Actor, string?, Domain.Department)"/>).</summary>
    public bool CanUpdate { get; init; }
}

/// <summary>Filters of the fulfilment queue besides its tabs.</summary>
public sealed record QueueFilter(string? Search = null, CommitmentKind? Kind = null, MilestoneStatus? Status = null);

/// <summary>A milestone the user wants to update, with the version they saw.</summary>
public sealed record MilestoneRef(Guid MilestoneId, uint Version);

/// <summary>The milestones service staff keep current.</summary>
public sealed class FulfilmentService(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    MilestoneUpdateValidator validator,
    Microsoft.Extensions.Options.IOptions<FulfilmentOptions> options)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Records a fulfilment update on one milestone; the promise's status follows.</summary>
    public Task UpdateAsync(Actor actor, MilestoneRef milestone, MilestoneUpdateInput input, CancellationToken cancellationToken = default) =>
        UpdateManyAsync(actor, [milestone], input, cancellationToken);

    /// <summary>
    /// Applies the same update to several milestones, all or nothing: one refusal (a rule, access, or someone
    /// else's newer change) saves none of them.
    /// </summary>
    public async Task UpdateManyAsync(Actor actor, IReadOnlyList<MilestoneRef> milestones, MilestoneUpdateInput input, CancellationToken cancellationToken = default)
    {
        if (!MilestoneAccess.UpdatesMilestones(actor))
            throw new AccessDeniedException("Milestones are kept current by service staff.");
        milestones = milestones.DistinctBy(m => m.MilestoneId).ToList();
        if (milestones.Count == 0)
            throw new Domain.DomainException("Select at least one milestone.");
        var ids = milestones.Select(m => m.MilestoneId).ToList();
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var commitments = await db.Commitments.AsSplitQuery()
            .Include(c => c.Milestones.OrderBy(m => m.Position)).ThenInclude(m => m.Updates)
            .Where(c => c.Milestones.Any(m => ids.Contains(m.Id)))
            .ToListAsync(cancellationToken);
        foreach (var reference in milestones)
        {
            var commitment = commitments.FirstOrDefault(c => c.Milestones.Any(m => m.Id == reference.MilestoneId))
                ?? throw new RecordNotFoundException("milestone");
            var milestone = commitment.FindMilestone(reference.MilestoneId);
            if (!MilestoneAccess.MayUpdate(actor, milestone, commitment))
                throw new AccessDeniedException($"\"{milestone.Title}\" is assigned to someone else or belongs to another department.");
            var change = input.For(milestone);
            await validator.EnsureValidAsync(change, cancellationToken);
            db.ExpectVersion(milestone, reference.Version);
            commitment.UpdateMilestone(milestone.Id, change.ToChange(), actor.UserId, clock.GetUtcNow(), Today);
            // The promise's status is derived from all its milestones: save it against the version loaded, so two
            // people finishing different steps at once cannot both store a status computed without the other's step.
            db.Entry(commitment).Property(c => c.Status).IsModified = true;
        }
        await db.SaveOrExplainConflictAsync(milestones.Count == 1 ? "milestone" : "set of milestones", cancellationToken);
    }

    /// <summary>Whether the queue offers the user updates at all (selecting rows, updating several at once).</summary>
    public static bool OffersUpdates(Actor actor) => MilestoneAccess.UpdatesMilestones(actor);

    public Task<Page<QueueRow>> QueueAsync(Actor actor, QueueTab tab, string? search, PageRequest page, CancellationToken cancellationToken = default) =>
        QueueAsync(actor, tab, new QueueFilter(search), page, cancellationToken);

    public async Task<Page<QueueRow>> QueueAsync(Actor actor, QueueTab tab, QueueFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        if (!MayReadQueue(actor))
            return new Page<QueueRow>([], 0);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = Filter(Rows(db, actor), actor, tab);
        if (filter.Kind is { } kind)
            rows = rows.Where(r => r.Kind == kind);
        if (filter.Status is { } status)
            rows = rows.Where(r => r.Status == status);
        var search = filter.Search;
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = SearchPattern.Contains(search);
            rows = rows.Where(r => EF.Functions.ILike(r.Milestone, pattern, SearchPattern.EscapeCharacter)
                || EF.Functions.ILike(r.DealTitle, pattern, SearchPattern.EscapeCharacter)
                || EF.Functions.ILike(r.AccountName, pattern, SearchPattern.EscapeCharacter));
        }
        var total = await rows.CountAsync(cancellationToken);
        var sorted = (page.SortBy, page.Descending) switch
        {
            ("deal", false) => rows.OrderBy(r => r.DealTitle),
            ("deal", true) => rows.OrderByDescending(r => r.DealTitle),
            ("status", false) => rows.OrderBy(StatusOrder),
            ("status", true) => rows.OrderByDescending(StatusOrder),
            ("promised", false) => rows.OrderBy(r => r.PromisedDate),
            ("promised", true) => rows.OrderByDescending(r => r.PromisedDate),
            ("planned", true) => rows.OrderByDescending(r => r.ForecastDate ?? r.PlannedDate),
            _ => rows.OrderBy(r => r.ForecastDate ?? r.PlannedDate),
        };
        var items = await sorted.ThenBy(r => r.MilestoneId).Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        // Rows are open milestones of promises not waived: whether the user may update one is the access rule alone.
        return new Page<QueueRow>([.. items.Select(r => r with { CanUpdate = MilestoneAccess.MayUpdate(actor, r.AssigneeId, r.Department) })], total);
    }

    /// <summary>How many rows each tab holds, for the counts on the tabs.</summary>
    public async Task<IReadOnlyDictionary<QueueTab, int>> CountsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var counts = Enum.GetValues<QueueTab>().ToDictionary(t => t, _ => 0);
        if (!MayReadQueue(actor))
            return counts;
        foreach (var tab in Enum.GetValues<QueueTab>())
            counts[tab] = await Filter(Rows(db, actor), actor, tab).CountAsync(cancellationToken);
        return counts;
    }

    /// <summary>Service staff work the queue; admins read everything.</summary>
    private static bool MayReadQueue(Actor actor) => actor.IsService || actor.IsAdmin;

    /// <summary>Statuses are stored by name: sort them in their lifecycle order, not alphabetically.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<QueueRow, int>> StatusOrder = r =>
        r.Status == MilestoneStatus.NotStarted ? 0 : r.Status == MilestoneStatus.InProgress ? 1
        : r.Status == MilestoneStatus.Blocked ? 2 : r.Status == MilestoneStatus.Done ? 3 : 4;

    private IQueryable<QueueRow> Filter(IQueryable<QueueRow> rows, Actor actor, QueueTab tab)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var staleBefore = clock.GetUtcNow().AddDays(-options.Value.StaleAfterDays);
        return tab switch
        {
            QueueTab.AssignedToMe => rows.Where(r => r.AssigneeId == actor.UserId),
            QueueTab.MyDepartmentUnassigned => rows.Where(r => r.AssigneeId == null && r.Department == actor.Department),
            QueueTab.DueThisWeek => rows.Where(r => (r.ForecastDate ?? r.PlannedDate) >= today && (r.ForecastDate ?? r.PlannedDate) <= today.AddDays(6)),
            QueueTab.Overdue => rows.Where(r => (r.ForecastDate ?? r.PlannedDate) < today),
            QueueTab.Stale => rows.Where(r => r.Status == MilestoneStatus.InProgress && (r.LastUpdatedAt == null || r.LastUpdatedAt < staleBefore)),
            QueueTab.Blocked => rows.Where(r => r.Status == MilestoneStatus.Blocked),
            _ => rows,
        };
    }

    private static IQueryable<QueueRow> Rows(AppDbContext db, Actor actor)
    {
        return from m in db.Milestones.AsNoTracking()
               join c in db.Commitments on m.CommitmentId equals c.Id
               join d in db.Deals on c.DealId equals d.Id
               join a in db.Accounts on d.AccountId equals a.Id
               join u in db.Users on m.AssigneeId equals u.Id into assignees
               from u in assignees.DefaultIfEmpty()
               where m.Status != MilestoneStatus.Done && m.Status != MilestoneStatus.Skipped && c.Status != CommitmentStatus.Waived
               select new QueueRow
               {
                   MilestoneId = m.Id,
                   DealId = d.Id,
                   DealTitle = d.Title,
                   AccountName = a.Name,
                   Promise = c.Description,
                   Kind = c.Kind,
                   Milestone = m.Title,
                   AssigneeId = m.AssigneeId,
                   AssigneeName = u == null ? null : u.DisplayName,
                   Status = m.Status,
                   StatusReason = m.StatusReason,
                   PlannedDate = m.PlannedDate,
                   ForecastDate = m.ForecastDate,
                   PromisedDate = c.PromisedDate,
                   Department = c.Department,
                   LastUpdatedAt = m.LastUpdatedAt,
                   IsCustomerAcceptance = m.IsCustomerAcceptance,
                   Version = EF.Property<uint>(m, AppDbContext.Version),
                   RiskLevel = c.RiskLevel,
               };
    }
}

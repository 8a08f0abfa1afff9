using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features.Calendars;
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

    // What the promise forecast needs of the row's promise.
    public Guid CommitmentId { get; init; }
    public CommitmentDirection Direction { get; init; }
    public Domain.Department PromiseDepartment { get; init; }
    public decimal DealValue { get; init; }
    public int MilestoneCount { get; init; }
    public DateTimeOffset PromiseMadeAt { get; init; }

    /// <summary>The history's chance the promise is kept from the stage of its plan, else its age (ours only, with enough history); null otherwise.</summary>
    public double? ChanceOfKeeping { get; init; }

    /// <summary>What the chance is based on, in one sentence ("Based on 120 installation promises ...").</summary>
    public string? ChanceBasis { get; init; }

    /// <summary>The chance is below the admin's minimum (the same line that makes it a risk reason).</summary>
    public bool ChanceIsLow { get; init; }

    /// <summary>The deal's rep, whose team's working calendar the dates are read on.</summary>
    public string DealOwnerId { get; init; } = "";

    /// <summary>That calendar: the dates say when they are not working days.</summary>
    public Domain.Calendars.WorkingCalendar? Calendar { get; init; }

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

    /// <summary>
    /// A page of the queue. Tabs, filters and the default order run on open milestones alone (partial and expression
    /// indexes, see the migration QueueAtScale), so a tab of hundreds of thousands of rows still reads one page; the
    /// deal, account and promise are joined for that page only. Sorting by deal or promised date joins for every row.
    /// </summary>
    public async Task<Page<QueueRow>> QueueAsync(Actor actor, QueueTab tab, QueueFilter filter, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        if (!MayReadQueue(actor))
            return new Page<QueueRow>([], 0);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var milestones = InTab(db, actor, tab);
        if (filter.Kind is { } kind)
            milestones = milestones.Where(m => db.Commitments.Any(c => c.Id == m.CommitmentId && c.Kind == kind));
        if (filter.Status is { } status)
            milestones = milestones.Where(m => m.Status == status);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = SearchPattern.Contains(filter.Search);
            milestones = milestones.Where(m => EF.Functions.ILike(m.Title, pattern, SearchPattern.EscapeCharacter)
                || db.Commitments.Any(c => c.Id == m.CommitmentId && db.Deals.Any(d => d.Id == c.DealId
                    && (EF.Functions.ILike(d.Title, pattern, SearchPattern.EscapeCharacter)
                        || db.Accounts.Any(a => a.Id == d.AccountId && EF.Functions.ILike(a.Name, pattern, SearchPattern.EscapeCharacter))))));
        }
        var total = await milestones.CountAsync(cancellationToken);
        if (total == 0)
            return new Page<QueueRow>([], 0);

        List<QueueRow> items;
        if (page.SortBy is "deal" or "promised")
        {
            var rows = Rows(db, milestones);
            var sorted = (page.SortBy, page.Descending) switch
            {
                ("deal", false) => rows.OrderBy(r => r.DealTitle),
                ("deal", true) => rows.OrderByDescending(r => r.DealTitle),
                ("promised", false) => rows.OrderBy(r => r.PromisedDate),
                _ => rows.OrderByDescending(r => r.PromisedDate),
            };
            items = await sorted.ThenBy(r => r.MilestoneId).Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        }
        else
        {
            var sorted = (page.SortBy, page.Descending) switch
            {
                ("status", false) => milestones.OrderBy(StatusOrder),
                ("status", true) => milestones.OrderByDescending(StatusOrder),
                ("planned", true) => milestones.OrderByDescending(m => m.ForecastDate ?? m.PlannedDate),
                _ => milestones.OrderBy(m => m.ForecastDate ?? m.PlannedDate),
            };
            var ids = await sorted.ThenBy(m => m.Id).Skip(page.Skip).Take(page.Take).Select(m => m.Id).ToListAsync(cancellationToken);
            var found = await Rows(db, db.Milestones.Where(m => ids.Contains(m.Id))).ToDictionaryAsync(r => r.MilestoneId, cancellationToken);
            items = [.. ids.Select(id => found[id])];
        }
        var ours = items.Where(r => r.Direction == CommitmentDirection.Ours).DistinctBy(r => r.CommitmentId).ToList();
        var progress = await Forecasts.ForecastService.ProgressAsync(db, ours.ToDictionary(r => r.CommitmentId, r => Domain.Forecasts.PromiseHistory.MadeOn(r.PromiseMadeAt)), cancellationToken);
        var chances = await Forecasts.ForecastService.ForOpenPromisesAsync(db, [.. ours
            .Select(r => new Forecasts.ForecastService.OpenPromise(r.CommitmentId, r.Kind, r.PromiseDepartment, r.DealValue, r.MilestoneCount,
                Domain.Forecasts.PromiseHistory.MadeOn(r.PromiseMadeAt), r.PromisedDate, r.DealOwnerId, progress[r.CommitmentId]))], Today, cancellationToken);
        // Rows are open milestones (a waived promise's are skipped): whether the user may update one is the access rule alone.
        var calendars = await db.OfUsersAsync(items.Select(r => r.DealOwnerId), cancellationToken);
        return new Page<QueueRow>([.. items.Select(r =>
        {
            var chance = chances.ById.GetValueOrDefault(r.CommitmentId);
            return r with
            {
                CanUpdate = MilestoneAccess.MayUpdate(actor, r.AssigneeId, r.Department),
                ChanceOfKeeping = chance?.Probability,
                ChanceBasis = chance?.Basis,
                ChanceIsLow = chance?.IsBelow(chances.MinimumProbability) == true,
                Calendar = calendars.GetValueOrDefault(r.DealOwnerId),
            };
        })], total);
    }

    /// <summary>How many rows each tab holds, for the counts on the tabs: one indexed count per tab, on milestones alone.</summary>
    public async Task<IReadOnlyDictionary<QueueTab, int>> CountsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var counts = Enum.GetValues<QueueTab>().ToDictionary(t => t, _ => 0);
        if (!MayReadQueue(actor))
            return counts;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var tab in Enum.GetValues<QueueTab>())
            counts[tab] = await InTab(db, actor, tab).CountAsync(cancellationToken);
        return counts;
    }

    /// <summary>Service staff work the queue; admins read everything.</summary>
    private static bool MayReadQueue(Actor actor) => actor.IsService || actor.IsAdmin;

    /// <summary>Statuses are stored by name: sort them in their lifecycle order, not alphabetically.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<Milestone, int>> StatusOrder = m =>
        m.Status == MilestoneStatus.NotStarted ? 0 : m.Status == MilestoneStatus.InProgress ? 1
        : m.Status == MilestoneStatus.Blocked ? 2 : m.Status == MilestoneStatus.Done ? 3 : 4;

    /// <summary>
    /// The open milestones of a tab. Open means not done nor skipped (a waived promise's milestones are skipped), so no
    /// join with the promise is needed; each tab's condition matches one of the queue's indexes.
    /// </summary>
    private IQueryable<Milestone> InTab(AppDbContext db, Actor actor, QueueTab tab)
    {
        var today = Today;
        var staleBefore = clock.GetUtcNow().AddDays(-options.Value.StaleAfterDays);
        var open = db.Milestones.AsNoTracking().Where(m => m.Status != MilestoneStatus.Done && m.Status != MilestoneStatus.Skipped);
        return tab switch
        {
            QueueTab.AssignedToMe => open.Where(m => m.AssigneeId == actor.UserId),
            QueueTab.MyDepartmentUnassigned => open.Where(m => m.AssigneeId == null && m.Department == actor.Department),
            QueueTab.DueThisWeek => open.Where(m => (m.ForecastDate ?? m.PlannedDate) >= today && (m.ForecastDate ?? m.PlannedDate) <= today.AddDays(6)),
            QueueTab.Overdue => open.Where(m => (m.ForecastDate ?? m.PlannedDate) < today),
            QueueTab.Stale => open.Where(m => m.Status == MilestoneStatus.InProgress && (m.LastUpdatedAt == null || m.LastUpdatedAt < staleBefore)),
            QueueTab.Blocked => open.Where(m => m.Status == MilestoneStatus.Blocked),
            _ => open,
        };
    }

    /// <summary>The queue's rows for the given milestones: the promise, deal, account and assignee joined.</summary>
    private static IQueryable<QueueRow> Rows(AppDbContext db, IQueryable<Milestone> milestones)
    {
        return from m in milestones
               join c in db.Commitments on m.CommitmentId equals c.Id
               join d in db.Deals on c.DealId equals d.Id
               join a in db.Accounts on d.AccountId equals a.Id
               join u in db.Users on m.AssigneeId equals u.Id into assignees
               from u in assignees.DefaultIfEmpty()
               select new QueueRow
               {
                   MilestoneId = m.Id,
                   DealId = d.Id,
                   DealTitle = d.Title,
                   DealOwnerId = d.OwnerId,
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
                   Department = m.Department,
                   LastUpdatedAt = m.LastUpdatedAt,
                   IsCustomerAcceptance = m.IsCustomerAcceptance,
                   Version = EF.Property<uint>(m, AppDbContext.Version),
                   RiskLevel = c.RiskLevel,
                   CommitmentId = c.Id,
                   Direction = c.Direction,
                   PromiseDepartment = c.Department,
                   DealValue = d.Value.Amount,
                   MilestoneCount = db.Milestones.Count(x => x.CommitmentId == c.Id),
                   PromiseMadeAt = c.CreatedAt,
               };
    }
}

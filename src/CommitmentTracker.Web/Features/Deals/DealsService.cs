using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
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
    public DealStage Stage { get; init; }
    public decimal Value { get; init; }
    public string Currency { get; init; } = "";
    public DateOnly? NextPromisedDate { get; init; }
    public DateTimeOffset StageEnteredAt { get; init; }
    public int OpenPromises { get; init; }
    public int BrokenPromises { get; init; }
}

/// <summary>Filters of the deals list.</summary>
public sealed record DealListQuery(DealStage? Stage = null, string? Search = null);

/// <summary>Reads and changes deals for the signed-in user, within the access rules.</summary>
public sealed class DealsService(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<Page<DealListRow>> ListAsync(Actor actor, DealListQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
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
                       Stage = d.Stage,
                       Value = d.Value.Amount,
                       Currency = d.Value.Currency,
                       NextPromisedDate = d.Commitments
                           .Where(c => c.Direction == CommitmentDirection.Ours && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken))
                           .Min(c => (DateOnly?)c.PromisedDate),
                       StageEnteredAt = d.StageEnteredAt,
                       OpenPromises = d.Commitments.Count(c => c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken),
                       BrokenPromises = d.Commitments.Count(c => c.Status == CommitmentStatus.Broken),
                   };
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = $"%{query.Search.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)}%";
            rows = rows.Where(r => EF.Functions.ILike(r.Title, pattern) || EF.Functions.ILike(r.AccountName, pattern) || EF.Functions.ILike(r.OwnerName, pattern));
        }
        var total = await rows.CountAsync(cancellationToken);
        var sorted = (page.SortBy, page.Descending) switch
        {
            ("title", false) => rows.OrderBy(r => r.Title),
            ("title", true) => rows.OrderByDescending(r => r.Title),
            ("account", false) => rows.OrderBy(r => r.AccountName),
            ("account", true) => rows.OrderByDescending(r => r.AccountName),
            ("owner", false) => rows.OrderBy(r => r.OwnerName),
            ("owner", true) => rows.OrderByDescending(r => r.OwnerName),
            ("stage", false) => rows.OrderBy(r => r.Stage),
            ("stage", true) => rows.OrderByDescending(r => r.Stage),
            ("value", false) => rows.OrderBy(r => r.Value),
            ("value", true) => rows.OrderByDescending(r => r.Value),
            ("daysInStage", false) => rows.OrderByDescending(r => r.StageEnteredAt),
            ("daysInStage", true) => rows.OrderBy(r => r.StageEnteredAt),
            ("nextPromised", true) => rows.OrderByDescending(r => r.NextPromisedDate),
            // Default: what needs attention first: broken promises, then the nearest promised date.
            _ => rows.OrderByDescending(r => r.BrokenPromises > 0).ThenBy(r => r.NextPromisedDate == null).ThenBy(r => r.NextPromisedDate),
        };
        var items = await sorted.ThenBy(r => r.Id).Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        return new Page<DealListRow>(items, total);
    }

    /// <summary>The whole deal for its page; null when it does not exist or the actor may not see it.</summary>
    public async Task<DealView?> GetAsync(Actor actor, Guid dealId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deal = await db.Deals.AsNoTracking().AsSplitQuery().VisibleTo(db, actor)
            .Include(d => d.Commitments).ThenInclude(c => c.Milestones)
            .Include(d => d.Commitments).ThenInclude(c => c.DateHistory)
            .Include(d => d.Checklist)
            .Include(d => d.Touchpoints)
            .Include(d => d.StageHistory)
            .Include(d => d.SharedRisks)
            .SingleOrDefaultAsync(d => d.Id == dealId, cancellationToken);
        if (deal is null)
            return null;
        var account = await db.Accounts.AsNoTracking().Include(a => a.Contacts).SingleAsync(a => a.Id == deal.AccountId, cancellationToken);
        var communications = await db.CommunicationEntries.AsNoTracking()
            .Where(e => e.DealId == dealId).OrderByDescending(e => e.OccurredAt).ToListAsync(cancellationToken);
        var userIds = deal.Commitments.Select(c => c.OwnerId)
            .Concat(deal.Commitments.SelectMany(c => c.Milestones).Select(m => m.AssigneeId).OfType<string>())
            .Concat(deal.StageHistory.Select(s => s.ByUserId))
            .Concat(communications.Select(c => c.LoggedBy))
            .Append(deal.OwnerId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        names["system"] = "System";
        var canEdit = await db.Deals.EditableBy(db, actor).AnyAsync(d => d.Id == dealId, cancellationToken);
        var versions = await Versions(db, dealId, cancellationToken);
        var history = await db.AuditEntries.AsNoTracking().Where(a => a.DealId == dealId)
            .OrderByDescending(a => a.Id).Take(500).ToListAsync(cancellationToken);
        foreach (var by in history.Select(h => h.ChangedBy).Distinct().Where(id => !names.ContainsKey(id)).ToList())
            names[by] = await db.Users.Where(u => u.Id == by).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? "System";
        return new DealView(deal, account, communications, names, canEdit, versions, history);
    }

    /// <summary>Row versions of the deal and its promises and milestones, so edits can say what they saw.</summary>
    private static async Task<Dictionary<Guid, uint>> Versions(AppDbContext db, Guid dealId, CancellationToken cancellationToken)
    {
        var versions = await db.Deals.Where(d => d.Id == dealId)
            .Select(d => new { d.Id, Version = EF.Property<uint>(d, AppDbContext.Version) }).ToListAsync(cancellationToken);
        var commitments = await db.Commitments.Where(c => c.DealId == dealId)
            .Select(c => new { c.Id, Version = EF.Property<uint>(c, AppDbContext.Version) }).ToListAsync(cancellationToken);
        var milestones = await db.Milestones.Where(m => db.Commitments.Any(c => c.Id == m.CommitmentId && c.DealId == dealId))
            .Select(m => new { m.Id, Version = EF.Property<uint>(m, AppDbContext.Version) }).ToListAsync(cancellationToken);
        return versions.Concat(commitments).Concat(milestones).ToDictionary(v => v.Id, v => v.Version);
    }
}

/// <summary>A deal with everything its page shows.</summary>
public sealed record DealView(
    Deal Deal,
    Domain.Accounts.Account Account,
    IReadOnlyList<Domain.Communications.CommunicationEntry> Communications,
    Dictionary<string, string> UserNames,
    bool CanEdit,
    IReadOnlyDictionary<Guid, uint> Versions,
    IReadOnlyList<AuditEntry> History)
{
    public uint VersionOf(Guid id) => Versions.TryGetValue(id, out var version) ? version : 0;

    public string NameOf(string? userId) => userId is not null && UserNames.TryGetValue(userId, out var name) ? name : "—";
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Dashboard;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Accounts;

/// <summary>
/// The customer companies and their people. An account (name, industry, contacts) is shared: every signed-in user may
/// find and read it. What was sold and promised to it follows the deal access rules: every deal, promise and figure on an
/// account is computed from the deals the viewer may see (reps their own, managers their team's, service staff and admins
/// all), by PostgreSQL, a page at a time. Contacts are kept by the reps and managers who have a deal on the account they
/// may change. See docs/decisions/0020-accounts-shared-figures-by-deal-access.md.
/// </summary>
public sealed class AccountsService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ContactValidator contactValidator)
{
    /// <summary>The window of "broken promises lately", as the dashboard's threshold alarm counts them.</summary>
    public const int WindowDays = DashboardService.WindowDays;

    /// <summary>Deals and recent broken promises shown on the account page; the counts cover all of them.</summary>
    public const int RowsShown = 50;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>A page of accounts, matching the filters, with each row's figures over the deals the actor may see.</summary>
    public async Task<Page<AccountListRow>> ListAsync(Actor actor, AccountListQuery query, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(page);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owners = await db.OwnersVisibleToAsync(actor, cancellationToken);
        var accounts = Filtered(db, owners, query);
        var total = await accounts.CountAsync(cancellationToken);
        // The figures are subqueries of the page's rows only: PostgreSQL evaluates them after the sort and the limit.
        var rows = await WithFigures(db, owners, Sorted(accounts, page.SortBy, page.Descending).Skip(page.Skip).Take(page.Take))
            .ToListAsync(cancellationToken);
        return new Page<AccountListRow>(rows, total);
    }

    /// <summary>Every row of the list with the same filters, figures and order, streamed from PostgreSQL (the CSV export).</summary>
    public async IAsyncEnumerable<AccountListRow> ExportAsync(Actor actor, AccountListQuery query, string? sortBy, bool descending,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(query);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owners = await db.OwnersVisibleToAsync(actor, cancellationToken);
        await foreach (var row in WithFigures(db, owners, Sorted(Filtered(db, owners, query), sortBy, descending)).AsAsyncEnumerable().WithCancellation(cancellationToken))
            yield return row;
    }

    private static IQueryable<Deal> DealsOf(AppDbContext db, IReadOnlyList<string>? owners) =>
        owners is null ? db.Deals.AsNoTracking() : db.Deals.AsNoTracking().Where(d => owners.Contains(d.OwnerId));

    private IQueryable<Account> Filtered(AppDbContext db, IReadOnlyList<string>? owners, AccountListQuery query)
    {
        var today = Today;
        var since = today.AddDays(-(WindowDays - 1));
        var deals = DealsOf(db, owners);
        var accounts = Matching(db.Accounts.AsNoTracking(), query.Search);
        if (query.OnlyMine && owners is not null)
            accounts = accounts.Where(a => deals.Any(d => d.AccountId == a.Id));
        if (!string.IsNullOrWhiteSpace(query.Industry))
        {
            var industry = query.Industry.Trim();
            accounts = accounts.Where(a => a.Industry == industry);
        }
        if (query.BrokenLately)
            accounts = accounts.Where(a => deals.Where(d => d.AccountId == a.Id).SelectMany(d => d.Commitments)
                .Any(c => c.Direction == CommitmentDirection.Ours && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken)
                    && c.PromisedDate < today && c.PromisedDate >= since));
        if (query.OpenAtRisk)
            accounts = accounts.Where(a => deals.Where(d => d.AccountId == a.Id).SelectMany(d => d.Commitments)
                .Any(c => c.Direction == CommitmentDirection.Ours && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken)
                    && (c.RiskLevel == RiskLevel.AtRisk || c.RiskLevel == RiskLevel.Late)));
        return accounts;
    }

    private static IOrderedQueryable<Account> Sorted(IQueryable<Account> accounts, string? sortBy, bool descending) => ((sortBy, descending) switch
    {
        // Case-insensitively, whatever the database's collation ("acme" beside "ACME").
        ("industry", false) => accounts.OrderBy(a => a.Industry).ThenBy(a => a.Name.ToLower()),
        ("industry", true) => accounts.OrderByDescending(a => a.Industry).ThenBy(a => a.Name.ToLower()),
        (_, true) => accounts.OrderByDescending(a => a.Name.ToLower()),
        _ => accounts.OrderBy(a => a.Name.ToLower()),
    }).ThenBy(a => a.Id);

    private IQueryable<AccountListRow> WithFigures(AppDbContext db, IReadOnlyList<string>? owners, IQueryable<Account> accounts)
    {
        var today = Today;
        var since = today.AddDays(-(WindowDays - 1));
        var deals = DealsOf(db, owners);
        return accounts.Select(a => new AccountListRow
        {
            Id = a.Id,
            Name = a.Name,
            Industry = a.Industry,
            Deals = deals.Count(d => d.AccountId == a.Id),
            OpenPromises = deals.Where(d => d.AccountId == a.Id).SelectMany(d => d.Commitments)
                .Count(c => c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken),
            BrokenLately = deals.Where(d => d.AccountId == a.Id).SelectMany(d => d.Commitments)
                .Count(c => c.Direction == CommitmentDirection.Ours && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken)
                    && c.PromisedDate < today && c.PromisedDate >= since),
            AtRisk = deals.Where(d => d.AccountId == a.Id).SelectMany(d => d.Commitments)
                .Count(c => c.Direction == CommitmentDirection.Ours && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken)
                    && (c.RiskLevel == RiskLevel.AtRisk || c.RiskLevel == RiskLevel.Late)),
        });
    }

    /// <summary>The industries accounts are in, for the list's filter.</summary>
    public async Task<IReadOnlyList<string>> IndustriesAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Accounts.AsNoTracking().Where(a => a.Industry != null).Select(a => a.Industry!).Distinct()
            .OrderBy(i => i).Take(200).ToListAsync(cancellationToken);
    }

    /// <summary>The account page: the account, its contacts, and the deals, promise counts and record the actor may see; null when no such account.</summary>
    public async Task<AccountView?> GetAsync(Actor actor, Guid accountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var today = Today;
        var since = today.AddDays(-(WindowDays - 1));
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId)
            .Select(a => new { a.Id, a.Name, a.Industry }).SingleOrDefaultAsync(cancellationToken);
        if (account is null)
            return null;
        var contacts = await db.Contacts.AsNoTracking().Where(c => c.AccountId == accountId).OrderBy(c => c.Name)
            .Select(c => new ContactRow(c.Id, c.Name, c.Role, c.Email, c.Phone, c.MayContactTheirManager, EF.Property<uint>(c, AppDbContext.Version)))
            .ToListAsync(cancellationToken);

        var owners = await db.OwnersVisibleToAsync(actor, cancellationToken);
        var deals = (owners is null ? db.Deals.AsNoTracking() : db.Deals.AsNoTracking().Where(d => owners.Contains(d.OwnerId)))
            .Where(d => d.AccountId == accountId);
        var dealCount = await deals.CountAsync(cancellationToken);
        var dealRows = await (from d in deals
                              join u in db.Users on d.OwnerId equals u.Id
                              orderby d.Stage == DealStage.Lost || d.Stage == DealStage.Paid, d.CloseDate descending, d.Id
                              select new AccountDealRow
                              {
                                  Id = d.Id,
                                  Title = d.Title,
                                  Stage = d.Stage,
                                  OwnerName = u.DisplayName,
                                  Value = d.Value.Amount,
                                  Currency = d.Value.Currency,
                                  CloseDate = d.CloseDate,
                                  OpenPromises = d.Commitments.Count(c => c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken),
                              }).Take(RowsShown).ToListAsync(cancellationToken);

        var promises = deals.SelectMany(d => d.Commitments);
        var counted = await promises
            .GroupBy(c => new { c.Direction, c.Status, Overdue = c.PromisedDate < today })
            .Select(g => new { g.Key.Direction, g.Key.Status, g.Key.Overdue, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var ours = counted.Where(g => g.Direction == CommitmentDirection.Ours).ToList();
        var record = new DeliveryRecord(
            ours.Where(g => g.Status == CommitmentStatus.Kept).Sum(g => g.Count),
            ours.Where(g => g.Status == CommitmentStatus.KeptLate).Sum(g => g.Count),
            ours.Where(g => g.Status == CommitmentStatus.Broken || g.Status == CommitmentStatus.Open && g.Overdue).Sum(g => g.Count));
        var byStatus = Enum.GetValues<CommitmentStatus>().Select(status => new StatusCount(status,
            counted.Where(g => g.Status == status && g.Direction == CommitmentDirection.Ours).Sum(g => g.Count),
            counted.Where(g => g.Status == status && g.Direction == CommitmentDirection.Theirs).Sum(g => g.Count))).ToList();

        var brokenLately = from d in deals
                           from c in d.Commitments
                           where c.Direction == CommitmentDirection.Ours && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken)
                               && c.PromisedDate < today && c.PromisedDate >= since
                           select new { Promise = c, DealTitle = d.Title };
        var brokenCount = await brokenLately.CountAsync(cancellationToken);
        var brokenRows = await brokenLately.OrderByDescending(b => b.Promise.PromisedDate).ThenBy(b => b.Promise.Id).Take(RowsShown)
            .Select(b => new BrokenPromiseRow(b.Promise.Id, b.Promise.DealId, b.DealTitle, b.Promise.Description, b.Promise.Kind, b.Promise.PromisedDate))
            .ToListAsync(cancellationToken);
        var threshold = await db.RiskSettings.AsNoTracking().Select(s => (decimal?)s.BrokenAccountsAlarmShare).SingleOrDefaultAsync(cancellationToken)
            ?? new RiskSettingsRecord().BrokenAccountsAlarmShare;

        return new AccountView
        {
            Id = account.Id,
            Name = account.Name,
            Industry = account.Industry,
            Contacts = contacts,
            CanEditContacts = await MayKeepContactsAsync(db, actor, accountId, cancellationToken),
            SeesEveryDeal = owners is null,
            Deals = dealRows,
            DealCount = dealCount,
            PromisesByStatus = byStatus,
            Record = record,
            BrokenLately = brokenRows,
            BrokenLatelyCount = brokenCount,
            AlarmThreshold = threshold,
        };
    }

    /// <summary>A page of the promises made on the account's deals that the actor may see, optionally of one status.</summary>
    public async Task<Page<AccountPromiseRow>> PromisesAsync(Actor actor, Guid accountId, CommitmentStatus? status, PageRequest page, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(page);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Accounts.AnyAsync(a => a.Id == accountId, cancellationToken))
            throw new RecordNotFoundException("account");
        var owners = await db.OwnersVisibleToAsync(actor, cancellationToken);
        var rows = PromiseRows(db, owners, accountId, status);
        var total = await rows.CountAsync(cancellationToken);
        var items = await SortedPromises(rows, page.SortBy, page.Descending).Skip(page.Skip).Take(page.Take).ToListAsync(cancellationToken);
        return new Page<AccountPromiseRow>(items, total);
    }

    /// <summary>Every promise of the account the actor may see, with the same filter and order, streamed (the CSV export).</summary>
    public async IAsyncEnumerable<AccountPromiseRow> ExportPromisesAsync(Actor actor, Guid accountId, CommitmentStatus? status, string? sortBy, bool descending,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.Accounts.AnyAsync(a => a.Id == accountId, cancellationToken))
            throw new RecordNotFoundException("account");
        var owners = await db.OwnersVisibleToAsync(actor, cancellationToken);
        await foreach (var row in SortedPromises(PromiseRows(db, owners, accountId, status), sortBy, descending).AsAsyncEnumerable().WithCancellation(cancellationToken))
            yield return row;
    }

    private static IQueryable<AccountPromiseRow> PromiseRows(AppDbContext db, IReadOnlyList<string>? owners, Guid accountId, CommitmentStatus? status)
    {
        var deals = (owners is null ? db.Deals.AsNoTracking() : db.Deals.AsNoTracking().Where(d => owners.Contains(d.OwnerId)))
            .Where(d => d.AccountId == accountId);
        var rows = from d in deals
                   from c in d.Commitments
                   select new AccountPromiseRow
                   {
                       Id = c.Id,
                       DealId = d.Id,
                       DealTitle = d.Title,
                       Description = c.Description,
                       Direction = c.Direction,
                       Kind = c.Kind,
                       PromisedDate = c.PromisedDate,
                       NeedDate = c.NeedDate,
                       Department = c.Department,
                       OwnerEmail = db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.Email).FirstOrDefault(),
                       AggressiveReason = c.AggressiveReason,
                       Status = c.Status,
                       RiskLevel = c.RiskLevel,
                   };
        if (status is { } wanted)
            rows = rows.Where(r => r.Status == wanted);
        return rows;
    }

    private static IOrderedQueryable<AccountPromiseRow> SortedPromises(IQueryable<AccountPromiseRow> rows, string? sortBy, bool descending) => ((sortBy, descending) switch
    {
        ("deal", false) => rows.OrderBy(r => r.DealTitle).ThenByDescending(r => r.PromisedDate),
        ("deal", true) => rows.OrderByDescending(r => r.DealTitle).ThenByDescending(r => r.PromisedDate),
        ("promised", false) => rows.OrderBy(r => r.PromisedDate),
        _ => rows.OrderByDescending(r => r.PromisedDate),
    }).ThenBy(r => r.Id);

    /// <summary>Adds a person of the customer's; names are unique within the account.</summary>
    public async Task<Guid> AddContactAsync(Actor actor, Guid accountId, ContactInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var account = await FindForContactsAsync(db, actor, accountId, cancellationToken);
        await contactValidator.EnsureValidAsync(input, cancellationToken);
        var contact = account.AddContact(input.Name, input.Role, input.Email, input.Phone, input.MayContactTheirManager);
        await SaveContactAsync(db, account, contact.Name, cancellationToken);
        return contact.Id;
    }

    /// <summary>Changes a contact; <paramref name="version"/> is the one the user saw, so two people editing never overwrite each other silently.</summary>
    public async Task UpdateContactAsync(Actor actor, Guid accountId, Guid contactId, uint version, ContactInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var account = await FindForContactsAsync(db, actor, accountId, cancellationToken);
        await contactValidator.EnsureValidAsync(input, cancellationToken);
        var contact = account.Contact(contactId);
        db.ExpectVersion(contact, version);
        account.UpdateContact(contactId, input.Name, input.Role, input.Email, input.Phone, input.MayContactTheirManager);
        await SaveContactAsync(db, account, contact.Name, cancellationToken);
    }

    /// <summary>Reps and managers keep the contacts of the accounts they have a deal with (one they may change).</summary>
    private static async Task<bool> MayKeepContactsAsync(AppDbContext db, Actor actor, Guid accountId, CancellationToken cancellationToken) =>
        (actor.IsRep || actor.IsManager) && await db.Deals.EditableBy(db, actor).AnyAsync(d => d.AccountId == accountId, cancellationToken);

    private static async Task<Account> FindForContactsAsync(AppDbContext db, Actor actor, Guid accountId, CancellationToken cancellationToken)
    {
        if (!actor.IsRep && !actor.IsManager)
            throw new AccessDeniedException("Contacts are kept by the reps and managers who work with the customer; you can read them.");
        var account = await db.Accounts.Include(a => a.Contacts).SingleOrDefaultAsync(a => a.Id == accountId, cancellationToken)
            ?? throw new RecordNotFoundException("account");
        if (!await MayKeepContactsAsync(db, actor, accountId, cancellationToken))
            throw new AccessDeniedException("Contacts are kept by the reps (and their managers) who have a deal with this customer.");
        return account;
    }

    private static async Task SaveContactAsync(AppDbContext db, Account account, string name, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveOrExplainConflictAsync("contact", cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Someone added a contact of that name at the same moment.
            throw new DomainException($"{account.Name} already has a contact named {name}.");
        }
    }

    private static IQueryable<Account> Matching(IQueryable<Account> accounts, string? search)
    {
        if (string.IsNullOrWhiteSpace(search) || Domain.Text.WithoutForbiddenCharacters(search).Trim().Length == 0)
            return accounts;
        if (SearchPattern.IsShort(search))
        {
            var start = SearchPattern.StartsWith(search);
            var word = SearchPattern.WordStartsWith(search);
            return accounts.Where(a => EF.Functions.ILike(a.Name, start, SearchPattern.EscapeCharacter)
                || EF.Functions.ILike(a.Name, word, SearchPattern.EscapeCharacter));
        }
        var pattern = SearchPattern.Contains(search);
        return accounts.Where(a => EF.Functions.ILike(a.Name, pattern, SearchPattern.EscapeCharacter));
    }
}

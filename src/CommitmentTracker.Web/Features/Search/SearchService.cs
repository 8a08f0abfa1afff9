using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Search;

/// <summary>What a search result is.</summary>
public enum SearchHitKind { AllResults, Account, Deal, Promise }

/// <summary>One result: what it is, what to show, and where it leads.</summary>
public sealed record SearchHit(SearchHitKind Kind, Guid Id, string Title, string Detail, string Href)
{
    public override string ToString() => Title;
}

/// <summary>The results of one search, a few per group; <c>More…</c> says a group had more than it shows.</summary>
public sealed record SearchResults(string Text, IReadOnlyList<SearchHit> Accounts, IReadOnlyList<SearchHit> Deals, IReadOnlyList<SearchHit> Promises)
{
    public bool MoreAccounts { get; init; }
    public bool MoreDeals { get; init; }
    public bool MorePromises { get; init; }

    /// <summary>The text was too short to search for (<see cref="SearchService.MinimumLength"/>).</summary>
    public bool TooShort { get; init; }

    public static SearchResults None(string text, bool tooShort) => new(text, [], [], []) { TooShort = tooShort };

    public bool IsEmpty => Accounts.Count == 0 && Deals.Count == 0 && Promises.Count == 0;

    public IEnumerable<SearchHit> All => Accounts.Concat(Deals).Concat(Promises);
}

/// <summary>
/// The top-bar search: accounts by name, deals by title, promises by text, through trigram indexes. Accounts are shared
/// (every user finds every customer); deals and promises are only those the user may see (<see cref="DealAccess"/>).
/// </summary>
public sealed class SearchService(IDbContextFactory<AppDbContext> dbFactory)
{
    /// <summary>Fewer characters than this are not searched: too many things match one letter.</summary>
    public const int MinimumLength = 2;

    /// <summary>Results per group in the top bar's list.</summary>
    public const int PerGroupInTopBar = 5;

    /// <summary>Results per group on the search page.</summary>
    public const int PerGroupOnPage = 25;

    public async Task<SearchResults> SearchAsync(Actor actor, string? text, int perGroup = PerGroupInTopBar, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var typed = Domain.Text.WithoutForbiddenCharacters(text ?? "").Trim();
        if (typed.Length < MinimumLength)
            return SearchResults.None(typed, tooShort: typed.Length > 0);
        var take = Math.Clamp(perGroup, 1, 100);
        var shortText = SearchPattern.IsShort(typed);
        var contains = SearchPattern.Contains(typed);
        var start = SearchPattern.StartsWith(typed);
        var word = SearchPattern.WordStartsWith(typed);
        const string escape = SearchPattern.EscapeCharacter;

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var owners = await db.OwnersVisibleToAsync(actor, cancellationToken);

        var accounts = db.Accounts.AsNoTracking();
        accounts = shortText
            ? accounts.Where(a => EF.Functions.ILike(a.Name, start, escape) || EF.Functions.ILike(a.Name, word, escape))
            : accounts.Where(a => EF.Functions.ILike(a.Name, contains, escape));
        // What starts with the text first (typing "lit" means Litware before Split Lit), then alphabetically.
        var accountHits = await accounts.OrderByDescending(a => EF.Functions.ILike(a.Name, start, escape)).ThenBy(a => a.Name.ToLower()).ThenBy(a => a.Id).Take(take + 1)
            .Select(a => new { a.Id, a.Name, a.Industry }).ToListAsync(cancellationToken);

        var deals = owners is null ? db.Deals.AsNoTracking() : db.Deals.AsNoTracking().Where(d => owners.Contains(d.OwnerId));
        deals = shortText
            ? deals.Where(d => EF.Functions.ILike(d.Title, start, escape) || EF.Functions.ILike(d.Title, word, escape))
            : deals.Where(d => EF.Functions.ILike(d.Title, contains, escape));
        var dealHits = await (from d in deals
                              join a in db.Accounts on d.AccountId equals a.Id
                              orderby EF.Functions.ILike(d.Title, start, escape) descending, d.Title.ToLower(), d.Id
                              select new { d.Id, d.Title, Account = a.Name, d.Stage }).Take(take + 1).ToListAsync(cancellationToken);

        // Promises are sentences: two letters start a word in most of them, so their text is searched from three letters,
        // where a trigram lookup finds what contains the text.
        var promises = owners is null ? db.Commitments.AsNoTracking() : db.Commitments.AsNoTracking().Where(c => owners.Contains(c.DealOwnerId));
        promises = promises.Where(c => EF.Functions.ILike(c.Description, contains, escape));
        var promiseHits = shortText ? [] : await (from c in promises
                                 join d in db.Deals on c.DealId equals d.Id
                                 orderby c.PromisedDate descending, c.Id
                                 select new { c.Id, c.DealId, c.Description, c.Direction, c.PromisedDate, c.Status, DealTitle = d.Title })
            .Take(take + 1).ToListAsync(cancellationToken);

        return new SearchResults(
            typed,
            [.. accountHits.Take(take).Select(a => new SearchHit(SearchHitKind.Account, a.Id, a.Name, a.Industry ?? "Account", $"accounts/{a.Id}"))],
            [.. dealHits.Take(take).Select(d => new SearchHit(SearchHitKind.Deal, d.Id, d.Title, $"{d.Account} · {d.Stage}", $"deals/{d.Id}"))],
            [.. promiseHits.Take(take).Select(p => new SearchHit(SearchHitKind.Promise, p.Id, p.Description,
                $"{(p.Direction == CommitmentDirection.Ours ? "Ours" : "Theirs")} · {Commitment.StatusLabel(p.Status)} · {p.PromisedDate.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture)} · {p.DealTitle}",
                $"deals/{p.DealId}"))])
        {
            MoreAccounts = accountHits.Count > take,
            MoreDeals = dealHits.Count > take,
            MorePromises = promiseHits.Count > take,
        };
    }
}

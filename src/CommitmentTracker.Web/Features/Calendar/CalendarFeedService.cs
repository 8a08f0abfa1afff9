using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Calendar;

/// <summary>Whether a user has a calendar address (for their own dates, or one account's) and since when.</summary>
public sealed record CalendarFeedStatus(bool Exists, DateTimeOffset? CreatedAt);

/// <summary>
/// Calendar (ICS) feeds behind secret addresses: a user's own dates (promises they own, milestones assigned to them,
/// touchpoints of their deals) and, per account, the account's promises and milestones on the deals the user may see.
/// The token is shown once, when the address is made or reset; only its hash is stored, so resetting makes the old
/// address fail at once (404). The feed is built afresh at every request with the user's current access: a user switched
/// off, or no longer allowed a deal, stops seeing it in their calendar at its next refresh.
/// </summary>
public sealed class CalendarFeedService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, PublicAddress address)
{
    /// <summary>The path a feed is served at; the token is the last segment.</summary>
    public const string PathPrefix = "calendar/";

    /// <summary>Whether the actor has an address for their own dates (<paramref name="accountId"/> null) or the account's.</summary>
    public async Task<CalendarFeedStatus> StatusAsync(Actor actor, Guid? accountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var created = await db.CalendarFeeds.AsNoTracking().Where(f => f.UserId == actor.UserId && f.AccountId == accountId)
            .Select(f => (DateTimeOffset?)f.CreatedAt).SingleOrDefaultAsync(cancellationToken);
        return new CalendarFeedStatus(created is not null, created);
    }

    /// <summary>
    /// Makes the actor a new secret address (for their own dates, or <paramref name="accountId"/>'s) and returns it, to be
    /// shown once; an address made before stops working.
    /// </summary>
    public async Task<string> ResetAsync(Actor actor, Guid? accountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (token, hash) = ShareToken.New();
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        if (accountId is { } id && !await db.Accounts.AnyAsync(a => a.Id == id, cancellationToken))
            throw new RecordNotFoundException("account");
        var feed = await db.CalendarFeeds.SingleOrDefaultAsync(f => f.UserId == actor.UserId && f.AccountId == accountId, cancellationToken);
        if (feed is null)
        {
            feed = new CalendarFeed { UserId = actor.UserId, AccountId = accountId };
            db.CalendarFeeds.Add(feed);
        }
        feed.TokenHash = hash;
        feed.CreatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return address.Link(PathPrefix + token + ".ics");
    }

    /// <summary>Turns the address off: it answers 404 from now on.</summary>
    public async Task RemoveAsync(Actor actor, Guid? accountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.CalendarFeeds.Where(f => f.UserId == actor.UserId && f.AccountId == accountId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>The calendar for a presented token, as iCalendar text; null when no active user has that address.</summary>
    public async Task<string?> RenderAsync(string? token, CancellationToken cancellationToken = default)
    {
        var hash = ShareToken.Hash(token);
        if (hash is null)
            return null;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var feed = await db.CalendarFeeds.AsNoTracking().SingleOrDefaultAsync(f => f.TokenHash == hash, cancellationToken);
        if (feed is null || !ShareToken.Matches(feed.TokenHash, hash))
            return null;
        var actor = await ActorAccessor.LoadAsync(db, feed.UserId, cancellationToken);
        if (actor is null)
            return null;

        var calendar = new Ical.Net.Calendar { ProductId = "-//CommitmentTracker//Calendar feed//EN" };
        calendar.AddProperty("X-WR-CALNAME", feed.AccountId is null ? $"CommitmentTracker: {actor.DisplayName}" : $"CommitmentTracker: {await AccountNameAsync(db, feed.AccountId.Value, cancellationToken)}");
        var stamp = new CalDateTime(clock.GetUtcNow().UtcDateTime, "UTC");
        var items = feed.AccountId is { } accountId
            ? await AccountItemsAsync(db, actor, accountId, cancellationToken)
            : await PersonalItemsAsync(db, actor.UserId, cancellationToken);
        foreach (var item in items.OrderBy(i => i.Date).ThenBy(i => i.Uid, StringComparer.Ordinal))
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = item.Uid,
                DtStamp = stamp,
                // All-day: a date, ending the next day (DTEND is exclusive).
                DtStart = new CalDateTime(item.Date),
                DtEnd = new CalDateTime(item.Date.AddDays(1)),
                Summary = item.Summary,
                Description = item.Description,
                Url = new Uri(address.DealLink(item.DealId)),
                Transparency = TransparencyType.Transparent,
            });
        }
        return new CalendarSerializer().SerializeToString(calendar);
    }

    private sealed record Item(string Uid, DateOnly Date, string Summary, string Description, Guid DealId);

    private static async Task<string> AccountNameAsync(AppDbContext db, Guid accountId, CancellationToken cancellationToken) =>
        await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Name).SingleOrDefaultAsync(cancellationToken) ?? "account";

    private static readonly CommitmentStatus[] Unsettled = [CommitmentStatus.Open, CommitmentStatus.Broken];

    /// <summary>The user's own: promises they own, milestones assigned to them, touchpoints of the deals they own; all still open.</summary>
    private static async Task<List<Item>> PersonalItemsAsync(AppDbContext db, string userId, CancellationToken cancellationToken)
    {
        var promises = await (from c in db.Commitments.AsNoTracking()
                              join d in db.Deals on c.DealId equals d.Id
                              where c.OwnerId == userId && Unsettled.Contains(c.Status)
                              select new { c.Id, c.DealId, c.Description, c.Direction, c.Kind, c.PromisedDate, c.Status, DealTitle = d.Title })
            .ToListAsync(cancellationToken);
        var milestones = await (from m in db.Milestones.AsNoTracking()
                                join c in db.Commitments on m.CommitmentId equals c.Id
                                join d in db.Deals on c.DealId equals d.Id
                                where m.AssigneeId == userId && m.Status != MilestoneStatus.Done && m.Status != MilestoneStatus.Skipped
                                    && Unsettled.Contains(c.Status)
                                select new { m.Id, c.DealId, m.Title, m.PlannedDate, m.ForecastDate, m.Status, Promise = c.Description, DealTitle = d.Title })
            .ToListAsync(cancellationToken);
        var touchpoints = await (from t in db.Touchpoints.AsNoTracking()
                                 join d in db.Deals on t.DealId equals d.Id
                                 where d.OwnerId == userId && t.CompletedAt == null && !t.IsCancelled
                                 select new { t.Id, t.DealId, t.Kind, t.DueOn, DealTitle = d.Title })
            .ToListAsync(cancellationToken);

        return
        [
            .. promises.Select(p => new Item($"promise-{p.Id}@commitmenttracker", p.PromisedDate,
                PromiseSummary(p.Direction, p.Status, p.Description), $"{Who(p.Direction)} {p.Kind.ToString().ToLowerInvariant()} promise on the deal {p.DealTitle}.", p.DealId)),
            .. milestones.Select(m => new Item($"milestone-{m.Id}@commitmenttracker", m.ForecastDate ?? m.PlannedDate,
                $"Milestone: {m.Title}", $"{m.Status} milestone of \"{m.Promise}\" on the deal {m.DealTitle}.", m.DealId)),
            .. touchpoints.Select(t => new Item($"touchpoint-{t.Id}@commitmenttracker", t.DueOn,
                $"Touchpoint: {Touchpoint(t.Kind)}", $"Due on the deal {t.DealTitle}.", t.DealId)),
        ];
    }

    /// <summary>The account's unsettled promises (both sides) and their unfinished milestones, on the deals the user may see.</summary>
    private static async Task<List<Item>> AccountItemsAsync(AppDbContext db, Actor actor, Guid accountId, CancellationToken cancellationToken)
    {
        var owners = await db.OwnersVisibleToAsync(actor, cancellationToken);
        var deals = (owners is null ? db.Deals.AsNoTracking() : db.Deals.AsNoTracking().Where(d => owners.Contains(d.OwnerId)))
            .Where(d => d.AccountId == accountId);
        var promises = await (from d in deals
                              from c in d.Commitments
                              where Unsettled.Contains(c.Status)
                              select new { c.Id, c.DealId, c.Description, c.Direction, c.Kind, c.PromisedDate, c.Status, DealTitle = d.Title })
            .ToListAsync(cancellationToken);
        var milestones = await (from d in deals
                                from c in d.Commitments
                                from m in c.Milestones
                                where Unsettled.Contains(c.Status) && m.Status != MilestoneStatus.Done && m.Status != MilestoneStatus.Skipped
                                select new { m.Id, c.DealId, m.Title, m.PlannedDate, m.ForecastDate, m.Status, Promise = c.Description, DealTitle = d.Title })
            .ToListAsync(cancellationToken);
        return
        [
            .. promises.Select(p => new Item($"account-{accountId:N}-promise-{p.Id}@commitmenttracker", p.PromisedDate,
                PromiseSummary(p.Direction, p.Status, p.Description), $"{Who(p.Direction)} {p.Kind.ToString().ToLowerInvariant()} promise on the deal {p.DealTitle}.", p.DealId)),
            .. milestones.Select(m => new Item($"account-{accountId:N}-milestone-{m.Id}@commitmenttracker", m.ForecastDate ?? m.PlannedDate,
                $"Milestone: {m.Title}", $"{m.Status} milestone of \"{m.Promise}\" on the deal {m.DealTitle}.", m.DealId)),
        ];
    }

    private static string PromiseSummary(CommitmentDirection direction, CommitmentStatus status, string description) =>
        $"{(status == CommitmentStatus.Broken ? "Broken: " : "")}{(direction == CommitmentDirection.Theirs ? "Customer's promise" : "Promise")}: {description}";

    private static string Who(CommitmentDirection direction) => direction == CommitmentDirection.Ours ? "Our" : "The customer's";

    private static string Touchpoint(Domain.Deals.TouchpointKind kind) => Domain.Deals.Touchpoint.TitleOf(kind);
}

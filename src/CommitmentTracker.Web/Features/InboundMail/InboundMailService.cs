using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CommitmentTracker.Web.Features.InboundMail;

/// <summary>Where a received message went, per app address it was delivered to.</summary>
public sealed record MailDelivery(Guid EmailId, Guid? DealId, string? InboxUserId);

/// <summary>A message waiting in the user's inbox, as its row shows it.</summary>
public sealed record InboxRow(Guid Id, string Sender, string Subject, string Preview, DateTimeOffset ReceivedAt);

/// <summary>A page of the user's inbox and how many messages wait in all.</summary>
public sealed record InboxRows(IReadOnlyList<InboxRow> Rows, int Total);

/// <summary>A deal the user may file a message to, with why it is suggested.</summary>
public sealed record FilingChoice(Guid DealId, string Title, string AccountName, bool Suggested);

/// <summary>A kept message and the sentences in it that commit to something with a date.</summary>
public sealed record EmailView(InboundEmail Email, bool SentByStaff, IReadOnlyList<PromiseSentence> Promises);

/// <summary>
/// Email that logs itself: a message received by the listener is kept whole (<see cref="InboundEmail"/>) and logged as a
/// communication entry on the deal whose address it was sent or copied to; sent to a user's address, it is logged on the
/// one open deal of the customer contacts it names that the user may log on, else it waits in the user's inbox, where the
/// user files it to a deal they may change, or discards it. Access is decided here, for the listener and the pages alike.
/// </summary>
public sealed class InboundMailService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, IOptions<InboundMailOptions> options)
{
    /// <summary>Who an entry logged on arrival is logged by when no user of ours sent it.</summary>
    public const string ListenerUserId = "inbound-mail";

    private InboundMailOptions Options => options.Value;

    /// <summary>The deal's own address, or null when the app receives no mail.</summary>
    public string? DealAddress(Guid dealId) => Options.Receives ? $"{InboundAddress.DealLocalPart(dealId)}@{Options.Domain}" : null;

    /// <summary>The user's own address, or null when the app receives no mail or the user does not log communications.</summary>
    public async Task<string?> UserAddressAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        if (!Options.Receives || !(actor.IsRep || actor.IsManager))
            return null;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var email = await db.Users.Where(u => u.Id == actor.UserId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        return email is null ? null : $"{InboundAddress.UserLocalPart(email)}@{Options.Domain}";
    }

    /// <summary>Whether an address is one the app delivers to: at an accepted domain, and a deal's or an active user's.</summary>
    public async Task<bool> IsDeliverableAsync(string localPart, string domain, CancellationToken cancellationToken = default)
    {
        if (!Options.Accepts(domain))
            return false;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await DealOfAddressAsync(db, localPart, cancellationToken) is not null
            || await UserOfAddressAsync(db, localPart, cancellationToken) is not null;
    }

    /// <summary>
    /// Keeps and logs a received message. <paramref name="deliveredTo"/> are the envelope recipients (RCPT TO), which
    /// include the BCC copies the headers do not show. A message sent to a deal's address is logged there and not also put
    /// in a user's inbox; the same message (by Message-ID) is logged on a deal once.
    /// </summary>
    public async Task<IReadOnlyList<MailDelivery>> ReceiveAsync(MimeMessage message, IReadOnlyList<string> deliveredTo, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = clock.GetUtcNow();
        var from = message.From.Mailboxes.FirstOrDefault() ?? message.Sender;
        var fromAddress = from?.Address?.Trim() ?? "";
        var named = message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address.Trim()).ToList();
        var recipients = string.Join(", ", named.Concat(deliveredTo.Where(d => !named.Contains(d, StringComparer.OrdinalIgnoreCase)).Select(d => $"{d} (copy)")));
        var attachments = message.Attachments.OfType<MimePart>().Select(AttachmentOf).ToList();
        var text = message.TextBody ?? (message.HtmlBody is { } html ? HtmlText.ToText(html) : "");

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ChangedBy = ListenerUserId;
        db.ChangedAt = now;
        var senderUserId = await StaffIdAsync(db, fromAddress, cancellationToken);
        var results = new List<MailDelivery>();
        var toDeals = new List<Guid>();
        var toUsers = new List<string>();
        foreach (var address in deliveredTo.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var (local, domain) = Split(address);
            if (!Options.Accepts(domain))
                continue;
            if (await DealOfAddressAsync(db, local, cancellationToken) is { } dealId)
                toDeals.Add(dealId);
            else if (await UserOfAddressAsync(db, local, cancellationToken) is { } userId)
                toUsers.Add(userId);
        }

        InboundEmail Keep(string? inboxUserId)
        {
            var email = InboundEmail.Receive(message.MessageId, fromAddress, from?.Name, recipients, message.Subject, text,
                message.Date == DateTimeOffset.MinValue ? null : message.Date, attachments, inboxUserId, now);
            db.InboundEmails.Add(email);
            return email;
        }

        foreach (var dealId in toDeals.Distinct())
        {
            if (message.MessageId is { } messageId && await db.InboundEmails.AnyAsync(e => e.MessageId == messageId && e.DealId == dealId, cancellationToken))
                continue;
            var email = Keep(null);
            var deal = await db.Deals.AsNoTracking().SingleAsync(d => d.Id == dealId, cancellationToken);
            db.CommunicationEntries.Add(email.LogTo(dealId, await DirectionAsync(db, deal, fromAddress, senderUserId, cancellationToken), senderUserId ?? ListenerUserId, now));
            results.Add(new MailDelivery(email.Id, dealId, null));
        }

        // Copied to a deal's address: logged there already; the users' inboxes need no second copy.
        foreach (var userId in toDeals.Count > 0 ? [] : toUsers.Distinct())
        {
            var email = Keep(userId);
            var actor = await ActorAccessor.LoadAsync(db, userId, cancellationToken);
            if (actor is not null && await OnlyDealOfContactsAsync(db, actor, [fromAddress, .. named], cancellationToken) is { } deal)
            {
                db.CommunicationEntries.Add(email.LogTo(deal.Id, await DirectionAsync(db, deal, fromAddress, senderUserId, cancellationToken), userId, now));
                results.Add(new MailDelivery(email.Id, deal.Id, null));
            }
            else
            {
                results.Add(new MailDelivery(email.Id, null, userId));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return results;
    }

    /// <summary>A page of the messages waiting in the user's inbox, newest first.</summary>
    public async Task<InboxRows> InboxAsync(Actor actor, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        pageSize = Math.Clamp(pageSize, 1, 100);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var waiting = Waiting(db, actor);
        var total = await waiting.CountAsync(cancellationToken);
        var rows = await waiting.OrderByDescending(e => e.ReceivedAt).ThenBy(e => e.Id)
            .Skip(Math.Max(0, page) * pageSize).Take(pageSize)
            .Select(e => new { e.Id, e.FromName, e.FromAddress, e.Subject, Preview = e.TextBody.Substring(0, 160), e.ReceivedAt })
            .ToListAsync(cancellationToken);
        return new InboxRows(rows.Select(r => new InboxRow(
            r.Id, string.IsNullOrWhiteSpace(r.FromName) ? r.FromAddress : $"{r.FromName} <{r.FromAddress}>",
            string.IsNullOrWhiteSpace(r.Subject) ? "(no subject)" : r.Subject, r.Preview, r.ReceivedAt)).ToList(), total);
    }

    /// <summary>How many messages wait in the user's inbox (the menu's badge).</summary>
    public async Task<int> InboxCountAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await Waiting(db, actor).CountAsync(cancellationToken);
    }

    /// <summary>
    /// The open deals the user may file the message to: first the deals of the customers it names, then the rest matching
    /// <paramref name="search"/> (title or account), a short list.
    /// </summary>
    public async Task<IReadOnlyList<FilingChoice>> FilingChoicesAsync(Actor actor, Guid emailId, string? search, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var email = await db.InboundEmails.AsNoTracking().SingleOrDefaultAsync(e => e.Id == emailId && e.InboxUserId == actor.UserId, cancellationToken)
            ?? throw new RecordNotFoundException("email");
        var accounts = await AccountsOfContactsAsync(db, [email.FromAddress, .. AddressesIn(email.Recipients)], cancellationToken);
        var open = db.Deals.EditableBy(db, actor).Where(d => d.Stage != DealStage.Paid && d.Stage != DealStage.Lost);
        var suggested = await open.Where(d => accounts.Contains(d.AccountId))
            .OrderBy(d => d.Title).Take(20)
            .Select(d => new FilingChoice(d.Id, d.Title, db.Accounts.Where(a => a.Id == d.AccountId).Select(a => a.Name).First(), true))
            .ToListAsync(cancellationToken);
        var term = search?.Trim() ?? "";
        var others = await open.Where(d => !accounts.Contains(d.AccountId))
            .Where(d => term == "" || EF.Functions.ILike(d.Title, $"%{term}%") || db.Accounts.Any(a => a.Id == d.AccountId && EF.Functions.ILike(a.Name, $"%{term}%")))
            .OrderBy(d => d.Title).Take(20)
            .Select(d => new FilingChoice(d.Id, d.Title, db.Accounts.Where(a => a.Id == d.AccountId).Select(a => a.Name).First(), false))
            .ToListAsync(cancellationToken);
        return [.. suggested, .. others];
    }

    /// <summary>Files a message of the user's inbox to a deal the user may change: it is logged there as a communication entry.</summary>
    public async Task<Guid> FileAsync(Actor actor, Guid emailId, Guid dealId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var email = await db.InboundEmails.SingleOrDefaultAsync(e => e.Id == emailId && e.InboxUserId == actor.UserId, cancellationToken)
            ?? throw new RecordNotFoundException("email");
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        if (deal.IsClosed)
            throw new DomainException($"This deal is {deal.Stage.ToString().ToLowerInvariant()}: file the email to an open deal.");
        var entry = email.LogTo(deal.Id, await DirectionAsync(db, deal, email.FromAddress, await StaffIdAsync(db, email.FromAddress, cancellationToken), cancellationToken), actor.UserId, now);
        db.CommunicationEntries.Add(entry);
        await db.SaveOrExplainConflictAsync("email", cancellationToken);
        return entry.Id;
    }

    /// <summary>Takes a message out of the user's inbox without logging it; the record of it stays.</summary>
    public async Task DiscardAsync(Actor actor, Guid emailId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var email = await db.InboundEmails.SingleOrDefaultAsync(e => e.Id == emailId && e.InboxUserId == actor.UserId, cancellationToken)
            ?? throw new RecordNotFoundException("email");
        email.Discard(actor.UserId, now);
        await db.SaveOrExplainConflictAsync("email", cancellationToken);
    }

    /// <summary>
    /// A kept message with its dated commitments, for whoever may see the deal it is logged on, or the user whose inbox
    /// it waits in. Anything else looks like a message that does not exist.
    /// </summary>
    public async Task<EmailView> EmailAsync(Actor actor, Guid emailId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var email = await db.InboundEmails.AsNoTracking()
            .Where(e => e.Id == emailId && (e.InboxUserId == actor.UserId || db.Deals.VisibleTo(db, actor).Any(d => d.Id == e.DealId)))
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new RecordNotFoundException("email");
        var sentByStaff = await StaffIdAsync(db, email.FromAddress, cancellationToken) is not null;
        return new EmailView(email, sentByStaff, PromiseSentenceFinder.Find(email.TextBody, DateOnly.FromDateTime(email.SentAt.UtcDateTime)));
    }

    private static IQueryable<InboundEmail> Waiting(AppDbContext db, Actor actor) =>
        db.InboundEmails.Where(e => e.InboxUserId == actor.UserId && e.Status == InboundEmailStatus.Inbox);

    /// <summary>From the customer when a contact of the deal's account wrote it; to the customer when one of our users did.</summary>
    private static async Task<CommunicationDirection> DirectionAsync(AppDbContext db, Deal deal, string fromAddress, string? senderUserId, CancellationToken cancellationToken)
    {
        var from = fromAddress.ToLowerInvariant();
#pragma warning disable CA1862 // translated to SQL: lower(email) = the lowered address
        if (await db.Contacts.AnyAsync(c => c.AccountId == deal.AccountId && c.Email != null && c.Email.ToLower() == from, cancellationToken))
#pragma warning restore CA1862
            return CommunicationDirection.FromCustomer;
        // Someone outside both: most likely the customer's side (a colleague not yet a contact).
        return senderUserId is not null ? CommunicationDirection.ToCustomer : CommunicationDirection.FromCustomer;
    }

    private static async Task<string?> StaffIdAsync(AppDbContext db, string address, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(address))
            return null;
        var normalized = address.Trim().ToUpperInvariant();
        return await db.Users.Where(u => u.NormalizedEmail == normalized && u.IsActive).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The one open deal of the named contacts' accounts that the user may log on; null for none or several.</summary>
    private static async Task<Deal?> OnlyDealOfContactsAsync(AppDbContext db, Actor actor, IReadOnlyList<string> addresses, CancellationToken cancellationToken)
    {
        var accounts = await AccountsOfContactsAsync(db, addresses, cancellationToken);
        if (accounts.Count == 0)
            return null;
        var deals = await db.Deals.AsNoTracking().EditableBy(db, actor)
            .Where(d => accounts.Contains(d.AccountId) && d.Stage != DealStage.Paid && d.Stage != DealStage.Lost)
            .Take(2).ToListAsync(cancellationToken);
        return deals.Count == 1 ? deals[0] : null;
    }

    private static async Task<List<Guid>> AccountsOfContactsAsync(AppDbContext db, IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        var lower = addresses.Select(a => a.Trim().ToLowerInvariant()).Where(a => a.Contains('@', StringComparison.Ordinal)).Distinct().ToList();
        return lower.Count == 0 ? [] : await db.Contacts
            .Where(c => c.Email != null && lower.Contains(c.Email.ToLower()))
            .Select(c => c.AccountId).Distinct().ToListAsync(cancellationToken);
    }

    /// <summary>The deal a deal address names: exactly one deal whose id starts with its key.</summary>
    private static async Task<Guid?> DealOfAddressAsync(AppDbContext db, string localPart, CancellationToken cancellationToken)
    {
        if (InboundAddress.DealIdRange(localPart) is not { } range)
            return null;
        // An index range scan on the primary key: uuids order by their bytes, as their hex reads.
        var ids = await db.Database
            .SqlQuery<Guid>($"SELECT id AS \"Value\" FROM deals WHERE id BETWEEN {range.From} AND {range.To} LIMIT 2")
            .ToListAsync(cancellationToken);
        return ids.Count == 1 ? ids[0] : null;
    }

    /// <summary>The active rep or manager a user address names (their sign-in email's local part).</summary>
    private static async Task<string?> UserOfAddressAsync(AppDbContext db, string localPart, CancellationToken cancellationToken)
    {
        var local = localPart.Trim().ToLowerInvariant();
        if (local.Length == 0)
            return null;
        // Usually the sign-in email's own local part; the slug only differs for unusual characters.
        var prefix = local.ToUpperInvariant() + "@";
        var candidates = await db.Users
            .Where(u => u.IsActive && u.NormalizedEmail != null && u.NormalizedEmail.StartsWith(prefix))
            .Where(u => db.UserRoles.Any(r => r.UserId == u.Id && db.Roles.Any(role => role.Id == r.RoleId && (role.Name == AppRoles.Rep || role.Name == AppRoles.Manager))))
            .Select(u => new { u.Id, u.Email }).Take(2).ToListAsync(cancellationToken);
        var matching = candidates.Where(c => c.Email is not null && InboundAddress.UserLocalPart(c.Email) == local).ToList();
        return matching.Count == 1 ? matching[0].Id : null;
    }

    private static (string Local, string Domain) Split(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? (address, "") : (address[..at], address[(at + 1)..]);
    }

    private static IEnumerable<string> AddressesIn(string recipients) =>
        recipients.Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries).Where(p => p.Contains('@', StringComparison.Ordinal));

    private static EmailAttachment AttachmentOf(MimePart part)
    {
        long size = 0;
        if (part.Content is { } content)
        {
            using var measure = new MimeKit.IO.MeasuringStream();
            content.DecodeTo(measure);
            size = measure.Length;
        }
        return new EmailAttachment(part.FileName ?? part.ContentType.Name ?? "(unnamed)", size, part.ContentType.MimeType);
    }
}

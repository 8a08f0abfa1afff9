using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.InboundMail;
using CommitmentTracker.Web.Features.Promises;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.InboundMail;

/// <summary>
/// Email that logs itself, through the real listener: messages sent with MailKit's SmtpClient to the app's SMTP port land
/// on the right deal's communication log (also a BCC copy), wait in the user's inbox when unmatched, and recipients outside
/// the accepted domains are refused at RCPT TO. Filing from the inbox follows the deal access rules.
/// </summary>
public sealed class InboundMailTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private const string Domain = "mail.ct.test";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private static readonly DateTimeOffset Later = Now.AddHours(3);

    private readonly FakeTimeProvider _clock = new(Later);
    private ServiceProvider _services = default!;
    private MailListener _listener = default!;
    private int _port;
    private CommitmentTracker.Domain.Teams.Team? _lastTeam;

    public async ValueTask InitializeAsync()
    {
        _port = SmtpSink.ClosedPort();
        var services = new ServiceCollection();
        services.AddSingleton<IDbContextFactory<AppDbContext>>(database);
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(Options.Create(new InboundMailOptions { Enabled = true, Port = _port, AcceptedDomains = [Domain], MaxMessageBytes = 1_000_000 }));
        services.AddScoped<InboundMailService>();
        _services = services.BuildServiceProvider();
        _listener = new MailListener(_services.GetRequiredService<IOptions<InboundMailOptions>>(), _services.GetRequiredService<IServiceScopeFactory>(), NullLogger<MailListener>.Instance);
        await _listener.StartAsync(Cancel);
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.StopAsync(CancellationToken.None);
        _listener.Dispose();
        await _services.DisposeAsync();
    }

    private InboundMailService Mail => _services.CreateScope().ServiceProvider.GetRequiredService<InboundMailService>();

    [Fact]
    public async Task Mail_from_a_customer_contact_to_the_deals_address_is_logged_on_that_deal_with_the_message_kept()
    {
        var (rep, deal, contact) = await ArrangeAsync();
        var message = Message(contact, DealAddress(deal), "Scanner delivery", "Hello Ana,\n\nwe will send the floor plan by 9 March.\n\nHannah");
        var attachment = new MimePart("application", "pdf") { FileName = "floor-plan.pdf", Content = new MimeContent(new MemoryStream(new byte[2048])), ContentTransferEncoding = ContentEncoding.Base64 };
        message.Body = new Multipart("mixed") { new TextPart("plain") { Text = "Hello Ana,\n\nwe will send the floor plan by 9 March.\n\nHannah" }, attachment };

        await SendAsync(message, [DealAddress(deal)]);

        var entry = Assert.Single(await EntriesAsync(deal.Id));
        Assert.Equal((CommunicationChannel.Email, CommunicationDirection.FromCustomer), (entry.Channel, entry.Direction));
        Assert.StartsWith("Email: Scanner delivery\nHello Ana, we will send the floor plan by 9 March.", entry.Summary, StringComparison.Ordinal);
        var email = await database.QueryAsync(db => db.InboundEmails.AsNoTracking().SingleAsync(e => e.Id == entry.EmailId, Cancel));
        Assert.Equal((contact.Email, "Scanner delivery", InboundEmailStatus.Logged, (Guid?)deal.Id, (Guid?)entry.Id),
            (email.FromAddress, email.Subject, email.Status, email.DealId, email.CommunicationEntryId));
        Assert.Equal([new EmailAttachment("floor-plan.pdf", 2048, "application/pdf")], email.Attachments);
        Assert.Contains("we will send the floor plan by 9 March.", email.TextBody, StringComparison.Ordinal);
        Assert.Equal(0, await Mail.InboxCountAsync(rep, Cancel));
    }

    [Fact]
    public async Task A_BCC_copy_from_the_rep_to_the_deals_address_is_logged_as_written_to_the_customer()
    {
        var (rep, deal, contact) = await ArrangeAsync();
        var repEmail = await EmailOfAsync(rep);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Ana Rep", repEmail));
        message.To.Add(new MailboxAddress(contact.Name, contact.Email!));
        message.Subject = "Your scanners";
        message.Body = new TextPart("html") { Text = "<p>Dear Hannah,</p><p>We will deliver the scanners by <b>12 March</b>.</p>" };

        // The deal's address is only on the envelope: a BCC copy, invisible in the headers.
        await SendAsync(message, [DealAddress(deal)]);

        var entry = Assert.Single(await EntriesAsync(deal.Id));
        Assert.Equal((CommunicationDirection.ToCustomer, rep.UserId), (entry.Direction, entry.LoggedBy));
        var view = await Mail.EmailAsync(rep, entry.EmailId!.Value, Cancel);
        Assert.Contains($"{DealAddress(deal)} (copy)", view.Email.Recipients, StringComparison.Ordinal);
        Assert.Equal("Dear Hannah,\n\nWe will deliver the scanners by 12 March.", view.Email.TextBody);
        var promise = Assert.Single(view.Promises);
        Assert.Equal(("We will deliver the scanners by 12 March.", new DateOnly(2026, 3, 12), CommitmentKind.Delivery, (CommitmentDirection?)CommitmentDirection.Ours),
            (promise.Sentence, promise.Date, promise.Kind, promise.DirectionWhenSentByStaff(view.SentByStaff)));
    }

    [Fact]
    public async Task Mail_to_a_users_address_naming_a_contact_with_one_open_deal_is_logged_there()
    {
        var (rep, deal, contact) = await ArrangeAsync();

        await SendAsync(Message(contact, await UserAddressAsync(rep), "Training dates", "Can we talk about the training?"), [await UserAddressAsync(rep)]);

        var entry = Assert.Single(await EntriesAsync(deal.Id));
        Assert.Equal((CommunicationDirection.FromCustomer, rep.UserId), (entry.Direction, entry.LoggedBy));
        Assert.Equal(0, await Mail.InboxCountAsync(rep, Cancel));
    }

    [Fact]
    public async Task Unmatched_mail_to_a_users_address_waits_in_their_inbox_and_is_filed_to_a_deal_they_may_change()
    {
        var (rep, deal, _) = await ArrangeAsync();
        var stranger = new MailboxAddress("Someone New", $"new-{Guid.NewGuid():N}@elsewhere.example");
        var message = new MimeMessage();
        message.From.Add(stranger);
        message.To.Add(MailboxAddress.Parse(await UserAddressAsync(rep)));
        message.Subject = "Introduction";
        message.Body = new TextPart("plain") { Text = "I took over from Hannah. Installation is scheduled for 3/14." };

        await SendAsync(message, [await UserAddressAsync(rep)]);

        Assert.Empty(await EntriesAsync(deal.Id));
        var inbox = await Mail.InboxAsync(rep, 0, 25, Cancel);
        var row = Assert.Single(inbox.Rows);
        Assert.Equal((1, "Introduction", $"Someone New <{stranger.Address}>"), (inbox.Total, row.Subject, row.Sender));
        Assert.Equal(1, await Mail.InboxCountAsync(rep, Cancel));

        var entryId = await Mail.FileAsync(rep, row.Id, deal.Id, Cancel);

        var entry = Assert.Single(await EntriesAsync(deal.Id));
        Assert.Equal((entryId, CommunicationDirection.FromCustomer, rep.UserId), (entry.Id, entry.Direction, entry.LoggedBy));
        Assert.Equal(0, await Mail.InboxCountAsync(rep, Cancel));
        Assert.Equal("This email is already logged on a deal.", (await Assert.ThrowsAsync<DomainException>(() => Mail.FileAsync(rep, row.Id, deal.Id, Cancel))).Message);
        Assert.Single(await EntriesAsync(deal.Id));
    }

    [Fact]
    public async Task Filing_to_another_teams_deal_is_refused_and_the_mail_stays_in_the_inbox()
    {
        var (rep, _, _) = await ArrangeAsync();
        var repsTeam = _lastTeam;
        var (_, otherTeamsDeal, _) = await ArrangeAsync();
        _lastTeam = repsTeam;
        var emailId = await InboxMailAsync(rep);
        var colleague = await database.CreateAsync(AppRoles.Rep, _lastTeam);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => Mail.FileAsync(rep, emailId, otherTeamsDeal.Id, Cancel));
        // Someone else's inbox is not theirs to file from, even in the same team.
        var colleaguesDeal = await database.CreateDealAsync(colleague);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => Mail.FileAsync(colleague, emailId, colleaguesDeal.Id, Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => Mail.EmailAsync(colleague, emailId, Cancel));

        Assert.Empty(await EntriesAsync(otherTeamsDeal.Id));
        Assert.Equal(1, await Mail.InboxCountAsync(rep, Cancel));
        Assert.DoesNotContain(await Mail.FilingChoicesAsync(rep, emailId, null, Cancel), c => c.DealId == otherTeamsDeal.Id);
    }

    [Fact]
    public async Task A_discarded_mail_leaves_the_inbox_and_is_kept_as_a_record()
    {
        var (rep, _, _) = await ArrangeAsync();
        var emailId = await InboxMailAsync(rep);

        await Mail.DiscardAsync(rep, emailId, Cancel);

        Assert.Equal(0, await Mail.InboxCountAsync(rep, Cancel));
        var email = await database.QueryAsync(db => db.InboundEmails.AsNoTracking().SingleAsync(e => e.Id == emailId, Cancel));
        Assert.Equal((InboundEmailStatus.Discarded, rep.UserId), (email.Status, email.HandledBy));
    }

    [Fact]
    public async Task Recipients_outside_the_accepted_domains_or_unknown_there_are_refused_at_RCPT_and_nothing_is_kept()
    {
        var (_, deal, contact) = await ArrangeAsync();
        var before = await database.QueryAsync(db => db.InboundEmails.CountAsync(Cancel));

        foreach (var address in new[] { $"{InboundAddress.DealLocalPart(deal.Id)}@other.example", $"deal-000000000000@{Domain}", $"nobody-{Guid.NewGuid():N}@{Domain}" })
        {
            var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => SendAsync(Message(contact, address, "Hello", "We will deliver by 12 March."), [address]));
            Assert.Equal(SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
        }

        Assert.Equal(before, await database.QueryAsync(db => db.InboundEmails.CountAsync(Cancel)));
        Assert.Empty(await EntriesAsync(deal.Id));
    }

    [Fact]
    public async Task A_promise_made_from_a_sentence_of_a_logged_email_keeps_the_sentence_as_its_evidence()
    {
        var (rep, deal, contact) = await ArrangeAsync();
        await SendAsync(Message(contact, DealAddress(deal), "Plan", "Thanks. The operator training will be done by the end of June."), [DealAddress(deal)]);
        var entry = Assert.Single(await EntriesAsync(deal.Id));
        var sentence = Assert.Single((await Mail.EmailAsync(rep, entry.EmailId!.Value, Cancel)).Promises);
        var input = AddPromiseInput.For(CommitmentDirection.Ours, rep.UserId);
        input.Kind = sentence.Kind;
        input.Description = sentence.Sentence;
        input.PromisedDate = sentence.Date.ToDateTime(TimeOnly.MinValue);
        input.Evidence = sentence.Sentence;

        var promiseId = await CommitmentTracker.Web.Tests.Features.Promises.PromisesServiceFactory.Create(database, _clock).AddAsync(rep, deal.Id, input, Cancel);

        var promise = await database.QueryAsync(db => db.LoadCommitmentAsync(promiseId));
        Assert.Equal(("The operator training will be done by the end of June.", CommitmentKind.Training, new DateOnly(2026, 6, 30)),
            (promise.Evidence, promise.Kind, promise.PromisedDate));
    }

    [Fact]
    public async Task The_listener_stops_cleanly_and_then_accepts_no_connection()
    {
        await _listener.StopAsync(Cancel);

        using var client = new SmtpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => client.ConnectAsync("127.0.0.1", _port, MailKit.Security.SecureSocketOptions.None, Cancel));
    }

    private async Task<(Actor Rep, Deal Deal, Contact Contact)> ArrangeAsync()
    {
        var team = _lastTeam = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var account = Account.Create($"Account {Guid.NewGuid():N}", "Retail", Now);
        var contact = account.AddContact("Hannah Berg", ContactRole.Buyer, $"hannah-{Guid.NewGuid():N}@customer.example", null, false);
        await database.InsertAsync(account);
        var deal = await database.CreateDealAsync(rep, account: account);
        return (rep, deal, contact);
    }

    private async Task<Guid> InboxMailAsync(Actor rep)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Someone New", $"new-{Guid.NewGuid():N}@elsewhere.example"));
        message.To.Add(MailboxAddress.Parse(await UserAddressAsync(rep)));
        message.Subject = "Hello";
        message.Body = new TextPart("plain") { Text = "Just saying hello." };
        await SendAsync(message, [await UserAddressAsync(rep)]);
        return Assert.Single((await Mail.InboxAsync(rep, 0, 25, Cancel)).Rows).Id;
    }


    private static string DealAddress(Deal deal) => $"{InboundAddress.DealLocalPart(deal.Id)}@{Domain}";

    private async Task<string> UserAddressAsync(Actor actor) => (await Mail.UserAddressAsync(actor, Cancel))!;

    private Task<string> EmailOfAsync(Actor actor) =>
        database.QueryAsync(db => db.Users.Where(u => u.Id == actor.UserId).Select(u => u.Email!).SingleAsync(Cancel));

    private static MimeMessage Message(Contact from, string to, string subject, string text)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(from.Name, from.Email!));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Date = Later.AddMinutes(-10);
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    private async Task SendAsync(MimeMessage message, IEnumerable<string> envelopeTo)
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", _port, MailKit.Security.SecureSocketOptions.None, Cancel);
        await client.SendAsync(message, MailboxAddress.Parse(message.From.Mailboxes.First().Address), envelopeTo.Select(MailboxAddress.Parse), Cancel);
        await client.DisconnectAsync(true, Cancel);
    }

    private Task<List<CommunicationEntry>> EntriesAsync(Guid dealId) =>
        database.QueryAsync(db => db.CommunicationEntries.AsNoTracking().Where(e => e.DealId == dealId).ToListAsync(Cancel));
}

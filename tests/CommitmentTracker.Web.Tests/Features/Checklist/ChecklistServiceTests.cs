using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Checklist;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Checklist;

/// <summary>Working the expectation checklist with the customer: answers, shared risks and the acknowledgement, per role.</summary>
public sealed class ChecklistServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset Later = Now.AddHours(2);

    private readonly ChecklistService _checklist = new(
        database, new FakeTimeProvider(Later), new ChecklistAnswerValidator(), new ShareRiskValidator(),
        new ChecklistAcknowledgementValidator(new FakeTimeProvider(Later)));

    [Fact]
    public async Task Answering_an_item_records_the_answer_who_gave_it_and_when()
    {
        var (rep, deal, _) = await ArrangeAsync();
        var item = deal.Checklist.First(i => i.Required);

        await _checklist.AnswerAsync(rep, deal.Id, item.Id, new ChecklistAnswerInput { Answer = "  40 cases a minute on line 3  " }, null, Cancel);

        var stored = await database.QueryAsync(db => db.DealChecklistItems.AsNoTracking().SingleAsync(i => i.Id == item.Id, Cancel));
        Assert.Equal(("40 cases a minute on line 3", rep.UserId, (DateTimeOffset?)Later), (stored.Answer, stored.AnsweredBy, stored.AnsweredAt));
    }

    [Fact]
    public async Task An_answer_can_be_rewritten_by_the_one_who_saw_the_current_answer()
    {
        var (rep, deal, _) = await ArrangeAsync();
        var item = deal.Checklist[0];
        await _checklist.AnswerAsync(rep, deal.Id, item.Id, new ChecklistAnswerInput { Answer = "First" }, null, Cancel);
        var seen = await AnsweredAtAsync(item.Id);

        await _checklist.AnswerAsync(rep, deal.Id, item.Id, new ChecklistAnswerInput { Answer = "Second" }, seen, Cancel);

        Assert.Equal("Second", await AnswerAsync(item.Id));
    }

    [Fact]
    public async Task Answering_an_item_someone_else_answered_since_is_refused_with_their_answer()
    {
        var (rep, deal, _) = await ArrangeAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, await TeamOfAsync(rep), name: "Bo Manager");
        var item = deal.Checklist[0];
        await _checklist.AnswerAsync(manager, deal.Id, item.Id, new ChecklistAnswerInput { Answer = "Agreed on the phone" }, null, Cancel);

        var error = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _checklist.AnswerAsync(rep, deal.Id, item.Id, new ChecklistAnswerInput { Answer = "Mine" }, seenAnsweredAt: null, Cancel));

        Assert.Contains("Bo Manager", error.Message, StringComparison.Ordinal);
        Assert.Contains("Agreed on the phone", error.Message, StringComparison.Ordinal);
        Assert.Equal("Agreed on the phone", await AnswerAsync(item.Id));
    }

    [Fact]
    public async Task An_empty_answer_is_refused_and_nothing_is_saved()
    {
        var (rep, deal, _) = await ArrangeAsync();
        var item = deal.Checklist[0];

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            _checklist.AnswerAsync(rep, deal.Id, item.Id, new ChecklistAnswerInput { Answer = " " }, null, Cancel));

        Assert.Contains(error.Errors, e => e.PropertyName == nameof(ChecklistAnswerInput.Answer));
        Assert.Null(await AnswerAsync(item.Id));
    }

    [Fact]
    public async Task The_acknowledgement_is_refused_while_required_items_are_open()
    {
        var (rep, deal, contact) = await ArrangeAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            _checklist.RecordAcknowledgementAsync(rep, deal.Id, Acknowledgement(contact), null, Cancel));

        Assert.Contains("every required item is answered", error.Message, StringComparison.Ordinal);
        Assert.Null(await AcknowledgementAsync(deal.Id));
    }

    [Fact]
    public async Task Once_every_required_item_is_answered_the_customers_acknowledgement_is_recorded()
    {
        var (rep, deal, contact) = await ArrangeAsync();
        await AnswerRequiredItemsAsync(rep, deal);

        await _checklist.RecordAcknowledgementAsync(rep, deal.Id, Acknowledgement(contact), null, Cancel);

        var stored = await AcknowledgementAsync(deal.Id);
        Assert.Equal(new CustomerAcknowledgement("Hannah Berg", new DateTimeOffset(2026, 3, 2, 11, 30, 0, TimeSpan.Zero), CommunicationChannel.Meeting), stored);
    }

    [Fact]
    public async Task The_acknowledgement_must_come_from_a_contact_of_the_deals_account()
    {
        var (rep, deal, _) = await ArrangeAsync();
        await AnswerRequiredItemsAsync(rep, deal);
        var (_, _, strangersContact) = await ArrangeAsync();

        var error = await Assert.ThrowsAsync<DomainException>(() =>
            _checklist.RecordAcknowledgementAsync(rep, deal.Id, Acknowledgement(strangersContact), null, Cancel));

        Assert.Contains("contact of the deal's account", error.Message, StringComparison.Ordinal);
        Assert.Null(await AcknowledgementAsync(deal.Id));
    }

    [Fact]
    public async Task An_acknowledgement_dated_in_the_future_is_refused_by_the_validator()
    {
        var (rep, deal, contact) = await ArrangeAsync();
        await AnswerRequiredItemsAsync(rep, deal);
        var input = Acknowledgement(contact);
        input.On = Later.UtcDateTime.Date.AddDays(1);

        var error = await Assert.ThrowsAsync<ValidationException>(() => _checklist.RecordAcknowledgementAsync(rep, deal.Id, input, null, Cancel));

        Assert.Contains(error.Errors, e => e.ErrorMessage == "An acknowledgement cannot be dated in the future.");
    }

    [Fact]
    public async Task An_acknowledgement_on_a_deal_changed_since_it_was_opened_is_a_conflict()
    {
        var (rep, deal, contact) = await ArrangeAsync();
        await AnswerRequiredItemsAsync(rep, deal);
        var seen = await database.QueryAsync(db => db.Deals.Where(d => d.Id == deal.Id).Select(d => EF.Property<uint>(d, AppDbContext.Version)).SingleAsync(Cancel));
        await _checklist.RecordAcknowledgementAsync(rep, deal.Id, Acknowledgement(contact), seen, Cancel);

        var second = Acknowledgement(contact);
        second.Channel = CommunicationChannel.Email;
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _checklist.RecordAcknowledgementAsync(rep, deal.Id, second, seen, Cancel));

        Assert.Equal(CommunicationChannel.Meeting, (await AcknowledgementAsync(deal.Id))!.Channel);
    }

    [Fact]
    public async Task Sharing_a_risk_attaches_it_with_our_usual_response()
    {
        var (rep, deal, _) = await ArrangeAsync();
        var risk = await RiskAsync("Supplier parts arrive late");

        await _checklist.ShareRiskAsync(rep, deal.Id, new ShareRiskInput { RiskId = risk.Id }, Cancel);

        var shared = Assert.Single(await SharedRisksAsync(deal.Id));
        Assert.Equal((risk.Id, risk.Title, risk.UsualResponse, rep.UserId, Later), (shared.RiskLibraryEntryId, shared.Title, shared.Response, shared.SharedBy, shared.SharedAt));
    }

    [Fact]
    public async Task Sharing_the_same_risk_twice_is_refused()
    {
        var (rep, deal, _) = await ArrangeAsync();
        var risk = await RiskAsync("Supplier parts arrive late");
        await _checklist.ShareRiskAsync(rep, deal.Id, new ShareRiskInput { RiskId = risk.Id }, Cancel);

        var error = await Assert.ThrowsAsync<DomainException>(() => _checklist.ShareRiskAsync(rep, deal.Id, new ShareRiskInput { RiskId = risk.Id }, Cancel));

        Assert.Contains("already shared", error.Message, StringComparison.Ordinal);
        Assert.Single(await SharedRisksAsync(deal.Id));
    }

    [Fact]
    public async Task Sharing_needs_a_risk_of_the_library()
    {
        var (rep, deal, _) = await ArrangeAsync();

        await Assert.ThrowsAsync<ValidationException>(() => _checklist.ShareRiskAsync(rep, deal.Id, new ShareRiskInput(), Cancel));
        await Assert.ThrowsAsync<DomainException>(() => _checklist.ShareRiskAsync(rep, deal.Id, new ShareRiskInput { RiskId = Guid.NewGuid() }, Cancel));

        Assert.Empty(await SharedRisksAsync(deal.Id));
    }

    [Fact]
    public async Task The_risks_offered_fit_the_deals_promises_first_mark_those_shared_and_leave_out_retired_ones()
    {
        var (rep, deal, _) = await ArrangeAsync(arrange: d => AddPromise(d, CommitmentKind.Training));
        var retired = RiskLibraryEntry.Create($"Retired {Guid.NewGuid():N}", "Old", "Old response", []);
        retired.Retire();
        await database.InsertAsync(retired);
        var trainer = await RiskAsync("Key trainer unavailable");
        await _checklist.ShareRiskAsync(rep, deal.Id, new ShareRiskInput { RiskId = trainer.Id }, Cancel);

        var options = await _checklist.RiskOptionsAsync(rep, deal.Id, Cancel);

        Assert.DoesNotContain(options, o => o.Id == retired.Id);
        var fitting = options.TakeWhile(o => o.AppliesToDeal).Select(o => o.Title).ToList();
        Assert.Contains("Key trainer unavailable", fitting);
        Assert.Contains("Customer data arrives late", fitting); // applies to every kind
        Assert.DoesNotContain("Site not ready for installation", fitting);
        Assert.Contains(options.SkipWhile(o => o.AppliesToDeal), o => o.Title == "Site not ready for installation");
        Assert.True(options.Single(o => o.Id == trainer.Id).AlreadyShared);
    }

    [Fact]
    public async Task The_manager_of_the_reps_team_works_the_checklist_too()
    {
        var (rep, deal, contact) = await ArrangeAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, await TeamOfAsync(rep));

        await AnswerRequiredItemsAsync(manager, deal);
        await _checklist.RecordAcknowledgementAsync(manager, deal.Id, Acknowledgement(contact), null, Cancel);

        Assert.NotNull(await AcknowledgementAsync(deal.Id));
    }

    [Fact]
    public async Task To_a_rep_or_manager_of_another_team_the_deal_does_not_exist()
    {
        var (_, deal, contact) = await ArrangeAsync();
        var otherTeam = await database.CreateTeamAsync();
        var risk = await RiskAsync("Supplier parts arrive late");
        var item = deal.Checklist[0];

        foreach (var stranger in new[] { await database.CreateAsync(AppRoles.Rep, otherTeam), await database.CreateAsync(AppRoles.Manager, otherTeam) })
        {
            await Assert.ThrowsAsync<RecordNotFoundException>(() => _checklist.AnswerAsync(stranger, deal.Id, item.Id, new ChecklistAnswerInput { Answer = "x" }, null, Cancel));
            await Assert.ThrowsAsync<RecordNotFoundException>(() => _checklist.ShareRiskAsync(stranger, deal.Id, new ShareRiskInput { RiskId = risk.Id }, Cancel));
            await Assert.ThrowsAsync<RecordNotFoundException>(() => _checklist.RecordAcknowledgementAsync(stranger, deal.Id, Acknowledgement(contact), null, Cancel));
            await Assert.ThrowsAsync<RecordNotFoundException>(() => _checklist.RiskOptionsAsync(stranger, deal.Id, Cancel));
        }
        Assert.Null(await AnswerAsync(item.Id));
        Assert.Empty(await SharedRisksAsync(deal.Id));
    }

    [Fact]
    public async Task Service_staff_and_admins_read_the_checklist_but_cannot_change_it()
    {
        var (_, deal, _) = await ArrangeAsync();
        var risk = await RiskAsync("Supplier parts arrive late");
        var item = deal.Checklist[0];

        foreach (var reader in new[] { await database.CreateAsync(AppRoles.Service, department: Department.Service), await database.CreateAsync(AppRoles.Admin) })
        {
            await Assert.ThrowsAsync<AccessDeniedException>(() => _checklist.AnswerAsync(reader, deal.Id, item.Id, new ChecklistAnswerInput { Answer = "x" }, null, Cancel));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _checklist.ShareRiskAsync(reader, deal.Id, new ShareRiskInput { RiskId = risk.Id }, Cancel));
            Assert.NotEmpty(await _checklist.RiskOptionsAsync(reader, deal.Id, Cancel));
        }
        Assert.Null(await AnswerAsync(item.Id));
        Assert.Empty(await SharedRisksAsync(deal.Id));
    }

    [Fact]
    public async Task A_lost_deals_checklist_can_no_longer_be_answered()
    {
        var (rep, deal, _) = await ArrangeAsync(stage: DealStage.Lost);
        var item = deal.Checklist[0];

        await Assert.ThrowsAsync<DomainException>(() => _checklist.AnswerAsync(rep, deal.Id, item.Id, new ChecklistAnswerInput { Answer = "Too late" }, null, Cancel));

        Assert.Null(await AnswerAsync(item.Id));
    }

    private static ChecklistAcknowledgementInput Acknowledgement(Contact contact) => new()
    {
        ContactId = contact.Id,
        Channel = CommunicationChannel.Meeting,
        On = new DateTime(2026, 3, 2),
        At = new TimeSpan(11, 30, 0),
    };

    private async Task<(Actor Rep, Deal Deal, Contact Contact)> ArrangeAsync(DealStage stage = DealStage.Verbal, Action<Deal>? arrange = null)
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var account = Account.Create($"Account {Guid.NewGuid():N}", null, Now);
        var contact = account.AddContact("Hannah Berg", ContactRole.Buyer, "hannah@example.com", null, false);
        await database.InsertAsync(account);
        var deal = await database.CreateDealAsync(rep, account: account, stage: stage, arrange: arrange);
        return (rep, deal, contact);
    }

    private async Task AnswerRequiredItemsAsync(Actor actor, Deal deal)
    {
        foreach (var item in deal.Checklist.Where(i => i.Required))
            await _checklist.AnswerAsync(actor, deal.Id, item.Id, new ChecklistAnswerInput { Answer = $"Agreed: {item.Title}" }, await AnsweredAtAsync(item.Id), Cancel);
    }

    private Task<Domain.Teams.Team> TeamOfAsync(Actor actor) =>
        database.QueryAsync(db => db.Teams.AsNoTracking().SingleAsync(t => t.Id == actor.TeamId, Cancel));

    private Task<RiskLibraryEntry> RiskAsync(string title) =>
        database.QueryAsync(db => db.RiskLibrary.AsNoTracking().SingleAsync(r => r.Title == title, Cancel));

    private Task<string?> AnswerAsync(Guid itemId) =>
        database.QueryAsync(db => db.DealChecklistItems.Where(i => i.Id == itemId).Select(i => i.Answer).SingleAsync(Cancel));

    private Task<DateTimeOffset?> AnsweredAtAsync(Guid itemId) =>
        database.QueryAsync(db => db.DealChecklistItems.Where(i => i.Id == itemId).Select(i => i.AnsweredAt).SingleAsync(Cancel));

    private Task<CustomerAcknowledgement?> AcknowledgementAsync(Guid dealId) =>
        database.QueryAsync(db => db.Deals.AsNoTracking().Where(d => d.Id == dealId).Select(d => d.ChecklistAcknowledgement).SingleAsync(Cancel));

    private Task<List<SharedRisk>> SharedRisksAsync(Guid dealId) =>
        database.QueryAsync(db => db.SharedRisks.AsNoTracking().Where(r => r.DealId == dealId).ToListAsync(Cancel));
}

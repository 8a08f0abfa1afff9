using System.Text.Json;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.CustomerLinks;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.CustomerLinks;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CommitmentTracker.Web.Tests.Features.CustomerLinks;

/// <summary>
/// Customers' links on the real database: who may create and revoke them (per role, another team's deal by id), what the
/// customer's page reads and leaves out, and the customer's acts (acknowledgement, acceptance, comment) recorded as theirs,
/// audited, and refused with nothing saved on bad input or a dead link. The clock moves; nothing sleeps.
/// </summary>
public sealed class CustomerLinkTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string InternalNote = "Internal: the buyer's boss is sceptical, keep Gerda away from him";
    private const string SelfCheckAnswer = "I over-promised the install date on my last deal";
    private const string BlockReason = "Supplier Konrad GmbH is late with the gripper";

    private readonly FakeTimeProvider _clock = new(TestDeals.Now);

    private CustomerLinkService Links => new(database, _clock, new CreateCustomerLinkValidator());

    private CustomerPageService Page => new(database, _clock, new CustomerAcknowledgeValidator(), new CustomerAcceptValidator(), new CustomerCommentValidator());

    [Fact]
    public async Task The_deals_rep_and_their_manager_create_and_revoke_links_and_nobody_else_can()
    {
        var w = await ArrangeAsync();

        var byRep = await Links.CreateAsync(w.Rep, w.Deal.Id, new CreateCustomerLinkInput(), Cancel);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var byManager = await Links.CreateAsync(w.Manager, w.Deal.Id, new CreateCustomerLinkInput { ExpiryDays = 90 }, Cancel);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => Links.CreateAsync(w.Colleague, w.Deal.Id, new CreateCustomerLinkInput(), Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => Links.CreateAsync(w.SouthManager, w.Deal.Id, new CreateCustomerLinkInput(), Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Links.CreateAsync(w.Admin, w.Deal.Id, new CreateCustomerLinkInput(), Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Links.CreateAsync(w.Service, w.Deal.Id, new CreateCustomerLinkInput(), Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => Links.RevokeAsync(w.SouthManager, w.Deal.Id, byRep.Id, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Links.RevokeAsync(w.Admin, w.Deal.Id, byRep.Id, Cancel));
        // A link id with another deal's id (one the user may change) is not found.
        await Assert.ThrowsAsync<RecordNotFoundException>(() => Links.RevokeAsync(w.SouthRep, w.SouthDeal.Id, byRep.Id, Cancel));
        Assert.Equal(CustomerPageStatus.Shown, (await Page.OpenAsync(byRep.Token, recordView: false, Cancel)).Status);

        await Links.RevokeAsync(w.Manager, w.Deal.Id, byRep.Id, Cancel);

        var list = await Links.ListAsync(w.Rep, w.Deal.Id, Cancel);
        Assert.True(list.CanManage);
        Assert.Equal([byManager.Id, byRep.Id], list.Links.Select(l => l.Id));
        var revoked = list.Links.Single(l => l.Id == byRep.Id);
        Assert.Equal((CustomerLinkState.Revoked, w.Manager.DisplayName, w.Rep.DisplayName), (revoked.State, revoked.RevokedByName, revoked.CreatedByName));
        Assert.Equal(TestDeals.Now.AddMinutes(1).AddDays(90), list.Links.Single(l => l.Id == byManager.Id).ExpiresAt);
        Assert.False((await Links.ListAsync(w.Admin, w.Deal.Id, Cancel)).CanManage);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => Links.ListAsync(w.SouthManager, w.Deal.Id, Cancel));
        Assert.Equal(CustomerPageStatus.NoLongerValid, (await Page.OpenAsync(byRep.Token, recordView: false, Cancel)).Status);
    }

    [Fact]
    public async Task A_link_opens_until_it_expires_and_only_its_hash_is_stored()
    {
        var w = await ArrangeAsync();
        var created = await Links.CreateAsync(w.Rep, w.Deal.Id, new CreateCustomerLinkInput { ExpiryDays = 14 }, Cancel);

        var stored = await database.QueryAsync(db => db.CustomerLinks.AsNoTracking().SingleAsync(l => l.Id == created.Id, Cancel));
        _clock.Advance(TimeSpan.FromDays(14) - TimeSpan.FromMinutes(1));
        var lastMinute = await Page.OpenAsync(created.Token, recordView: false, Cancel);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var expired = await Page.OpenAsync(created.Token, recordView: false, Cancel);

        Assert.Equal(ShareToken.Hash(created.Token), stored.TokenHash);
        Assert.Equal(CustomerPageStatus.Shown, lastMinute.Status);
        Assert.Equal((CustomerPageStatus.NoLongerValid, (CustomerDealView?)null), (expired.Status, expired.Deal));
        Assert.Equal(CustomerPageStatus.Unknown, (await Page.OpenAsync(ShareToken.New().Token, recordView: false, Cancel)).Status);
        Assert.Equal(CustomerPageStatus.Unknown, (await Page.OpenAsync("' OR 1=1 --", recordView: false, Cancel)).Status);
        await Assert.ThrowsAsync<ValidationException>(() => Links.CreateAsync(w.Rep, w.Deal.Id, new CreateCustomerLinkInput { ExpiryDays = 91 }, Cancel));
        Assert.Equal(1, await database.QueryAsync(db => db.CustomerLinks.CountAsync(l => l.DealId == w.Deal.Id, Cancel)));
    }

    [Fact]
    public async Task The_page_reads_the_deal_in_plain_words_and_nothing_internal()
    {
        var w = await ArrangeAsync();
        var link = await Links.CreateAsync(w.Rep, w.Deal.Id, new CreateCustomerLinkInput(), Cancel);

        var view = (await Page.OpenAsync(link.Token, recordView: false, Cancel)).Deal!;

        Assert.Equal("Pack 45 cases a minute with two operators", view.ExpectedOutcome);
        Assert.Equal(["Pack 45 cases a minute", "Ship the robot cell"], view.Ours.Select(p => p.Description).Order());
        Assert.Equal("Provide floor plans and site access", Assert.Single(view.Theirs).Description);
        Assert.Contains(view.Promises.SelectMany(p => p.Milestones), m => m.Title == "Build the cell" && m.Status == "On hold");
        Assert.DoesNotContain(view.Checklist, i => i.Title == "Self-check");
        Assert.Equal(w.Rep.DisplayName, view.RepName);
        var json = JsonSerializer.Serialize(view);
        var repEmail = await database.QueryAsync(db => db.Users.Where(u => u.Id == w.Rep.UserId).Select(u => u.Email!).SingleAsync(Cancel));
        foreach (var secret in new[] { SelfCheckAnswer, BlockReason, InternalNote, repEmail, "AtRisk", "Renegotiated because", w.SouthDeal.Title })
            Assert.DoesNotContain(secret, json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Every_view_is_audited_and_the_list_says_when_the_link_was_last_opened()
    {
        var w = await ArrangeAsync();
        var link = await Links.CreateAsync(w.Rep, w.Deal.Id, new CreateCustomerLinkInput(), Cancel);

        await Page.OpenAsync(link.Token, recordView: true, Cancel);
        _clock.Advance(TimeSpan.FromHours(2));
        await Page.OpenAsync(link.Token, recordView: true, Cancel);

        var views = await database.QueryAsync(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityId == link.Id && a.Action == CustomerPageService.ViewedAction).ToListAsync(Cancel));
        Assert.Equal(2, views.Count);
        Assert.All(views, v => Assert.True(CustomerLink.IsCustomerActor(v.ChangedBy)));
        var row = Assert.Single((await Links.ListAsync(w.Rep, w.Deal.Id, Cancel)).Links);
        Assert.Equal((2, TestDeals.Now.AddHours(2)), (row.Views, row.LastOpenedAt));
    }

    [Fact]
    public async Task The_customer_acknowledges_the_checklist_as_their_own_act()
    {
        var w = await ArrangeAsync();
        var link = await Links.CreateAsync(w.Rep, w.Deal.Id, new CreateCustomerLinkInput(), Cancel);
        _clock.Advance(TimeSpan.FromMinutes(30));

        var outcome = await Page.AcknowledgeAsync(link.Token, new CustomerAcknowledgeInput { Name = "  Eva Buyer " }, Cancel);

        Assert.True(outcome.Saved);
        var deal = await database.QueryAsync(db => db.Deals.AsNoTracking().SingleAsync(d => d.Id == w.Deal.Id, Cancel));
        Assert.Equal(new CustomerAcknowledgement("Eva Buyer", TestDeals.Now.AddMinutes(30), CommunicationChannel.Message), deal.ChecklistAcknowledgement);
        Assert.True(await AuditedAsCustomerAsync(w.Deal.Id, nameof(Deal)));
    }

    [Fact]
    public async Task The_customer_confirms_an_outcome_and_the_promise_is_kept_with_their_acceptance()
    {
        var w = await ArrangeAsync();
        var link = await Links.CreateAsync(w.Rep, w.Deal.Id, new CreateCustomerLinkInput(), Cancel);

        var outcome = await Page.AcceptAsync(link.Token, new CustomerAcceptInput { CommitmentId = w.Outcome.Id, Name = "Eva Buyer" }, Cancel);

        Assert.True(outcome.Saved, outcome.Refusal);
        var promise = await database.QueryAsync(db => db.LoadCommitmentAsync(w.Outcome.Id));
        Assert.Equal((CommitmentStatus.Kept, "Eva Buyer", CommunicationChannel.Message), (promise.Status, promise.Acceptance?.ConfirmedBy, promise.Acceptance?.Channel));
        Assert.True(CustomerLink.IsCustomerActor(promise.Milestones[^1].LastUpdatedBy));
        Assert.True(await AuditedAsCustomerAsync(w.Deal.Id, nameof(Milestone)));
        var again = await Page.AcceptAsync(link.Token, new CustomerAcceptInput { CommitmentId = w.Outcome.Id, Name = "Eva Buyer" }, Cancel);
        Assert.Equal("This outcome has already been confirmed.", again.Refusal);
        var notOutcome = await Page.AcceptAsync(link.Token, new CustomerAcceptInput { CommitmentId = w.Delivery.Id, Name = "Eva Buyer" }, Cancel);
        Assert.Equal("Only an outcome we promised is confirmed by the customer.", notOutcome.Refusal);
        var otherDeal = await Page.AcceptAsync(link.Token, new CustomerAcceptInput { CommitmentId = w.SouthOutcome.Id, Name = "Eva Buyer" }, Cancel);
        Assert.Equal("That promise is not part of this deal.", otherDeal.Refusal);
    }

    [Fact]
    public async Task The_customers_comment_is_a_communication_from_the_customer_on_the_deals_log()
    {
        var w = await ArrangeAsync();
        var link = await Links.CreateAsync(w.Rep, w.Deal.Id, new CreateCustomerLinkInput(), Cancel);

        var outcome = await Page.CommentAsync(link.Token, new CustomerCommentInput { Name = "Eva Buyer", Comment = "Can the install move to the morning shift?" }, Cancel);

        Assert.True(outcome.Saved);
        var entry = await database.QueryAsync(db => db.CommunicationEntries.AsNoTracking()
            .SingleAsync(e => e.DealId == w.Deal.Id && e.Direction == CommunicationDirection.FromCustomer, Cancel));
        Assert.Equal((CommunicationChannel.Message, "Eva Buyer", "Can the install move to the morning shift?"), (entry.Channel, entry.People, entry.Summary));
        Assert.True(CustomerLink.IsCustomerActor(entry.LoggedBy));
        Assert.True(await AuditedAsCustomerAsync(w.Deal.Id, nameof(CommunicationEntry)));
    }

    [Fact]
    public async Task Bad_input_or_a_dead_link_is_refused_with_a_clear_message_and_nothing_is_saved()
    {
        var w = await ArrangeAsync();
        var link = await Links.CreateAsync(w.Rep, w.Deal.Id, new CreateCustomerLinkInput(), Cancel);

        var noName = await Assert.ThrowsAsync<ValidationException>(() => Page.AcknowledgeAsync(link.Token, new CustomerAcknowledgeInput { Name = " " }, Cancel));
        var tooLong = await Assert.ThrowsAsync<ValidationException>(() =>
            Page.CommentAsync(link.Token, new CustomerCommentInput { Name = "Eva Buyer", Comment = new string('x', 2001) }, Cancel));
        await Assert.ThrowsAsync<ValidationException>(() => Page.AcceptAsync(link.Token, new CustomerAcceptInput { CommitmentId = w.Outcome.Id }, Cancel));
        await Links.RevokeAsync(w.Rep, w.Deal.Id, link.Id, Cancel);
        var dead = await Page.CommentAsync(link.Token, new CustomerCommentInput { Name = "Eva Buyer", Comment = "Hello" }, Cancel);
        var deadAck = await Page.AcknowledgeAsync(link.Token, new CustomerAcknowledgeInput { Name = "Eva Buyer" }, Cancel);

        Assert.Contains("Type your name", noName.Message, StringComparison.Ordinal);
        Assert.Contains("Keep your comment to 2000 characters", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal((CustomerPageStatus.NoLongerValid, false), (dead.Status, dead.Saved));
        Assert.Equal(CustomerPageStatus.NoLongerValid, deadAck.Status);
        var deal = await database.QueryAsync(db => db.Deals.AsNoTracking().SingleAsync(d => d.Id == w.Deal.Id, Cancel));
        Assert.Null(deal.ChecklistAcknowledgement);
        Assert.Equal(CommitmentStatus.Open, (await database.QueryAsync(db => db.LoadCommitmentAsync(w.Outcome.Id))).Status);
        Assert.False(await database.QueryAsync(db => db.CommunicationEntries.AnyAsync(e => e.DealId == w.Deal.Id && e.Direction == CommunicationDirection.FromCustomer, Cancel)));
    }

    [Fact]
    public async Task The_apps_database_role_cannot_delete_a_customer_link()
    {
        var w = await ArrangeAsync();
        await Links.CreateAsync(w.Rep, w.Deal.Id, new CreateCustomerLinkInput(), Cancel);

        var error = await Assert.ThrowsAsync<PostgresException>(() => database.QueryAsync(db =>
            db.Database.ExecuteSqlRawAsync("DELETE FROM customer_links", Cancel)));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    private Task<bool> AuditedAsCustomerAsync(Guid dealId, string entityType) =>
        database.QueryAsync(db => db.AuditEntries.AnyAsync(a => a.DealId == dealId && a.EntityType == entityType && a.ChangedBy.StartsWith(CustomerLink.ActorPrefix), Cancel));

    /// <summary>
    /// North (manager, rep, colleague) and South (manager, rep); an admin and service staff. North's rep's deal is ordered, its
    /// outcome answered in the customer's words, with a self-check, an outcome promise ready for acceptance, a delivery whose
    /// step is blocked (with an internal reason), a customer obligation and an internal note on its log. South has a deal too.
    /// </summary>
    private async Task<World> ArrangeAsync()
    {
        var north = await database.CreateTeamAsync();
        var south = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, north, Department.Sales);
        var southRep = await database.CreateAsync(AppRoles.Rep, south, Department.Sales);
        Commitment outcome = null!, delivery = null!, southOutcome = null!;
        var deal = await database.CreateDealAsync(rep, stage: DealStage.Ordered, arrange: d =>
        {
            d.AnswerChecklistItem(d.Checklist.Single(i => i.Title == "Outcome").Id, "Pack 45 cases a minute with two operators", rep.UserId, TestDeals.Now);
            d.AnswerChecklistItem(d.Checklist.Single(i => i.Title == "Self-check").Id, SelfCheckAnswer, rep.UserId, TestDeals.Now);
            outcome = TestDeals.AddPromise(d, CommitmentKind.Outcome, description: "Pack 45 cases a minute");
            var run = outcome.AddMilestone("Run the line for a week", null, TestDeals.Today.AddDays(20));
            outcome.AddMilestone("Customer acceptance", null, TestDeals.Today.AddDays(30), isCustomerAcceptance: true);
            outcome.UpdateMilestone(run.Id, new MilestoneChange(MilestoneStatus.Done, null, TestDeals.Today), rep.UserId, TestDeals.Now, TestDeals.Today);
            delivery = TestDeals.AddPromise(d);
            var build = delivery.AddMilestone("Build the cell", null, TestDeals.Today.AddDays(40));
            delivery.UpdateMilestone(build.Id, new MilestoneChange(MilestoneStatus.Blocked, null, Reason: BlockReason), rep.UserId, TestDeals.Now, TestDeals.Today);
            d.RenegotiateCommitment(delivery.Id, TestDeals.Today.AddDays(75), "Eva Buyer", TestDeals.Now, "Renegotiated because the supplier slipped", rep.UserId, TestDeals.Now, TestDeals.Today);
            d.AddCommitment(new CommitmentDraft(CommitmentDirection.Theirs, CommitmentKind.Other, "Provide floor plans and site access", rep.UserId, Department.Customer,
                TestDeals.Today.AddDays(10), null), LeadTimes.Defaults, rep.UserId, TestDeals.Now, TestDeals.Today);
        });
        await database.InsertAsync(CommunicationEntry.Log(deal.Id, null, CommunicationChannel.Phone, CommunicationDirection.Internal, "Rep, manager", InternalNote,
            TestDeals.Now, rep.UserId, TestDeals.Now));
        var southDeal = await database.CreateDealAsync(southRep, title: $"South secret {Guid.NewGuid():N}", arrange: d => southOutcome = TestDeals.AddPromise(d, CommitmentKind.Outcome));
        return new World(
            deal, southDeal, outcome, delivery, southOutcome,
            rep,
            await database.CreateAsync(AppRoles.Manager, north, Department.Sales),
            await database.CreateAsync(AppRoles.Rep, north, Department.Sales),
            southRep,
            await database.CreateAsync(AppRoles.Manager, south, Department.Sales),
            await database.CreateAsync(AppRoles.Admin),
            await database.CreateAsync(AppRoles.Service, null, Department.Service));
    }

    private sealed record World(
        Deal Deal, Deal SouthDeal, Commitment Outcome, Commitment Delivery, Commitment SouthOutcome,
        Actor Rep, Actor Manager, Actor Colleague, Actor SouthRep, Actor SouthManager, Actor Admin, Actor Service);
}

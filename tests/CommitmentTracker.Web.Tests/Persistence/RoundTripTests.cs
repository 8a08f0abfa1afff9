using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Checklists;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Persistence;

/// <summary>Every aggregate is written with one context and read back with a fresh one: nothing is lost on PostgreSQL.</summary>
public sealed class RoundTripTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_account_keeps_its_contacts_with_their_roles_and_permissions()
    {
        var account = Account.Create("Northwind Logistics", "Logistics", Now);
        account.AddContact("Hannah Berg", ContactRole.Buyer, "hannah@northwind.example", "+49 30 1234", mayContactTheirManager: true);
        account.AddContact("Tom Weller", ContactRole.BuyersBoss, null, null, mayContactTheirManager: false);
        await database.InsertAsync(account);

        var loaded = await database.QueryAsync(db => db.Accounts.Include(a => a.Contacts).SingleAsync(a => a.Id == account.Id, Cancel));

        Assert.Equal("Northwind Logistics", loaded.Name);
        Assert.Equal("Logistics", loaded.Industry);
        Assert.Equal(Now, loaded.CreatedAt);
        var hannah = Assert.Single(loaded.Contacts, c => c.Name == "Hannah Berg");
        Assert.Equal((ContactRole.Buyer, "hannah@northwind.example", "+49 30 1234", true), (hannah.Role, hannah.Email, hannah.Phone, hannah.MayContactTheirManager));
        var tom = Assert.Single(loaded.Contacts, c => c.Name == "Tom Weller");
        Assert.Equal((ContactRole.BuyersBoss, null, null, false), (tom.Role, tom.Email, tom.Phone, tom.MayContactTheirManager));
        Assert.Equivalent(account, loaded, strict: true);
    }

    [Fact]
    public async Task A_team_keeps_its_name_and_manager()
    {
        var manager = await database.CreateAsync(AppRoles.Manager);
        var team = Team.Create("Team Round Trip", manager.UserId);
        await database.InsertAsync(team);

        var loaded = await database.QueryAsync(db => db.Teams.SingleAsync(t => t.Id == team.Id, Cancel));

        Assert.Equal("Team Round Trip", loaded.Name);
        Assert.Equal(manager.UserId, loaded.ManagerId);
    }

    [Fact]
    public async Task A_deal_keeps_its_value_checklist_touchpoints_stage_history_and_shared_risks()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var account = await database.CreateAccountAsync();
        var risk = await database.QueryAsync(db => db.RiskLibrary.AsNoTracking().FirstAsync(r => r.Title == "Supplier parts arrive late", Cancel));
        var template = await database.ActiveChecklistAsync();
        var deal = Deal.Create(account.Id, "Warehouse scanners", rep.UserId, Money.Of(184_250.75m, "usd"), "Pick rate up from 90 to 120 lines an hour",
            Today.AddDays(-3), template, Now, Today);
        foreach (var item in deal.Checklist)
            deal.AnswerChecklistItem(item.Id, $"Agreed: {item.Title}", rep.UserId, Now);
        deal.RecordChecklistAcknowledgement(new CustomerAcknowledgement("Hannah Berg", Now.AddHours(-1), CommunicationChannel.Email), Now);
        deal.ShareRisk(risk, rep.UserId, Now);
        var call = CommunicationEntry.Log(deal.Id, null, CommunicationChannel.Phone, CommunicationDirection.ToCustomer, "Hannah Berg", "Confirmed she is comfortable.", Now, rep.UserId, Now);
        deal.CompleteTouchpoint(deal.Touchpoints.Single(t => t.Kind == TouchpointKind.ConfirmDecisionComfort).Id, call.Id, rep.UserId, Now);
        ApproveTechnicalReview(deal, rep.UserId);
        deal.MarkOrdered("PO-NW-44812", rep.UserId, Now.AddHours(1));
        await database.InsertAsync(deal, call);

        var loaded = await database.QueryAsync(db => db.LoadDealAsync(deal.Id));

        Assert.Equal(new Money(184_250.75m, "USD"), loaded.Value);
        Assert.Equal(DealStage.Ordered, loaded.Stage);
        Assert.Equal(Now.AddHours(1), loaded.StageEnteredAt);
        Assert.Equal("PO-NW-44812", loaded.PurchaseOrderReference);
        Assert.Equal((template.Id, template.Version), (loaded.ChecklistTemplateId, loaded.ChecklistVersion));
        Assert.Equal(new CustomerAcknowledgement("Hannah Berg", Now.AddHours(-1), CommunicationChannel.Email), loaded.ChecklistAcknowledgement);
        Assert.Equal(template.Items.Count, loaded.Checklist.Count);
        // Each answer comes back as it was saved (item 7's typed answer may have been replaced by the review's decision).
        Assert.Equal(
            deal.Checklist.OrderBy(i => i.Position).Select(i => (i.AnsweredBy, i.AnsweredAt, i.Answer)),
            loaded.Checklist.OrderBy(i => i.Position).Select(i => (i.AnsweredBy, i.AnsweredAt, i.Answer)));
        Assert.All(loaded.Checklist, i => Assert.Equal((rep.UserId, Now), (i.AnsweredBy, i.AnsweredAt)));
        Assert.Equal([DealStage.Verbal, DealStage.Ordered], loaded.StageHistory.OrderBy(s => s.At).Select(s => s.To));
        var comfort = Assert.Single(loaded.Touchpoints, t => t.Kind == TouchpointKind.ConfirmDecisionComfort);
        Assert.Equal((call.Id, rep.UserId, Now), (comfort.CommunicationEntryId, comfort.CompletedBy, comfort.CompletedAt));
        Assert.True(Assert.Single(loaded.Touchpoints, t => t.Kind == TouchpointKind.ChasePurchaseOrder).IsCancelled);
        var shared = Assert.Single(loaded.SharedRisks);
        Assert.Equal((risk.Id, risk.Title, risk.UsualResponse, rep.UserId), (shared.RiskLibraryEntryId, shared.Title, shared.Response, shared.SharedBy));
        // Everything else, field by field.
        Assert.Equivalent(deal, loaded, strict: true);
    }

    [Fact]
    public async Task A_lost_and_a_paid_deal_keep_their_reason_and_payment()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var lost = await database.CreateDealAsync(rep, arrange: d => d.MarkLost(LostReason.Other, "Merged with another project.", rep.UserId, Now));
        var paid = await database.CreateDealAsync(rep, stage: DealStage.Paid);

        var (loadedLost, loadedPaid) = await database.QueryAsync(async db => (await db.LoadDealAsync(lost.Id), await db.LoadDealAsync(paid.Id)));

        Assert.Equal((DealStage.Lost, LostReason.Other, "Merged with another project."), (loadedLost.Stage, loadedLost.LostReason, loadedLost.LostNote));
        Assert.Equal((DealStage.Paid, Today, "BANK-2026-03-02"), (loadedPaid.Stage, loadedPaid.PaymentDate, loadedPaid.PaymentReference));
        Assert.Equivalent(lost, loadedLost, strict: true);
        Assert.Equivalent(paid, loadedPaid, strict: true);
    }

    [Fact]
    public async Task A_commitment_keeps_its_acknowledgement_date_history_milestones_and_acceptance()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Service);
        Commitment outcome = null!;
        var deal = await database.CreateDealAsync(rep, arrange: d =>
        {
            outcome = d.AddCommitment(
                new CommitmentDraft(CommitmentDirection.Ours, CommitmentKind.Outcome, "Stops visible within 60 seconds", service.UserId, Department.Product, Today.AddDays(20), Today.AddDays(30), "The customer's audit is in three weeks."),
                LeadTimes.Defaults, rep.UserId, Now, Today);
            outcome.RecordAcknowledgement(new CustomerAcknowledgement("Priya Shah", Now.AddMinutes(-30), CommunicationChannel.Meeting), Now);
            d.RenegotiateCommitment(outcome.Id, Today.AddDays(25), "Priya Shah", Now, "Sensors ship a week later.", rep.UserId, Now, Today);
            var configure = outcome.AddMilestone("Configure alarm routing", service.UserId, Today.AddDays(15));
            var acceptance = outcome.AddMilestone("Customer acceptance", null, Today.AddDays(25), isCustomerAcceptance: true);
            var later = Today.AddDays(21);
            outcome.UpdateMilestone(configure.Id, new MilestoneChange(MilestoneStatus.InProgress, Today.AddDays(16), Note: "Started."), service.UserId, Now, Today);
            outcome.UpdateMilestone(configure.Id, new MilestoneChange(MilestoneStatus.Done, null, Today.AddDays(20)), service.UserId, Now.AddDays(21), later);
            outcome.UpdateMilestone(acceptance.Id, new MilestoneChange(MilestoneStatus.Done, null, later,
                Acceptance: new CustomerAcceptance("Priya Shah", later, CommunicationChannel.Phone)), service.UserId, Now.AddDays(21), later);
        });

        var loaded = await database.QueryAsync(db => db.LoadCommitmentAsync(outcome.Id));

        Assert.Equal(deal.Id, loaded.DealId);
        Assert.Equal((true, AggressiveApproval.ReasonGiven, "The customer's audit is in three weeks."), (loaded.IsAggressive, loaded.AggressiveApproval, loaded.AggressiveReason));
        Assert.Equal(new CustomerAcknowledgement("Priya Shah", Now.AddMinutes(-30), CommunicationChannel.Meeting), loaded.Acknowledgement);
        Assert.Equal((Today.AddDays(20), Today.AddDays(25), 5), (loaded.OriginalPromisedDate, loaded.PromisedDate, loaded.SlipDays));
        var change = Assert.Single(loaded.DateHistory);
        Assert.Equal((Today.AddDays(20), Today.AddDays(25), "Priya Shah", "Sensors ship a week later."), (change.OldDate, change.NewDate, change.AgreedWith, change.Reason));
        Assert.Equal((CommitmentStatus.Kept, Today.AddDays(21)), (loaded.Status, loaded.CompletedOn));
        Assert.Equal(new CustomerAcceptance("Priya Shah", Today.AddDays(21), CommunicationChannel.Phone), loaded.Acceptance);
        var milestones = loaded.Milestones.OrderBy(m => m.Position).ToList();
        Assert.Equal(["Configure alarm routing", "Customer acceptance"], milestones.Select(m => m.Title));
        var updates = milestones[0].Updates.OrderBy(u => u.At).ToList();
        Assert.Equal(
            [(MilestoneStatus.NotStarted, MilestoneStatus.InProgress, (DateOnly?)Today.AddDays(16), "Started."), (MilestoneStatus.InProgress, MilestoneStatus.Done, null, null)],
            updates.Select(u => (u.OldStatus, u.NewStatus, u.NewForecast, u.Note)));
        Assert.True(milestones[1].IsCustomerAcceptance);
        Assert.Equal(new CustomerAcceptance("Priya Shah", Today.AddDays(21), CommunicationChannel.Phone), milestones[1].Acceptance);
        Assert.Equivalent(outcome, loaded, strict: true);
    }

    [Fact]
    public async Task Changes_to_a_saved_deal_add_their_new_rows_instead_of_updating_missing_ones()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var created = await database.CreateDealAsync(rep);

        // The way a service works: load the aggregate, call the domain, save.
        await using (var db = database.CreateDbContext())
        {
            var deal = await db.LoadDealAsync(created.Id, tracked: true);
            foreach (var item in deal.OpenRequiredItems.ToList())
                deal.AnswerChecklistItem(item.Id, "Agreed.", rep.UserId, Now);
            ApproveTechnicalReview(deal, rep.UserId);
            deal.MarkOrdered("PO-77", rep.UserId, Now);
            var promise = AddPromise(deal);
            promise.AddMilestone("Ship", null, Today.AddDays(60));
            await db.SaveChangesAsync(Cancel);
        }
        await using (var db = database.CreateDbContext())
        {
            var deal = await db.LoadDealAsync(created.Id, tracked: true);
            var promise = deal.Commitments.Single();
            deal.RenegotiateCommitment(promise.Id, Today.AddDays(80), "Hannah Berg", Now, "Later suits them better.", rep.UserId, Now, Today);
            promise.UpdateMilestone(promise.Milestones.Single().Id, new MilestoneChange(MilestoneStatus.InProgress, Today.AddDays(65)), rep.UserId, Now, Today);
            await db.SaveChangesAsync(Cancel);
        }

        var loaded = await database.QueryAsync(db => db.LoadDealAsync(created.Id));
        Assert.Equal(DealStage.Ordered, loaded.Stage);
        Assert.Equal(2, loaded.StageHistory.Count);
        var stored = Assert.Single(loaded.Commitments);
        Assert.Equal(Today.AddDays(80), stored.PromisedDate);
        Assert.Single(stored.DateHistory);
        Assert.Equal(MilestoneStatus.InProgress, Assert.Single(Assert.Single(stored.Milestones).Updates).NewStatus);
        Assert.Contains(loaded.Touchpoints, t => t.CommitmentId == stored.Id && t.DueOn == Today.AddDays(77));
    }

    [Fact]
    public async Task A_checklist_revision_keeps_both_versions_and_only_the_newest_is_active()
    {
        ChecklistTemplate previous, revision;
        await using (var db = database.CreateDbContext())
        {
            previous = await db.ChecklistTemplates.SingleAsync(t => t.IsActive, Cancel);
            revision = previous.Revise(
                [new("Outcome", "In the customer's words.", true), new("Site access", "Who opens the door on delivery day.", false)],
                "admin-1", Now);
            db.ChecklistTemplates.Add(revision);
            await db.SaveChangesAsync(Cancel);
        }

        var versions = await database.QueryAsync(db => db.ChecklistTemplates.AsNoTracking().OrderBy(t => t.Version).ToListAsync(Cancel));

        Assert.Equal(revision.Id, Assert.Single(versions, t => t.IsActive).Id);
        var old = Assert.Single(versions, t => t.Id == previous.Id);
        Assert.False(old.IsActive);
        Assert.Equal(previous.Items.OrderBy(i => i.Position).Select(i => i.Title), old.Items.OrderBy(i => i.Position).Select(i => i.Title));
        var stored = Assert.Single(versions, t => t.Id == revision.Id);
        Assert.Equal((previous.Version + 1, "admin-1", Now), (stored.Version, stored.CreatedBy, stored.CreatedAt));
        Assert.Equal(
            [(1, "Outcome", "In the customer's words.", true), (2, "Site access", "Who opens the door on delivery day.", false)],
            stored.Items.OrderBy(i => i.Position).Select(i => (i.Position, i.Title, i.Guidance, i.Required)));
    }

    [Fact]
    public async Task The_database_refuses_a_second_active_checklist_version()
    {
        var rogue = ChecklistTemplate.Create(999, [new("Outcome", "", true)], "admin-1", Now);

        var error = await Assert.ThrowsAsync<DbUpdateException>(() => database.InsertAsync(rogue));

        Assert.Equal("23505", Assert.IsType<Npgsql.PostgresException>(error.InnerException).SqlState);
    }

    [Fact]
    public async Task A_communication_correction_points_to_the_entry_it_corrects_which_stays_as_it_was()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        Commitment promise = null!;
        var deal = await database.CreateDealAsync(rep, arrange: d => promise = AddPromise(d));
        var original = CommunicationEntry.Log(deal.Id, null, CommunicationChannel.Email, CommunicationDirection.ToCustomer, "Hannah Berg", "Delivery on 12 May.", Now.AddHours(-2), rep.UserId, Now.AddHours(-2));
        var correction = original.CorrectWith("Delivery on 19 May, not 12 May.", rep.UserId, Now);
        var onPromise = CommunicationEntry.Log(deal.Id, promise.Id, CommunicationChannel.Meeting, CommunicationDirection.Internal, "Team", "Kick-off.", Now, rep.UserId, Now);
        await database.InsertAsync(original);
        await database.InsertAsync(correction, onPromise);

        var entries = await database.QueryAsync(db => db.CommunicationEntries.AsNoTracking().Where(e => e.DealId == deal.Id).ToListAsync(Cancel));

        Assert.Equal(3, entries.Count);
        var storedOriginal = Assert.Single(entries, e => e.Id == original.Id);
        Assert.Equal("Delivery on 12 May.", storedOriginal.Summary);
        Assert.Null(storedOriginal.CorrectsEntryId);
        var storedCorrection = Assert.Single(entries, e => e.Id == correction.Id);
        Assert.Equal(original.Id, storedCorrection.CorrectsEntryId);
        Assert.Equivalent(original, storedOriginal, strict: true);
        Assert.Equivalent(correction, storedCorrection, strict: true);
        Assert.Equal(promise.Id, Assert.Single(entries, e => e.Id == onPromise.Id).CommitmentId);
    }

    [Fact]
    public async Task A_risk_library_entry_keeps_the_kinds_it_applies_to()
    {
        var some = RiskLibraryEntry.Create("Crane not available", "The crane company double-booked.", "We book two providers.", [CommitmentKind.Installation, CommitmentKind.Delivery]);
        var all = RiskLibraryEntry.Create("Key engineer leaves", "Our engineer leaves mid-project.", "Two engineers know every site.", []);
        all.Retire();
        await database.InsertAsync(some, all);

        var (storedSome, storedAll, column) = await database.QueryAsync(async db => (
            await db.RiskLibrary.SingleAsync(r => r.Id == some.Id, Cancel),
            await db.RiskLibrary.SingleAsync(r => r.Id == all.Id, Cancel),
            await db.Database.SqlQuery<string>($"SELECT applies_to AS \"Value\" FROM risk_library WHERE id = {some.Id}").SingleAsync(Cancel)));

        Assert.Equal([CommitmentKind.Delivery, CommitmentKind.Installation], storedSome.AppliesTo);
        Assert.Equal("Delivery,Installation", column);
        Assert.Empty(storedAll.AppliesTo);
        Assert.True(storedAll.AppliesToKind(CommitmentKind.Training));
        Assert.True(storedAll.IsRetired);
        Assert.Equivalent(some, storedSome, strict: true);
    }

    [Fact]
    public async Task A_changed_risk_library_entry_stores_its_new_kinds()
    {
        var entry = RiskLibraryEntry.Create("Customs hold", "Goods held at customs.", "We pre-clear shipments.", [CommitmentKind.Delivery]);
        await database.InsertAsync(entry);

        await using (var db = database.CreateDbContext())
        {
            var tracked = await db.RiskLibrary.SingleAsync(r => r.Id == entry.Id, Cancel);
            tracked.Update(tracked.Title, tracked.Description, tracked.UsualResponse, [CommitmentKind.Delivery, CommitmentKind.Support]);
            await db.SaveChangesAsync(Cancel);
        }

        var stored = await database.QueryAsync(db => db.RiskLibrary.SingleAsync(r => r.Id == entry.Id, Cancel));
        Assert.Equal([CommitmentKind.Delivery, CommitmentKind.Support], stored.AppliesTo);
    }

    [Fact]
    public async Task A_lead_time_change_is_stored()
    {
        await using (var db = database.CreateDbContext())
        {
            var training = await db.LeadTimes.SingleAsync(l => l.Kind == CommitmentKind.Training, Cancel);
            training.Set(19);
            await db.SaveChangesAsync(Cancel);
        }

        var policy = LeadTime.ToPolicy(await database.QueryAsync(db => db.LeadTimes.ToListAsync(Cancel)));

        Assert.Equal(19, policy.For(CommitmentKind.Training));
        Assert.Equal(LeadTimes.Defaults.For(CommitmentKind.Delivery), policy.For(CommitmentKind.Delivery));
        Assert.Equal(Enum.GetValues<CommitmentKind>().Length, await database.QueryAsync(db => db.LeadTimes.CountAsync(Cancel)));
    }

    [Fact]
    public async Task Enums_are_stored_by_name()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        Commitment promise = null!;
        var deal = await database.CreateDealAsync(rep, stage: DealStage.Ordered, arrange: d => promise = AddPromise(d, CommitmentKind.Installation));

        var (stage, kind, status, direction) = await database.QueryAsync(async db => (
            await db.Database.SqlQuery<string>($"SELECT stage AS \"Value\" FROM deals WHERE id = {deal.Id}").SingleAsync(Cancel),
            await db.Database.SqlQuery<string>($"SELECT kind AS \"Value\" FROM commitments WHERE id = {promise.Id}").SingleAsync(Cancel),
            await db.Database.SqlQuery<string>($"SELECT status AS \"Value\" FROM commitments WHERE id = {promise.Id}").SingleAsync(Cancel),
            await db.Database.SqlQuery<string>($"SELECT direction AS \"Value\" FROM commitments WHERE id = {promise.Id}").SingleAsync(Cancel)));

        Assert.Equal(("Ordered", "Installation", "Open", "Ours"), (stage, kind, status, direction));
    }
}

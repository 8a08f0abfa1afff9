using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Features.Alerts;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Features.Fulfilment.TestMilestones;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Recovery;

/// <summary>Each step's action through the service saves what the domain says, for the people allowed, against the version they saw.</summary>
public sealed class RecoveryServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>The default settings: marketing spend 240,000 over 60 new customers.</summary>
    private const decimal Budget = 4_000m;

    private static readonly DateTimeOffset WorkedAt = Now.AddHours(2);

    private readonly RecoveryService _recovery = database.CreateRecoveryService(new FakeTimeProvider(WorkedAt));

    private Task<uint> VersionAsync(RecoveryScene scene) => database.PlanVersionAsync(scene.PlanId);

    // ---------- the steps ----------

    [Fact]
    public async Task Making_room_records_the_forecast_against_the_need_date_and_whether_the_buffer_absorbs_it()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var forecast = scene.Promise.PromisedDate.AddDays(5);

        await _recovery.RecordMakeRoomAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), new MakeRoomInput { ForecastDate = On(forecast), Notes = "Gearbox arrives a week late." }, Cancel);

        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.Equal((forecast, scene.Promise.NeedDate, true), (plan.ForecastDate, plan.NeedDate, plan.BufferAbsorbsSlip));
        Assert.Equal(WorkedAt, plan.Step(RecoveryStepKind.MakeRoom).DoneAt);
        Assert.Equal("Gearbox arrives a week late.", plan.Step(RecoveryStepKind.MakeRoom).Notes);

        await _recovery.RecordMakeRoomAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), new MakeRoomInput { ForecastDate = On(scene.Promise.NeedDate!.Value.AddDays(1)) }, Cancel);

        Assert.False((await database.LoadPlanAsync(scene.PlanId)).BufferAbsorbsSlip);
    }

    [Fact]
    public async Task Making_room_without_a_forecast_is_refused_by_the_validator()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var version = await VersionAsync(scene);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => _recovery.RecordMakeRoomAsync(scene.Rep, scene.PlanId, version, new MakeRoomInput(), Cancel));

        Assert.Contains("Give the date the delivery is now expected.", ex.Message, StringComparison.Ordinal);
        Assert.Null((await database.LoadPlanAsync(scene.PlanId)).Step(RecoveryStepKind.MakeRoom).DoneAt);
        Assert.Equal(version, await VersionAsync(scene));
    }

    [Fact]
    public async Task Options_are_added_and_exactly_one_is_chosen()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        await _recovery.AddOptionAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), new OptionInput { Kind = RecoveryOptionKind.LoanOrDemoUnit, Description = "Lend the showroom cell" }, Cancel);
        await _recovery.AddOptionAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), new OptionInput { Kind = RecoveryOptionKind.AnotherSource, Description = "Buy the gearbox from the second supplier" }, Cancel);
        var second = (await database.LoadPlanAsync(scene.PlanId)).Options.Single(o => o.Kind == RecoveryOptionKind.AnotherSource);

        await _recovery.ChooseOptionAsync(scene.Manager, scene.PlanId, await VersionAsync(scene), second.Id, Cancel);

        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.Equal(2, plan.Options.Count);
        Assert.Equal(second.Id, Assert.Single(plan.Options, o => o.IsChosen).Id);
        Assert.Equal(WorkedAt, plan.Step(RecoveryStepKind.Options).DoneAt);
    }

    [Fact]
    public async Task A_reshuffle_option_without_the_other_promise_is_refused_by_the_validator()
    {
        var scene = await database.CreateAtRiskSceneAsync();

        var ex = await Assert.ThrowsAsync<ValidationException>(async () => await _recovery.AddOptionAsync(scene.Rep, scene.PlanId, await VersionAsync(scene),
            new OptionInput { Kind = RecoveryOptionKind.Reshuffle, Description = "Take days from another delivery" }, Cancel));

        Assert.Contains("Pick the promise whose slack the reshuffle takes.", ex.Message, StringComparison.Ordinal);
        Assert.Empty((await database.LoadPlanAsync(scene.PlanId)).Options);
    }

    [Fact]
    public async Task Only_the_manager_acknowledges_the_alert()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var version = await VersionAsync(scene);

        await Assert.ThrowsAsync<AccessDeniedException>(() => _recovery.AcknowledgeAsync(scene.Rep, scene.PlanId, version, Cancel));
        Assert.Null((await database.LoadPlanAsync(scene.PlanId)).ManagerAcknowledgedAt);
        Assert.Equal(version, await VersionAsync(scene));

        await _recovery.AcknowledgeAsync(scene.Manager, scene.PlanId, version, Cancel);

        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.Equal((scene.Manager.UserId, (DateTimeOffset?)WorkedAt), (plan.ManagerAcknowledgedBy, plan.ManagerAcknowledgedAt));
    }

    [Fact]
    public async Task Telling_the_customer_logs_the_call_and_links_it_from_the_plan_in_one_save()
    {
        var scene = await database.CreateAtRiskSceneAsync();

        await _recovery.TellCustomerAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), new TellCustomerInput
        {
            Channel = CommunicationChannel.Phone,
            People = "Hannah Berg (buyer)",
            Summary = "Told Hannah the cell ships 5 days late; offered a loan unit or a partial delivery.",
        }, Cancel);

        var plan = await database.LoadPlanAsync(scene.PlanId);
        var entry = Assert.Single(await database.QueryAsync(db => db.CommunicationEntries.AsNoTracking().Where(e => e.DealId == scene.Deal.Id).ToListAsync(Cancel)));
        Assert.Equal(entry.Id, plan.CustomerToldCommunicationId);
        Assert.Equal((WorkedAt, (DateTimeOffset?)WorkedAt), (plan.Step(RecoveryStepKind.TellCustomer).DoneAt!.Value, plan.CustomerToldAt));
        Assert.Equal((scene.Promise.Id, CommunicationChannel.Phone, CommunicationDirection.ToCustomer), (entry.CommitmentId, entry.Channel, entry.Direction));
        Assert.Equal(("Hannah Berg (buyer)", scene.Rep.UserId, WorkedAt), (entry.People, entry.LoggedBy, entry.OccurredAt));
        Assert.StartsWith("Told Hannah the cell ships 5 days late", entry.Summary, StringComparison.Ordinal);
        var view = await _recovery.GetAsync(scene.Rep, scene.PlanId, Cancel);
        Assert.Equal(entry.Id, view.CustomerToldEntry?.Id);
        Assert.Equal((TimeSpan?)TimeSpan.FromHours(2), view.Plan.DetectionToCustomerTold);
    }

    [Fact]
    public async Task Telling_the_customer_without_a_summary_logs_nothing()
    {
        var scene = await database.CreateAtRiskSceneAsync();

        var ex = await Assert.ThrowsAsync<ValidationException>(async () => await _recovery.TellCustomerAsync(scene.Rep, scene.PlanId, await VersionAsync(scene),
            new TellCustomerInput { Channel = CommunicationChannel.Email, People = "Hannah Berg" }, Cancel));

        Assert.Contains("Write what you told the customer", ex.Message, StringComparison.Ordinal);
        Assert.Null((await database.LoadPlanAsync(scene.PlanId)).CustomerToldAt);
        Assert.Equal(0, await database.QueryAsync(db => db.CommunicationEntries.CountAsync(e => e.DealId == scene.Deal.Id, Cancel)));
    }

    [Fact]
    public async Task Comfort_records_what_is_offered_meanwhile_and_the_managers_own_contact()
    {
        var scene = await database.CreateAtRiskSceneAsync();

        await _recovery.RecordComfortAsync(scene.Manager, scene.PlanId, await VersionAsync(scene),
            new ComfortInput { OfferedMeanwhile = "A technician on site twice a week", ManagerContact = "Called Hannah's line manager's office on 2 March" }, Cancel);

        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.Equal(("A technician on site twice a week", "Called Hannah's line manager's office on 2 March"), (plan.OfferedMeanwhile, plan.ManagerContact));
        Assert.Equal(WorkedAt, plan.Step(RecoveryStepKind.Comfort).DoneAt);
    }

    [Fact]
    public async Task Contacting_the_customers_boss_is_refused_without_the_contacts_permission_and_recorded_with_it()
    {
        var account = Account.Create($"Account {Guid.NewGuid():N}", "Packaging", Now);
        var hannah = account.AddContact("Hannah Berg", ContactRole.Buyer, "hannah@example.test", null, mayContactTheirManager: false);
        var jon = account.AddContact("Jon Lund", ContactRole.Approver, "jon@example.test", null, mayContactTheirManager: true);
        await database.InsertAsync(account);
        // A contact who gave permission, but at another customer.
        var otherAccount = Account.Create($"Account {Guid.NewGuid():N}", "Retail", Now);
        var stranger = otherAccount.AddContact("Eva Stranger", ContactRole.Buyer, null, null, mayContactTheirManager: true);
        await database.InsertAsync(otherAccount);
        var scene = await database.CreateAtRiskSceneAsync(account: account);
        var version = await VersionAsync(scene);

        var noPermission = await Assert.ThrowsAsync<DomainException>(() => _recovery.ContactCustomersBossAsync(scene.Manager, scene.PlanId, version,
            new BossContactInput { PermissionFromContactId = hannah.Id, Note = "Explained the delay to their director." }, Cancel));
        var otherCustomer = await Assert.ThrowsAsync<DomainException>(() => _recovery.ContactCustomersBossAsync(scene.Manager, scene.PlanId, version,
            new BossContactInput { PermissionFromContactId = stranger.Id, Note = "Explained the delay to their director." }, Cancel));

        Assert.Contains("has not given permission", noPermission.Message, StringComparison.Ordinal);
        Assert.Contains("does not belong to this customer", otherCustomer.Message, StringComparison.Ordinal);
        Assert.Null((await database.LoadPlanAsync(scene.PlanId)).BossContactedAt);
        Assert.Equal(version, await VersionAsync(scene));

        await _recovery.ContactCustomersBossAsync(scene.Manager, scene.PlanId, version,
            new BossContactInput { PermissionFromContactId = jon.Id, Note = "Explained the delay to their director." }, Cancel);

        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.Equal((DateTimeOffset?)WorkedAt, plan.BossContactedAt);
        Assert.Equal("With the permission of Jon Lund: Explained the delay to their director.", plan.BossContactNote);
    }

    [Fact]
    public async Task Permission_asked_during_the_recovery_is_recorded_on_the_contact_and_then_the_boss_may_be_contacted()
    {
        var account = Account.Create($"Account {Guid.NewGuid():N}", "Packaging", Now);
        var hannah = account.AddContact("Hannah Berg", ContactRole.Buyer, "hannah@example.test", null, mayContactTheirManager: false);
        await database.InsertAsync(account);
        var scene = await database.CreateAtRiskSceneAsync(account: account);

        await _recovery.RecordContactPermissionAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), hannah.Id, Cancel);
        await _recovery.ContactCustomersBossAsync(scene.Manager, scene.PlanId, await VersionAsync(scene),
            new BossContactInput { PermissionFromContactId = hannah.Id, Note = "Explained the delay to her director." }, Cancel);

        Assert.True(await database.QueryAsync(db => db.Contacts.Where(c => c.Id == hannah.Id).Select(c => c.MayContactTheirManager).SingleAsync(Cancel)));
        Assert.NotNull((await database.LoadPlanAsync(scene.PlanId)).BossContactedAt);
        var stranger = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        await Assert.ThrowsAsync<RecordNotFoundException>(async () =>
            await _recovery.RecordContactPermissionAsync(stranger, scene.PlanId, await VersionAsync(scene), hannah.Id, Cancel));
    }

    [Fact]
    public async Task Apologising_is_recorded_only_after_a_solution_was_presented_and_accepted()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        await Assert.ThrowsAsync<DomainException>(async () => await _recovery.ApologiseAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), true, Cancel));
        await Assert.ThrowsAsync<DomainException>(async () => await _recovery.PresentSolutionAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), true, Cancel));
        await _recovery.AddOptionAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), new OptionInput { Kind = RecoveryOptionKind.PartialDelivery, Description = "Ship the conveyor first" }, Cancel);
        await _recovery.ChooseOptionAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), (await database.LoadPlanAsync(scene.PlanId)).Options[0].Id, Cancel);
        await _recovery.PresentSolutionAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), accepted: false, Cancel);

        var notAccepted = await Assert.ThrowsAsync<DomainException>(async () => await _recovery.ApologiseAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), true, Cancel));
        Assert.Contains("has not accepted the solution", notAccepted.Message, StringComparison.Ordinal);
        Assert.Null((await database.LoadPlanAsync(scene.PlanId)).Step(RecoveryStepKind.Apologise).DoneAt);

        await _recovery.PresentSolutionAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), accepted: true, Cancel);
        await _recovery.ApologiseAsync(scene.Rep, scene.PlanId, await VersionAsync(scene), customerForgave: true, Cancel);

        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.Equal((true, true, (DateTimeOffset?)WorkedAt), (plan.SolutionAccepted, plan.CustomerForgave, plan.SolutionPresentedAt));
        Assert.Equal(WorkedAt, plan.Step(RecoveryStepKind.Apologise).DoneAt);
    }

    [Fact]
    public async Task Compensation_above_budget_waits_for_the_managers_approval_which_a_rep_cannot_give()
    {
        var scene = await database.CreateAtRiskSceneAsync();

        var warnings = await _recovery.CompensateAsync(scene.Rep, scene.PlanId, await VersionAsync(scene),
            new CompensationInput { Item = "A free upgrade to the fast gripper", FaceValue = 9_000m, CostToUs = 5_000m, EstimatedLoss = 3_000m }, Cancel);

        var waiting = await database.LoadPlanAsync(scene.PlanId);
        Assert.Contains(warnings, w => w.Contains("the manager must approve it", StringComparison.Ordinal));
        Assert.Equal(new Compensation("A free upgrade to the fast gripper", 9_000m, 5_000m, 3_000m, Budget), waiting.Compensation);
        Assert.True(waiting.CompensationAwaitsApproval);
        Assert.Null(waiting.Step(RecoveryStepKind.Compensate).DoneAt);
        // The manager hears of it at once.
        var alerts = await database.QueryAsync(db => db.Alerts.AsNoTracking()
            .Where(a => a.CommitmentId == scene.Promise.Id && a.Title.StartsWith("Compensation above budget")).ToListAsync(Cancel));
        Assert.Equal(scene.Manager.UserId, Assert.Single(alerts).RecipientId);
        var version = await VersionAsync(scene);
        await Assert.ThrowsAsync<AccessDeniedException>(() => _recovery.ApproveCompensationAsync(scene.Rep, scene.PlanId, version, Cancel));
        Assert.True((await database.LoadPlanAsync(scene.PlanId)).CompensationAwaitsApproval);

        await _recovery.ApproveCompensationAsync(scene.Manager, scene.PlanId, version, Cancel);

        var approved = await database.LoadPlanAsync(scene.PlanId);
        Assert.Equal((scene.Manager.UserId, (DateTimeOffset?)WorkedAt), (approved.CompensationApprovedBy, approved.CompensationApprovedAt));
        Assert.Equal(WorkedAt, approved.Step(RecoveryStepKind.Compensate).DoneAt);
        Assert.False(approved.CompensationAwaitsApproval);
    }

    [Fact]
    public async Task Compensation_within_budget_is_settled_at_once_and_warns_when_it_does_not_exceed_the_loss()
    {
        var scene = await database.CreateAtRiskSceneAsync();

        var warnings = await _recovery.CompensateAsync(scene.Rep, scene.PlanId, await VersionAsync(scene),
            new CompensationInput { Item = "Two training days", FaceValue = 1_000m, CostToUs = 300m, EstimatedLoss = 1_500m }, Cancel);

        var warning = Assert.Single(warnings);
        Assert.Contains("does not exceed the customer's estimated loss", warning, StringComparison.Ordinal);
        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.False(plan.CompensationAwaitsApproval);
        Assert.Equal(WorkedAt, plan.Step(RecoveryStepKind.Compensate).DoneAt);
        Assert.Equal(Budget, plan.Compensation?.Budget);
    }

    [Fact]
    public async Task Closing_requires_the_root_cause_the_department_and_the_lesson()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var version = await VersionAsync(scene);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => _recovery.CloseAsync(scene.Manager, scene.PlanId, version, new CloseInput { Lesson = " " }, Cancel));

        Assert.Contains("Pick the root cause.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Pick the department where it went wrong.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Write the lesson", ex.Message, StringComparison.Ordinal);
        Assert.False((await database.LoadPlanAsync(scene.PlanId)).IsClosed);

        await _recovery.CloseAsync(scene.Manager, scene.PlanId, version,
            new CloseInput { RootCause = RootCause.BadTechnicalInformation, Department = Department.Product, Lesson = "Service reviews the gearbox spec before we promise." }, Cancel);

        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.Equal((RootCause.BadTechnicalInformation, Department.Product), (plan.RootCause!.Value, plan.RootCauseDepartment!.Value));
        Assert.Equal(("Service reviews the gearbox spec before we promise.", (DateTimeOffset?)WorkedAt), (plan.Lesson, plan.ResolvedAt));
        var view = await _recovery.GetAsync(scene.Manager, scene.PlanId, Cancel);
        Assert.False(view.CanEdit);
        var closed = await Assert.ThrowsAsync<DomainException>(async () => await _recovery.RecordComfortAsync(scene.Manager, scene.PlanId, await VersionAsync(scene),
            new ComfortInput { OfferedMeanwhile = "Weekly call", ManagerContact = "Call" }, Cancel));
        Assert.Contains("closed", closed.Message, StringComparison.Ordinal);
    }

    // ---------- concurrency ----------

    [Fact]
    public async Task Two_people_working_the_plan_from_the_same_version_the_second_is_refused_and_nothing_of_theirs_is_saved()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var seenByBoth = await VersionAsync(scene);
        await _recovery.AddOptionAsync(scene.Rep, scene.PlanId, seenByBoth, new OptionInput { Kind = RecoveryOptionKind.LoanOrDemoUnit, Description = "Lend the showroom cell" }, Cancel);

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _recovery.TellCustomerAsync(scene.Manager, scene.PlanId, seenByBoth,
            new TellCustomerInput { Channel = CommunicationChannel.Email, People = "Hannah Berg", Summary = "The cell ships late; here are the options." }, Cancel));

        Assert.Contains("changed by someone else", ex.Message, StringComparison.Ordinal);
        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.Null(plan.CustomerToldAt);
        Assert.Null(plan.Step(RecoveryStepKind.TellCustomer).DoneAt);
        Assert.Equal("Lend the showroom cell", Assert.Single(plan.Options).Description);
        Assert.Equal(0, await database.QueryAsync(db => db.CommunicationEntries.CountAsync(e => e.DealId == scene.Deal.Id, Cancel)));
    }

    [Fact]
    public async Task Two_managers_acknowledging_from_the_same_version_the_second_is_refused()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var deputy = await database.CreateAsync(AppRoles.Manager, scene.Team);
        var seenByBoth = await VersionAsync(scene);
        await _recovery.SetNotesAsync(scene.Rep, scene.PlanId, seenByBoth, RecoveryStepKind.MakeRoom, "Waiting for the supplier's answer.", Cancel);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _recovery.AcknowledgeAsync(deputy, scene.PlanId, seenByBoth, Cancel));

        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.Null(plan.ManagerAcknowledgedBy);
        Assert.Equal("Waiting for the supplier's answer.", plan.Step(RecoveryStepKind.MakeRoom).Notes);
    }

    // ---------- access ----------

    [Fact]
    public async Task Another_teams_manager_and_rep_and_a_teammate_of_the_rep_cannot_see_or_work_the_plan()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var (otherTeam, otherManager) = await database.CreateManagedTeamAsync();
        var otherRep = await database.CreateAsync(AppRoles.Rep, otherTeam);
        var teammate = await database.CreateAsync(AppRoles.Rep, scene.Team);
        var version = await VersionAsync(scene);

        foreach (var outsider in new[] { otherManager, otherRep, teammate })
        {
            await Assert.ThrowsAsync<RecordNotFoundException>(() => _recovery.GetAsync(outsider, scene.PlanId, Cancel));
            await Assert.ThrowsAsync<RecordNotFoundException>(() => _recovery.AddOptionAsync(outsider, scene.PlanId, version,
                new OptionInput { Kind = RecoveryOptionKind.Other, Description = "Peek" }, Cancel));
            Assert.Null(await _recovery.PlanOfPromiseAsync(outsider, scene.Promise.Id, Cancel));
        }
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _recovery.AcknowledgeAsync(otherManager, scene.PlanId, version, Cancel));

        Assert.Empty((await database.LoadPlanAsync(scene.PlanId)).Options);
        Assert.Equal(version, await VersionAsync(scene));
    }

    [Fact]
    public async Task Service_staff_and_admins_read_the_plan_but_cannot_work_it()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var admin = await database.CreateAsync(AppRoles.Admin);
        var version = await VersionAsync(scene);

        foreach (var reader in new[] { service, admin })
        {
            var view = await _recovery.GetAsync(reader, scene.PlanId, Cancel);
            Assert.Equal((scene.PlanId, scene.Promise.Id), (view.Plan.Id, view.Promise.Id));
            Assert.False(view.CanEdit);
            Assert.False(view.CanManage);
            Assert.Empty(view.Suggestions);
            Assert.Equal(scene.PlanId, await _recovery.PlanOfPromiseAsync(reader, scene.Promise.Id, Cancel));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _recovery.AddOptionAsync(reader, scene.PlanId, version,
                new OptionInput { Kind = RecoveryOptionKind.Other, Description = "Nudge" }, Cancel));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _recovery.CloseAsync(reader, scene.PlanId, version,
                new CloseInput { RootCause = RootCause.Other, Department = Department.Sales, Lesson = "None" }, Cancel));
            await Assert.ThrowsAsync<AccessDeniedException>(() => _recovery.OpenAsync(reader, scene.Promise.Id, Cancel));
        }

        var plan = await database.LoadPlanAsync(scene.PlanId);
        Assert.Empty(plan.Options);
        Assert.False(plan.IsClosed);
        Assert.Equal(version, await VersionAsync(scene));
    }

    [Fact]
    public async Task The_deals_rep_and_the_teams_manager_work_the_plan_and_see_it_editable()
    {
        var scene = await database.CreateAtRiskSceneAsync();

        var repView = await _recovery.GetAsync(scene.Rep, scene.PlanId, Cancel);
        var managerView = await _recovery.GetAsync(scene.Manager, scene.PlanId, Cancel);

        Assert.Equal((true, false), (repView.CanEdit, repView.CanManage));
        Assert.Equal((true, true), (managerView.CanEdit, managerView.CanManage));
        Assert.Equal(repView.Version, await VersionAsync(scene));
        Assert.Equal(scene.Deal.Id, repView.Deal.Id);
        Assert.Equal(scene.Rep.DisplayName, repView.NameOf(repView.Plan.Step(RecoveryStepKind.MakeRoom).OwnerId));
        Assert.Equal(scene.Manager.DisplayName, repView.NameOf(repView.Plan.Step(RecoveryStepKind.Comfort).OwnerId));
        Assert.Equal(TestRecovery.SlipDays, repView.DaysNeeded);
    }

    [Fact]
    public async Task The_list_shows_only_the_plans_of_deals_the_actor_may_see()
    {
        var mine = await database.CreateAtRiskSceneAsync();
        var theirs = await database.CreateAtRiskSceneAsync();
        var admin = await database.CreateAsync(AppRoles.Admin);
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        await _recovery.CloseAsync(theirs.Manager, theirs.PlanId, await database.PlanVersionAsync(theirs.PlanId),
            new CloseInput { RootCause = RootCause.CustomerSideDelay, Department = Department.Customer, Lesson = "Confirm site readiness a week ahead." }, Cancel);

        var repOpen = await _recovery.ListAsync(mine.Rep, RecoveryListFilter.Open, Cancel);
        var managerAll = await _recovery.ListAsync(mine.Manager, RecoveryListFilter.All, Cancel);
        var otherRepAll = await _recovery.ListAsync(theirs.Rep, RecoveryListFilter.All, Cancel);
        var otherRepOpen = await _recovery.ListAsync(theirs.Rep, RecoveryListFilter.Open, Cancel);
        var otherRepClosed = await _recovery.ListAsync(theirs.Rep, RecoveryListFilter.Closed, Cancel);
        var adminAll = await _recovery.ListAsync(admin, RecoveryListFilter.All, Cancel);
        var serviceAll = await _recovery.ListAsync(service, RecoveryListFilter.All, Cancel);

        var row = Assert.Single(repOpen);
        Assert.Equal((mine.PlanId, mine.Deal.Id, RecoveryStepKind.MakeRoom, mine.Rep.DisplayName), (row.PlanId, row.DealId, row.NextStep, row.NextOwner));
        Assert.Equal([mine.PlanId], managerAll.Select(r => r.PlanId));
        Assert.Equal([theirs.PlanId], otherRepAll.Select(r => r.PlanId));
        Assert.Empty(otherRepOpen);
        Assert.Equal(RootCause.CustomerSideDelay, Assert.Single(otherRepClosed).RootCause);
        Assert.Contains(adminAll, r => r.PlanId == mine.PlanId);
        Assert.Contains(adminAll, r => r.PlanId == theirs.PlanId);
        Assert.Contains(serviceAll, r => r.PlanId == mine.PlanId);
        Assert.Contains(serviceAll, r => r.PlanId == theirs.PlanId);
    }
}

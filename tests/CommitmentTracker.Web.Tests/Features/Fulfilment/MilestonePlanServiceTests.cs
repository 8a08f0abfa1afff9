using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Fulfilment;

/// <summary>Planning a promise's milestones: from its kind's template, then by hand; who may plan which promise.</summary>
public sealed class MilestonePlanServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private MilestonePlanService Plans => new(database, new FakeTimeProvider(Now));

    /// <summary>A rep's deal with one promise of ours of <paramref name="kind"/>, due in 70 days, without milestones.</summary>
    private async Task<(Actor Rep, Guid CommitmentId, DateOnly PromisedDate)> PromiseAsync(CommitmentKind kind = CommitmentKind.Delivery)
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        Commitment? promise = null;
        await database.CreateDealAsync(rep, arrange: d => promise = AddPromise(d, kind));
        return (rep, promise!.Id, promise.PromisedDate);
    }

    private Task<Commitment> LoadAsync(Guid commitmentId) => database.QueryAsync(db => db.LoadCommitmentAsync(commitmentId));

    private static IEnumerable<string> Titles(Commitment commitment) => commitment.Milestones.OrderBy(m => m.Position).Select(m => m.Title);

    [Fact]
    public async Task Planning_from_the_template_creates_the_kinds_steps_dated_from_the_promised_date()
    {
        var (_, commitmentId, promised) = await PromiseAsync(CommitmentKind.Delivery);
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);

        await Plans.PlanFromTemplateAsync(service, commitmentId, service.UserId, Cancel);

        var milestones = (await LoadAsync(commitmentId)).Milestones.OrderBy(m => m.Position).ToList();
        var template = MilestoneTemplate.Defaults.Single(t => t.Kind == CommitmentKind.Delivery);
        Assert.Equal(template.Steps.Select(s => s.Title), milestones.Select(m => m.Title));
        Assert.Equal(template.Steps.Select(s => promised.AddDays(s.OffsetDays)), milestones.Select(m => m.PlannedDate));
        Assert.Equal(template.Steps.Select(s => s.IsCustomerAcceptance), milestones.Select(m => m.IsCustomerAcceptance));
        Assert.All(milestones, m => Assert.Equal(service.UserId, m.AssigneeId));
    }

    [Fact]
    public async Task The_plan_shows_the_template_steps_and_whether_the_user_may_plan()
    {
        var (rep, commitmentId, _) = await PromiseAsync(CommitmentKind.Training);
        var admin = await database.CreateAsync(AppRoles.Admin);

        var forRep = await Plans.GetAsync(rep, commitmentId, Cancel);
        var forAdmin = await Plans.GetAsync(admin, commitmentId, Cancel);

        Assert.True(forRep.CanPlan);
        Assert.False(forAdmin.CanPlan);
        Assert.Equal(MilestoneTemplate.Defaults.Single(t => t.Kind == CommitmentKind.Training).Steps, forRep.TemplateSteps);
        Assert.Empty(forRep.Milestones);
    }

    [Fact]
    public async Task The_deals_rep_may_plan_their_own_promise()
    {
        var (rep, commitmentId, _) = await PromiseAsync(CommitmentKind.Support);

        await Plans.PlanFromTemplateAsync(rep, commitmentId, null, Cancel);

        Assert.Equal(["Set up support contract", "Introduce the support team"], Titles(await LoadAsync(commitmentId)));
    }

    [Fact]
    public async Task A_rep_of_another_team_is_told_the_promise_does_not_exist()
    {
        var (_, commitmentId, _) = await PromiseAsync();
        var stranger = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());

        await Assert.ThrowsAsync<RecordNotFoundException>(() => Plans.GetAsync(stranger, commitmentId, Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => Plans.PlanFromTemplateAsync(stranger, commitmentId, null, Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => Plans.AddAsync(stranger, commitmentId, "Sneak in", null, Today.AddDays(5), Cancel));

        Assert.Empty((await LoadAsync(commitmentId)).Milestones);
    }

    [Fact]
    public async Task Admins_read_plans_but_may_not_plan()
    {
        var (_, commitmentId, _) = await PromiseAsync();
        var admin = await database.CreateAsync(AppRoles.Admin);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Plans.PlanFromTemplateAsync(admin, commitmentId, null, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Plans.AddAsync(admin, commitmentId, "Order parts", null, Today.AddDays(5), Cancel));

        Assert.Empty((await LoadAsync(commitmentId)).Milestones);
    }

    [Fact]
    public async Task A_plan_from_the_template_is_refused_when_the_promise_already_has_milestones()
    {
        var (rep, commitmentId, _) = await PromiseAsync();
        await Plans.AddAsync(rep, commitmentId, "Agree the layout", null, Today.AddDays(10), Cancel);

        var error = await Assert.ThrowsAsync<DomainException>(() => Plans.PlanFromTemplateAsync(rep, commitmentId, null, Cancel));

        Assert.Equal("This promise already has a milestone plan: edit it instead.", error.Message);
        Assert.Equal(["Agree the layout"], Titles(await LoadAsync(commitmentId)));
    }

    [Fact]
    public async Task Service_staff_add_edit_move_and_remove_milestones()
    {
        var (_, commitmentId, _) = await PromiseAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        await Plans.AddAsync(service, commitmentId, "Order parts", null, Today.AddDays(10), Cancel);
        await Plans.AddAsync(service, commitmentId, "Build", null, Today.AddDays(30), Cancel);
        await Plans.AddAsync(service, commitmentId, "Ship", null, Today.AddDays(50), Cancel);

        var build = (await Plans.GetAsync(service, commitmentId, Cancel)).Milestones.Single(m => m.Title == "Build");
        await Plans.EditAsync(service, commitmentId, build, "Build and test", service.UserId, Today.AddDays(35), Cancel);
        var ship = (await Plans.GetAsync(service, commitmentId, Cancel)).Milestones.Single(m => m.Title == "Ship");
        await Plans.MoveAsync(service, commitmentId, ship, 1, Cancel);
        var order = (await Plans.GetAsync(service, commitmentId, Cancel)).Milestones.Single(m => m.Title == "Order parts");
        await Plans.RemoveAsync(service, commitmentId, order, Cancel);

        var milestones = (await LoadAsync(commitmentId)).Milestones.OrderBy(m => m.Position).ToList();
        Assert.Equal(["Ship", "Build and test"], milestones.Select(m => m.Title));
        Assert.Equal([1, 2], milestones.Select(m => m.Position));
        var edited = milestones.Single(m => m.Title == "Build and test");
        Assert.Equal(Today.AddDays(35), edited.PlannedDate);
        Assert.Equal(service.UserId, edited.AssigneeId);
    }

    [Fact]
    public async Task Editing_a_milestone_someone_changed_since_is_refused_and_keeps_their_change()
    {
        var (rep, commitmentId, _) = await PromiseAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        await Plans.AddAsync(rep, commitmentId, "Ship", null, Today.AddDays(20), Cancel);
        var seen = Assert.Single((await Plans.GetAsync(service, commitmentId, Cancel)).Milestones);
        await Plans.EditAsync(rep, commitmentId, seen, "Ship by truck", null, Today.AddDays(20), Cancel);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Plans.EditAsync(service, commitmentId, seen, "Ship by air", null, Today.AddDays(15), Cancel));

        Assert.Equal(["Ship by truck"], Titles(await LoadAsync(commitmentId)));
    }

    [Fact]
    public async Task The_customers_own_promises_get_no_milestone_plan()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        Commitment? theirs = null;
        await database.CreateDealAsync(rep, arrange: d => theirs = d.AddCommitment(
            new CommitmentDraft(CommitmentDirection.Theirs, CommitmentKind.Other, "Customer prepares the floor", rep.UserId, Department.Customer, Today.AddDays(40), null),
            LeadTimes.Defaults, rep.UserId, Now, Today));
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);

        var fromTemplate = await Assert.ThrowsAsync<DomainException>(() => Plans.PlanFromTemplateAsync(service, theirs!.Id, null, Cancel));
        await Assert.ThrowsAsync<DomainException>(() => Plans.AddAsync(rep, theirs!.Id, "Check the floor", null, Today.AddDays(30), Cancel));

        Assert.Equal("The customer's own promises have no milestone plan of ours.", fromTemplate.Message);
        Assert.False((await Plans.GetAsync(rep, theirs!.Id, Cancel)).CanPlan);
        Assert.Empty((await LoadAsync(theirs.Id)).Milestones);
    }
}

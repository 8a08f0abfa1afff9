using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Features.Fulfilment.TestMilestones;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Fulfilment;

/// <summary>
/// Who may update which milestone (DESIGN.md, Access), tested per role, and what each tab of the fulfilment queue holds.
/// Queue tests search for their own deals, since every test of the class shares one database.
/// </summary>
public sealed class FulfilmentAccessTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _clock = new(Now);

    private FulfilmentService Fulfilment => database.CreateFulfilmentService(_clock);

    [Fact]
    public async Task Service_staff_update_a_milestone_assigned_to_them_even_of_another_department()
    {
        var rep = await RepAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Service);
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", service.UserId)], department: Department.Fulfilment);

        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), InProgress(), Cancel);

        Assert.Equal(MilestoneStatus.InProgress, (await database.LoadMilestoneAsync(promise.Milestone(1))).Status);
    }

    [Fact]
    public async Task Service_staff_update_an_unassigned_milestone_of_their_department()
    {
        var rep = await RepAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship")], department: Department.Fulfilment);

        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), InProgress(), Cancel);

        Assert.Equal(MilestoneStatus.InProgress, (await database.LoadMilestoneAsync(promise.Milestone(1))).Status);
    }

    [Fact]
    public async Task Service_staff_may_not_update_a_milestone_assigned_to_a_colleague()
    {
        var rep = await RepAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var colleague = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", colleague.UserId)], department: Department.Fulfilment);

        await AssertRefusedAsync(service, promise);
    }

    [Fact]
    public async Task Service_staff_may_not_update_an_unassigned_milestone_of_another_department()
    {
        var rep = await RepAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship")], department: Department.Service);

        await AssertRefusedAsync(service, promise);
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    [InlineData(AppRoles.Admin)]
    public async Task Other_roles_may_not_update_milestones_even_of_their_own_deals(string role)
    {
        var team = await database.CreateTeamAsync();
        var owner = await database.CreateAsync(AppRoles.Rep, team);
        var actor = role == AppRoles.Rep ? owner : await database.CreateAsync(role, team, Department.Fulfilment);
        var promise = await database.CreatePlannedPromiseAsync(owner, [new("Ship", actor.UserId)], department: Department.Fulfilment);

        await AssertRefusedAsync(actor, promise);
    }

    [Fact]
    public async Task The_queue_offers_update_only_on_rows_the_server_lets_the_user_update()
    {
        var rep = await RepAsync();
        var svea = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var olaf = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var key = Key();
        await database.CreatePlannedPromiseAsync(rep, [new("Svea's", svea.UserId, 10), new("Olaf's", olaf.UserId, 20), new("Nobody's", null, 30)],
            department: Department.Fulfilment, dealTitle: $"{key} fulfilment");
        await database.CreatePlannedPromiseAsync(rep, [new("Another department's", null, 40)], department: Department.Service, dealTitle: $"{key} service");

        var rows = (await Fulfilment.QueueAsync(svea, QueueTab.AllOpen, key, new PageRequest(), Cancel)).Items;

        Assert.True(FulfilmentService.OffersUpdates(svea));
        Assert.Equal(["Svea's", "Nobody's"], rows.Where(r => r.CanUpdate).Select(r => r.Milestone));
        foreach (var row in rows)
        {
            Task Update() => Fulfilment.UpdateAsync(svea, new MilestoneRef(row.MilestoneId, row.Version), InProgress(), Cancel);
            if (row.CanUpdate)
                await Update();
            else
                await Assert.ThrowsAsync<AccessDeniedException>(Update);
        }
    }

    [Fact]
    public async Task Admins_are_offered_no_update_in_the_queue_and_the_server_refuses_one()
    {
        var rep = await RepAsync();
        var admin = await database.CreateAsync(AppRoles.Admin, department: Department.Fulfilment);
        var key = Key();
        await database.CreatePlannedPromiseAsync(rep, [new("Ship", admin.UserId, 3), new("Install", null, 5)], dealTitle: key);

        var rows = (await Fulfilment.QueueAsync(admin, QueueTab.AllOpen, key, new PageRequest(), Cancel)).Items;

        Assert.False(FulfilmentService.OffersUpdates(admin));
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.False(r.CanUpdate));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Fulfilment.UpdateAsync(admin, new MilestoneRef(rows[0].MilestoneId, rows[0].Version), InProgress(), Cancel));
    }

    [Fact]
    public async Task Assigned_to_me_holds_my_open_milestones_and_my_department_tab_the_unassigned_ones_of_my_department()
    {
        var rep = await RepAsync();
        var svea = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var olaf = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var key = Key();
        var fulfilment = await database.CreatePlannedPromiseAsync(rep,
            [new("Mine", svea.UserId, 10), new("Olaf's", olaf.UserId, 20), new("Nobody's", null, 30), new("Mine and done", svea.UserId, 40)],
            department: Department.Fulfilment, dealTitle: $"{key} fulfilment");
        await database.CreatePlannedPromiseAsync(rep, [new("Another department's", null, 50)], department: Department.Service, dealTitle: $"{key} service");
        await Fulfilment.UpdateAsync(svea, await database.RefAsync(fulfilment.Milestone(4)), Done(Today), Cancel);

        Assert.Equal(["Mine"], await TitlesAsync(svea, QueueTab.AssignedToMe, key));
        Assert.Equal(["Nobody's"], await TitlesAsync(svea, QueueTab.MyDepartmentUnassigned, key));
        Assert.Equal(["Olaf's"], await TitlesAsync(olaf, QueueTab.AssignedToMe, key));
        Assert.Equal(["Mine", "Olaf's", "Nobody's", "Another department's"], await TitlesAsync(svea, QueueTab.AllOpen, key));
    }

    [Fact]
    public async Task Due_this_week_and_overdue_follow_the_forecast_when_there_is_one_else_the_plan()
    {
        var rep = await RepAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var key = Key();
        var promise = await database.CreatePlannedPromiseAsync(rep,
            [
                new("Planned yesterday", null, -1), new("Planned today", null, 0), new("Planned in six days", null, 6), new("Planned in a week", null, 7),
                new("Planned late, forecast soon", null, 30), new("Planned soon, forecast late", null, 3),
            ],
            dealTitle: key);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(5)), InProgress(forecast: Today.AddDays(5)), Cancel);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(6)), InProgress(forecast: Today.AddDays(20)), Cancel);

        Assert.Equal(["Planned today", "Planned late, forecast soon", "Planned in six days"], await TitlesAsync(service, QueueTab.DueThisWeek, key));
        Assert.Equal(["Planned yesterday"], await TitlesAsync(service, QueueTab.Overdue, key));
    }

    [Fact]
    public async Task Blocked_holds_blocked_milestones_and_stale_the_ones_in_progress_without_an_update_for_the_set_days()
    {
        var rep = await RepAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var key = Key();
        var promise = await database.CreatePlannedPromiseAsync(rep,
            [new("Blocked", null, 20), new("In progress, quiet", null, 30), new("In progress, fresh", null, 40), new("Not started", null, 50)], dealTitle: key);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Blocked("Waiting for the gearbox"), Cancel);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(2)), InProgress(), Cancel);
        _clock.SetUtcNow(Now.AddDays(4));
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(3)), InProgress(), Cancel);

        _clock.SetUtcNow(Now.AddDays(6));

        Assert.Equal(["Blocked"], await TitlesAsync(service, QueueTab.Blocked, key));
        Assert.Equal(["In progress, quiet"], await TitlesAsync(service, QueueTab.Stale, key));
        Assert.Empty(await TitlesAsync(service, QueueTab.Stale, key, database.CreateFulfilmentService(_clock, staleAfterDays: 10)));
    }

    [Fact]
    public async Task The_count_on_each_tab_is_the_number_of_rows_the_tab_holds()
    {
        var rep = await RepAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var promise = await database.CreatePlannedPromiseAsync(rep,
            [new("Overdue and mine", service.UserId, -2), new("Due and mine", service.UserId, 3), new("Unassigned", null, 30), new("Blocked", null, 40)]);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(4)), Blocked("Site not ready"), Cancel);

        var counts = await Fulfilment.CountsAsync(service, Cancel);

        Assert.Equal(2, counts[QueueTab.AssignedToMe]);
        foreach (var tab in Enum.GetValues<QueueTab>())
            Assert.Equal((await Fulfilment.QueueAsync(service, tab, (string?)null, new PageRequest(), Cancel)).TotalCount, counts[tab]);
        Assert.True(counts[QueueTab.Overdue] >= 1 && counts[QueueTab.DueThisWeek] >= 1 && counts[QueueTab.Blocked] >= 1);
    }

    [Theory]
    [InlineData(AppRoles.Rep)]
    [InlineData(AppRoles.Manager)]
    public async Task Reps_and_managers_get_an_empty_queue_and_no_counts(string role)
    {
        var team = await database.CreateTeamAsync();
        var owner = await database.CreateAsync(AppRoles.Rep, team);
        var actor = role == AppRoles.Rep ? owner : await database.CreateAsync(role, team);
        var key = Key();
        await database.CreatePlannedPromiseAsync(owner, [new("Ship", actor.UserId, 3)], dealTitle: key);

        foreach (var tab in Enum.GetValues<QueueTab>())
            Assert.Equal(0, (await Fulfilment.QueueAsync(actor, tab, key, new PageRequest(), Cancel)).TotalCount);
        Assert.All((await Fulfilment.CountsAsync(actor, Cancel)).Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task Admins_read_the_whole_queue()
    {
        var rep = await RepAsync();
        var admin = await database.CreateAsync(AppRoles.Admin);
        var key = Key();
        await database.CreatePlannedPromiseAsync(rep, [new("Ship", null, 3)], dealTitle: key);

        Assert.Equal(["Ship"], await TitlesAsync(admin, QueueTab.AllOpen, key));
    }

    [Fact]
    public async Task Sorting_the_queue_by_status_follows_the_lifecycle_not_the_alphabet()
    {
        var rep = await RepAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var key = Key();
        var promise = await database.CreatePlannedPromiseAsync(rep,
            [new("Blocked step", service.UserId, 3), new("Started step", service.UserId, 4), new("Waiting step", service.UserId, 5)], dealTitle: key);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Blocked("Site not ready"), Cancel);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(2)), InProgress(), Cancel);

        var ascending = await Fulfilment.QueueAsync(service, QueueTab.AssignedToMe, key, new PageRequest(SortBy: "status"), Cancel);
        var descending = await Fulfilment.QueueAsync(service, QueueTab.AssignedToMe, key, new PageRequest(SortBy: "status", Descending: true), Cancel);

        Assert.Equal(["Waiting step", "Started step", "Blocked step"], ascending.Items.Select(r => r.Milestone));
        Assert.Equal(["Blocked step", "Started step", "Waiting step"], descending.Items.Select(r => r.Milestone));
    }

    [Fact]
    public async Task A_queue_row_carries_the_version_to_update_the_milestone_with()
    {
        var rep = await RepAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var key = Key();
        await database.CreatePlannedPromiseAsync(rep, [new("Ship", service.UserId, 3)], dealTitle: key);
        var row = Assert.Single((await Fulfilment.QueueAsync(service, QueueTab.AssignedToMe, key, new PageRequest(), Cancel)).Items);

        await Fulfilment.UpdateAsync(service, new MilestoneRef(row.MilestoneId, row.Version), InProgress(), Cancel);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Fulfilment.UpdateAsync(service, new MilestoneRef(row.MilestoneId, row.Version), Blocked("Site not ready"), Cancel));
        Assert.Equal(MilestoneStatus.InProgress, (await database.LoadMilestoneAsync(row.MilestoneId)).Status);
    }

    [Fact]
    public async Task The_queue_pages_by_expected_date_and_searches_milestone_and_deal_titles_ignoring_case()
    {
        var rep = await RepAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var key = Key();
        await database.CreatePlannedPromiseAsync(rep, [new("Install", null, 20), new("Ship", null, 10), new($"Train {key}", null, 30)]);
        await database.CreatePlannedPromiseAsync(rep, [new("Build", null, 5), new("Test", null, 15)], dealTitle: $"Deal {key}");

        var first = await Fulfilment.QueueAsync(service, QueueTab.AllOpen, key.ToUpperInvariant(), new PageRequest(0, 2), Cancel);
        var second = await Fulfilment.QueueAsync(service, QueueTab.AllOpen, key, new PageRequest(1, 2), Cancel);

        Assert.Equal((3, 3), (first.TotalCount, second.TotalCount));
        Assert.Equal(["Build", "Test"], first.Items.Select(r => r.Milestone));
        Assert.Equal([$"Train {key}"], second.Items.Select(r => r.Milestone));
    }

    private async Task AssertRefusedAsync(Actor actor, PlannedPromise promise)
    {
        var seen = await database.RefAsync(promise.Milestone(1));

        await Assert.ThrowsAsync<AccessDeniedException>(() => Fulfilment.UpdateAsync(actor, seen, InProgress(), Cancel));

        var stored = await database.LoadMilestoneAsync(promise.Milestone(1));
        Assert.Equal((MilestoneStatus.NotStarted, 0), (stored.Status, stored.Updates.Count));
    }

    [Fact]
    public async Task The_queue_filters_by_kind_and_status_on_the_server()
    {
        var rep = await RepAsync();
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var key = $"Filters {Guid.NewGuid():N}";
        var delivery = await database.CreatePlannedPromiseAsync(rep, [new("Ship the cell", null, 10), new("Install the cell", null, 20)], dealTitle: key);
        await database.CreatePlannedPromiseAsync(rep, [new("Run the course", null, 15)], kind: CommitmentKind.Training, dealTitle: key);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(delivery.Milestone(1)), Blocked("Parts held at customs"), Cancel);

        var deliveries = await Fulfilment.QueueAsync(service, QueueTab.AllOpen, new QueueFilter(key, CommitmentKind.Delivery), new PageRequest(), Cancel);
        var blocked = await Fulfilment.QueueAsync(service, QueueTab.AllOpen, new QueueFilter(key, Status: MilestoneStatus.Blocked), new PageRequest(), Cancel);

        Assert.Equal(["Ship the cell", "Install the cell"], deliveries.Items.Select(r => r.Milestone));
        Assert.Equal("Ship the cell", Assert.Single(blocked.Items).Milestone);
    }

    private async Task<string[]> TitlesAsync(Actor actor, QueueTab tab, string search, FulfilmentService? service = null)
    {
        var page = await (service ?? Fulfilment).QueueAsync(actor, tab, search, new PageRequest(PageSize: 50), Cancel);
        Assert.Equal(page.Items.Count, page.TotalCount);
        return [.. page.Items.Select(r => r.Milestone)];
    }

    private async Task<Actor> RepAsync() => await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());

    /// <summary>A word only this test's deals contain, to search the shared queue for.</summary>
    private static string Key() => $"q{Guid.NewGuid():N}"[..12];
}

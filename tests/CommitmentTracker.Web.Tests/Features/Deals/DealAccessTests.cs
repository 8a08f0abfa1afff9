using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Deals;

/// <summary>
/// The access rules of DESIGN.md, enforced by the deals service per role: reps their own deals, managers their
/// team's, admins and service staff read all. A deal out of reach looks exactly like one that does not exist.
/// </summary>
public sealed class DealAccessTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly string[] Plan = ["Order", "Build", "Ship", "Install", "Hand over"];

    private readonly DealsService _deals = CreateService(database);

    [Fact]
    public async Task A_rep_lists_only_their_own_deals()
    {
        var company = await ArrangeCompanyAsync();

        var page = await _deals.ListAsync(company.RepA, new DealListQuery(), new PageRequest(), Cancel);

        Assert.Equal(1, page.TotalCount);
        Assert.Equal(company.DealA.Id, Assert.Single(page.Items).Id);
    }

    [Fact]
    public async Task A_manager_lists_the_deals_of_their_teams_reps_and_not_another_teams()
    {
        var company = await ArrangeCompanyAsync();

        var north = await _deals.ListAsync(company.ManagerA, new DealListQuery(), new PageRequest(), Cancel);
        var south = await _deals.ListAsync(company.ManagerB, new DealListQuery(), new PageRequest(), Cancel);

        Assert.Equal(new[] { company.DealA.Id, company.DealA2.Id }.Order(), north.Items.Select(r => r.Id).Order());
        Assert.Equal(2, north.TotalCount);
        Assert.Equal(company.DealB.Id, Assert.Single(south.Items).Id);
    }

    [Fact]
    public async Task A_manager_without_a_team_lists_no_deals()
    {
        var company = await ArrangeCompanyAsync();
        var unassigned = await database.CreateAsync(AppRoles.Manager);

        var page = await _deals.ListAsync(unassigned, new DealListQuery(), new PageRequest(), Cancel);

        Assert.Equal(0, page.TotalCount);
        Assert.Null(await _deals.GetAsync(unassigned, company.DealA.Id, Cancel));
    }

    [Fact]
    public async Task Admins_and_service_staff_list_every_deal()
    {
        var company = await ArrangeCompanyAsync();
        var everyDeal = await database.QueryAsync(db => db.Deals.CountAsync(Cancel));

        foreach (var reader in new[] { company.Admin, company.Service })
        {
            var all = await _deals.ListAsync(reader, new DealListQuery(), new PageRequest(PageSize: 200), Cancel);
            var ours = await _deals.ListAsync(reader, new DealListQuery(Search: company.Token), new PageRequest(), Cancel);

            Assert.Equal(everyDeal, all.TotalCount);
            Assert.Equal(new[] { company.DealA.Id, company.DealA2.Id, company.DealB.Id }.Order(), ours.Items.Select(r => r.Id).Order());
        }
    }

    [Fact]
    public async Task A_rep_cannot_open_another_reps_deal_by_id()
    {
        var company = await ArrangeCompanyAsync();

        Assert.Null(await _deals.GetAsync(company.RepA, company.DealB.Id, Cancel));
        Assert.Null(await _deals.GetAsync(company.RepA, company.DealA2.Id, Cancel));
    }

    [Fact]
    public async Task A_manager_cannot_open_another_teams_deal_by_id_and_it_looks_like_it_does_not_exist()
    {
        var company = await ArrangeCompanyAsync();

        var otherTeams = await _deals.GetAsync(company.ManagerB, company.DealA.Id, Cancel);
        var missing = await _deals.GetAsync(company.ManagerB, Guid.NewGuid(), Cancel);

        Assert.Null(otherTeams);
        Assert.Equal(missing, otherTeams);
    }

    [Fact]
    public async Task The_owner_their_manager_an_admin_and_service_staff_can_open_a_deal()
    {
        var company = await ArrangeCompanyAsync();

        foreach (var reader in new[] { company.RepA, company.ManagerA, company.Admin, company.Service })
        {
            var view = await _deals.GetAsync(reader, company.DealA.Id, Cancel);
            Assert.True(view is not null, $"{reader.Role} cannot open the deal.");
            Assert.Equal(company.DealA.Title, view.Deal.Title);
            Assert.Equal(company.DealA.Checklist.Count, view.Deal.Checklist.Count);
        }
    }

    [Fact]
    public async Task Only_the_owner_and_their_manager_may_edit_a_deal()
    {
        var company = await ArrangeCompanyAsync();

        async Task<bool?> CanEdit(Actor actor) => (await _deals.GetAsync(actor, company.DealA.Id, Cancel))?.Actions.EditDetails;

        Assert.True(await CanEdit(company.RepA));
        Assert.True(await CanEdit(company.ManagerA));
        Assert.False(await CanEdit(company.Admin));
        Assert.False(await CanEdit(company.Service));
    }

    [Fact]
    public async Task A_reps_deals_follow_them_to_their_new_team()
    {
        var company = await ArrangeCompanyAsync();
        await using (var db = database.CreateDbContext())
        {
            var rep = await db.Users.SingleAsync(u => u.Id == company.RepA.UserId, Cancel);
            rep.TeamId = company.TeamB.Id;
            await db.SaveChangesAsync(Cancel);
        }

        Assert.Null(await _deals.GetAsync(company.ManagerA, company.DealA.Id, Cancel));
        Assert.True((await _deals.GetAsync(company.ManagerB, company.DealA.Id, Cancel))?.Actions.EditDetails);
    }

    [Fact]
    public async Task Only_the_owner_and_their_manager_load_a_deal_for_a_change()
    {
        var company = await ArrangeCompanyAsync();
        await using var db = database.CreateDbContext();

        Assert.Equal(company.DealA.Id, (await db.FindEditableDealAsync(company.RepA, company.DealA.Id, Cancel)).Id);
        Assert.Equal(company.DealA.Id, (await db.FindEditableDealAsync(company.ManagerA, company.DealA.Id, Cancel)).Id);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => db.FindEditableDealAsync(company.RepB, company.DealA.Id, Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => db.FindEditableDealAsync(company.ManagerB, company.DealA.Id, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => db.FindEditableDealAsync(company.Admin, company.DealA.Id, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => db.FindEditableDealAsync(company.Service, company.DealA.Id, Cancel));
    }

    [Fact]
    public async Task A_deal_loaded_for_a_change_has_its_milestones_in_plan_order()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        Commitment promise = null!;
        var deal = await database.CreateDealAsync(rep, arrange: d =>
        {
            promise = AddPromise(d);
            foreach (var title in Plan)
                promise.AddMilestone(title, null, Today.AddDays(60));
        });
        // PostgreSQL writes an updated row anew, so rows come back in update order unless the query sorts them.
        foreach (var title in new[] { "Order", "Ship" })
        {
            await using var db = database.CreateDbContext();
            var tracked = await db.LoadCommitmentAsync(promise.Id, tracked: true);
            tracked.UpdateMilestone(tracked.Milestones.Single(m => m.Title == title).Id, new MilestoneChange(MilestoneStatus.InProgress, null), rep.UserId, Now, Today);
            await db.SaveChangesAsync(Cancel);
        }

        var shown = (await _deals.GetAsync(rep, deal.Id, Cancel))!.Deal.Commitments.Single();
        Assert.Equal(Plan, shown.Milestones.Select(m => m.Title));
        await using (var db = database.CreateDbContext())
        {
            var loaded = (await db.FindEditableDealAsync(rep, deal.Id, Cancel)).Commitments.Single();
            Assert.Equal(Plan, loaded.Milestones.Select(m => m.Title));
            loaded.RemoveMilestone(loaded.Milestones.Single(m => m.Title == "Build").Id, Today);
            await db.SaveChangesAsync(Cancel);
        }

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(promise.Id));
        Assert.Equal([(1, "Order"), (2, "Ship"), (3, "Install"), (4, "Hand over")], stored.Milestones.Select(m => (m.Position, m.Title)));
    }

    [Fact]
    public async Task The_stage_filter_lists_only_deals_in_that_stage()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var ordered = await database.CreateDealAsync(rep, stage: DealStage.Ordered);
        var alsoOrdered = await database.CreateDealAsync(rep, stage: DealStage.Ordered);
        await database.CreateDealAsync(rep, stage: DealStage.Verbal);
        await database.CreateDealAsync(rep, stage: DealStage.Lost);

        var page = await _deals.ListAsync(rep, new DealListQuery(Stage: DealStage.Ordered), new PageRequest(), Cancel);
        var lost = await _deals.ListAsync(rep, new DealListQuery(Stage: DealStage.Lost), new PageRequest(), Cancel);
        var paid = await _deals.ListAsync(rep, new DealListQuery(Stage: DealStage.Paid), new PageRequest(), Cancel);

        Assert.Equal(2, page.TotalCount);
        Assert.Equal(new[] { ordered.Id, alsoOrdered.Id }.Order(), page.Items.Select(r => r.Id).Order());
        Assert.All(page.Items, r => Assert.Equal(DealStage.Ordered, r.Stage));
        Assert.Equal(DealStage.Lost, Assert.Single(lost.Items).Stage);
        Assert.Empty(paid.Items);
    }

    [Fact]
    public async Task Search_finds_deals_by_title_account_or_owner_ignoring_case()
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        var owner = await database.CreateAsync(AppRoles.Rep, name: $"Quentin Zanetti {token}");
        var other = await database.CreateAsync(AppRoles.Manager, await database.CreateTeamAsync());
        var byTitle = await database.CreateDealAsync(other, title: $"Packaging Robots {token}");
        var byAccount = await database.CreateDealAsync(other, title: $"Plain deal {token}a", account: await database.CreateAccountAsync($"Fabrikam Foods {token}"));
        var byOwner = await database.CreateDealAsync(owner, title: $"Other deal {token}b");
        var admin = await database.CreateAsync(AppRoles.Admin);

        async Task<IEnumerable<Guid>> Find(string search) =>
            (await _deals.ListAsync(admin, new DealListQuery(Search: search), new PageRequest(), Cancel)).Items.Select(r => r.Id);

        Assert.Equal([byTitle.Id], await Find($"packaging ROBOTS {token}"));
        Assert.Equal([byAccount.Id], await Find($"FABRIKAM foods {token}"));
        Assert.Equal([byOwner.Id], await Find($"zanetti {token}"));
        Assert.Equal(3, (await Find(token)).Count());
        Assert.Equal(3, (await _deals.ListAsync(admin, new DealListQuery(Search: $"  {token}  "), new PageRequest(), Cancel)).TotalCount);
    }

    [Fact]
    public async Task Search_treats_wildcards_as_plain_text()
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        var rep = await database.CreateAsync(AppRoles.Rep);
        var percent = await database.CreateDealAsync(rep, title: $"Uptime 100% {token}");
        await database.CreateDealAsync(rep, title: $"Uptime 1000 hours {token}");
        var underscore = await database.CreateDealAsync(rep, title: $"Line_3 {token}");
        await database.CreateDealAsync(rep, title: $"Line-3 {token}");

        var percentHits = await _deals.ListAsync(rep, new DealListQuery(Search: "100%"), new PageRequest(), Cancel);
        var underscoreHits = await _deals.ListAsync(rep, new DealListQuery(Search: "line_3"), new PageRequest(), Cancel);

        Assert.Equal(percent.Id, Assert.Single(percentHits.Items).Id);
        Assert.Equal(underscore.Id, Assert.Single(underscoreHits.Items).Id);
    }

    [Fact]
    public async Task Paging_returns_the_requested_slice_of_the_sorted_list_and_the_total()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        foreach (var title in new[] { "Echo", "Alpha", "Delta", "Charlie", "Bravo" })
            await database.CreateDealAsync(rep, title: title);

        var second = await _deals.ListAsync(rep, new DealListQuery(), new PageRequest(PageIndex: 1, PageSize: 2, SortBy: "title"), Cancel);
        var firstDescending = await _deals.ListAsync(rep, new DealListQuery(), new PageRequest(PageIndex: 0, PageSize: 2, SortBy: "title", Descending: true), Cancel);
        var last = await _deals.ListAsync(rep, new DealListQuery(), new PageRequest(PageIndex: 2, PageSize: 2, SortBy: "title"), Cancel);
        var beyond = await _deals.ListAsync(rep, new DealListQuery(), new PageRequest(PageIndex: 5, PageSize: 2, SortBy: "title"), Cancel);

        Assert.Equal(["Charlie", "Delta"], second.Items.Select(r => r.Title));
        Assert.Equal(["Echo", "Delta"], firstDescending.Items.Select(r => r.Title));
        Assert.Equal(["Echo"], last.Items.Select(r => r.Title));
        Assert.Empty(beyond.Items);
        Assert.All([second, firstDescending, last, beyond], p => Assert.Equal(5, p.TotalCount));
    }

    [Fact]
    public async Task Paging_and_search_together_count_only_the_matching_deals()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        foreach (var title in new[] { "Kiosk North", "Kiosk South", "Kiosk East", "Scanner West" })
            await database.CreateDealAsync(rep, title: title);

        var page = await _deals.ListAsync(rep, new DealListQuery(Search: "kiosk"), new PageRequest(PageIndex: 0, PageSize: 2, SortBy: "title"), Cancel);

        Assert.Equal(3, page.TotalCount);
        Assert.Equal(["Kiosk East", "Kiosk North"], page.Items.Select(r => r.Title));
    }

    [Fact]
    public async Task Sorting_by_value_orders_by_amount()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        await database.CreateDealAsync(rep, title: "Middle", value: 50_000m);
        await database.CreateDealAsync(rep, title: "Small", value: 900m);
        await database.CreateDealAsync(rep, title: "Large", value: 1_250_000m);

        var ascending = await _deals.ListAsync(rep, new DealListQuery(), new PageRequest(SortBy: "value"), Cancel);
        var descending = await _deals.ListAsync(rep, new DealListQuery(), new PageRequest(SortBy: "value", Descending: true), Cancel);

        Assert.Equal(["Small", "Middle", "Large"], ascending.Items.Select(r => r.Title));
        Assert.Equal(["Large", "Middle", "Small"], descending.Items.Select(r => r.Title));
    }

    [Fact]
    public async Task Sorting_by_stage_follows_the_road_from_verbal_to_paid()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        foreach (var stage in new[] { DealStage.Paid, DealStage.Lost, DealStage.Verbal, DealStage.Delivered, DealStage.Ordered })
            await database.CreateDealAsync(rep, stage: stage);

        var ascending = await _deals.ListAsync(rep, new DealListQuery(), new PageRequest(SortBy: "stage"), Cancel);
        var descending = await _deals.ListAsync(rep, new DealListQuery(), new PageRequest(SortBy: "stage", Descending: true), Cancel);

        Assert.Equal([DealStage.Verbal, DealStage.Ordered, DealStage.Delivered, DealStage.Paid, DealStage.Lost], ascending.Items.Select(r => r.Stage));
        Assert.Equal([DealStage.Lost, DealStage.Paid, DealStage.Delivered, DealStage.Ordered, DealStage.Verbal], descending.Items.Select(r => r.Stage));
    }

    [Fact]
    public async Task By_default_deals_with_broken_promises_come_first_then_the_nearest_promised_date()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        await database.CreateDealAsync(rep, title: "No promises");
        await database.CreateDealAsync(rep, title: "Due in 60 days", arrange: d => AddPromise(d, promisedInDays: 60));
        await database.CreateDealAsync(rep, title: "Due in 30 days", arrange: d => AddPromise(d, promisedInDays: 30));
        Commitment? breaking = null;
        await database.CreateDealAsync(rep, title: "Broken", arrange: d =>
        {
            AddPromise(d, promisedInDays: 90);
            breaking = AddPromise(d, promisedInDays: 80);
        });
        // The day after its promised date, a change to this deal alone re-evaluates it: Broken and Late.
        await using (var db = database.CreateDbContext())
        {
            db.ChangedAt = Now.AddDays(81);
            var promise = await db.Commitments.SingleAsync(c => c.Id == breaking!.Id, Cancel);
            promise.Describe(promise.Description + " (chased)", promise.OwnerId, promise.NeedDate);
            await db.SaveChangesAsync(Cancel);
        }

        var page = await _deals.ListAsync(rep, new DealListQuery(), new PageRequest(), Cancel);

        Assert.Equal(["Broken", "Due in 30 days", "Due in 60 days", "No promises"], page.Items.Select(r => r.Title));
        var broken = page.Items[0];
        Assert.Equal((2, 1, (DateOnly?)Today.AddDays(80)), (broken.OpenPromises, broken.BrokenPromises, broken.NextPromisedDate));
        Assert.Null(page.Items[3].NextPromisedDate);
    }

    [Fact]
    public async Task An_active_users_role_team_and_department_are_loaded_from_the_database()
    {
        var team = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, team, Department.Sales);
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);

        var loadedManager = await ActorAccessor.LoadAsync(database, manager.UserId, Cancel);
        var loadedService = await ActorAccessor.LoadAsync(database, service.UserId, Cancel);

        Assert.Equal(manager, loadedManager);
        Assert.Equal(service, loadedService);
        Assert.Null(await ActorAccessor.LoadAsync(database, "no-such-user", Cancel));
    }

    [Fact]
    public async Task A_deactivated_user_loads_as_no_actor()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        Assert.NotNull(await ActorAccessor.LoadAsync(database, rep.UserId, Cancel));
        await using (var db = database.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == rep.UserId, Cancel);
            user.IsActive = false;
            await db.SaveChangesAsync(Cancel);
        }

        Assert.Null(await ActorAccessor.LoadAsync(database, rep.UserId, Cancel));
    }

    /// <summary>The service as the app builds it, whatever its constructor asks for, on the test clock.</summary>
    private static DealsService CreateService(TestDatabase database)
    {
        var services = new ServiceCollection()
            .AddSingleton<IDbContextFactory<AppDbContext>>(database)
            .AddSingleton<TimeProvider>(new FakeTimeProvider(Now))
            .AddValidatorsFromAssemblyContaining<DealsService>(ServiceLifetime.Singleton)
            .BuildServiceProvider();
        return ActivatorUtilities.CreateInstance<DealsService>(services);
    }

    /// <summary>Two teams with a manager and reps each, an admin, service staff, and a deal per rep.</summary>
    private async Task<Company> ArrangeCompanyAsync()
    {
        var token = Guid.NewGuid().ToString("N")[..8];
        var teamA = await database.CreateTeamAsync();
        var teamB = await database.CreateTeamAsync();
        var repA = await database.CreateAsync(AppRoles.Rep, teamA, Department.Sales);
        var repA2 = await database.CreateAsync(AppRoles.Rep, teamA, Department.Sales);
        var repB = await database.CreateAsync(AppRoles.Rep, teamB, Department.Sales);
        return new Company(
            token, teamA, teamB, repA, repA2, repB,
            await database.CreateAsync(AppRoles.Manager, teamA, Department.Sales),
            await database.CreateAsync(AppRoles.Manager, teamB, Department.Sales),
            await database.CreateAsync(AppRoles.Admin),
            await database.CreateAsync(AppRoles.Service, department: Department.Service),
            await database.CreateDealAsync(repA, title: $"North deal {token}"),
            await database.CreateDealAsync(repA2, title: $"North deal two {token}"),
            await database.CreateDealAsync(repB, title: $"South deal {token}"));
    }

    private sealed record Company(
        string Token, Team TeamA, Team TeamB, Actor RepA, Actor RepA2, Actor RepB, Actor ManagerA, Actor ManagerB, Actor Admin, Actor Service,
        Deal DealA, Deal DealA2, Deal DealB);
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Communications;
using CommitmentTracker.Web.Features.Home;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Features.Recovery;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Home;

/// <summary>
/// The rep's home: touchpoints due today or overdue, then the promises due in the next 14 days, only for the deals
/// the user works (a rep their own, a manager the team's).
/// </summary>
public sealed class HomeServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Six days after the deals closed: comfort (+2) is overdue, the road walk (+5) too, the PO chase (+7) not due yet.</summary>
    private static readonly DateTimeOffset HomeNow = Now.AddDays(6);

    private static readonly DateOnly HomeToday = Today.AddDays(6);

    private readonly HomeService _home = new(database, new FakeTimeProvider(HomeNow));

    [Fact]
    public async Task The_home_lists_the_reps_open_touchpoints_due_today_or_earlier_most_overdue_first()
    {
        var company = await ArrangeCompanyAsync();

        var home = await _home.GetAsync(company.Rep, Cancel);

        Assert.Equal(HomeToday, home.Today);
        Assert.All(home.Touchpoints, t => Assert.Equal(company.Deal.Id, t.DealId));
        Assert.Equal(
            new[] { (TouchpointKind.WalkThroughRoadToDelivery, Today.AddDays(5)), (TouchpointKind.CheckInBeforePromisedDate, Today.AddDays(6)) },
            home.Touchpoints.Select(t => (t.Kind, t.DueOn)).ToList());
        var checkIn = home.Touchpoints.Single(t => t.Kind == TouchpointKind.CheckInBeforePromisedDate);
        Assert.Equal(("Check in before the promised date", "Commission line 3"), (checkIn.Title, checkIn.PromiseDescription));
        Assert.Equal(new[] { new PersonSuggestion("Hannah Berg", "buyer") }, home.Touchpoints[0].Contacts);
    }

    [Fact]
    public async Task The_home_lists_the_reps_unfinished_promises_of_both_sides_due_within_fourteen_days()
    {
        var company = await ArrangeCompanyAsync();

        var home = await _home.GetAsync(company.Rep, Cancel);

        Assert.Equal(
            new[] { ("Commission line 3", CommitmentDirection.Ours, Today.AddDays(9)), ("Send the floor plan", CommitmentDirection.Theirs, Today.AddDays(12)), ("Train the operators", CommitmentDirection.Ours, Today.AddDays(20)) },
            home.Promises.Select(p => (p.Description, p.Direction, p.PromisedDate)).ToList());
        Assert.All(home.Promises, p => Assert.Equal((company.Deal.Id, CommitmentStatus.Open), (p.DealId, p.Status)));
    }

    [Fact]
    public async Task A_manager_sees_the_teams_touchpoints_and_promises_and_nothing_of_another_team()
    {
        var company = await ArrangeCompanyAsync();

        var team = await _home.GetAsync(company.Manager, Cancel);

        Assert.Equal(new[] { company.Deal.Id, company.TeammatesDeal.Id }.Order(), team.Touchpoints.Select(t => t.DealId).Distinct().Order());
        Assert.DoesNotContain(team.Touchpoints, t => t.DealId == company.StrangersDeal.Id);
        Assert.DoesNotContain(team.Promises, p => p.DealId == company.StrangersDeal.Id);
        Assert.Contains(team.Promises, p => p.DealId == company.TeammatesDeal.Id);
    }

    [Fact]
    public async Task The_home_lists_open_recovery_plans_whose_next_step_is_the_reps_and_the_manager_sees_the_teams()
    {
        var scene = await database.CreateAtRiskSceneAsync();
        var other = await database.CreateAtRiskSceneAsync();

        var repHome = await _home.GetAsync(scene.Rep, Cancel);
        var managerHome = await _home.GetAsync(scene.Manager, Cancel);

        var step = Assert.Single(repHome.RecoverySteps);
        Assert.Equal((scene.PlanId, Domain.Recovery.RecoveryStepKind.MakeRoom, scene.Promise.Description), (step.PlanId, step.Step, step.Promise));
        Assert.True(step.IsOverdue); // detected at Now, due 4 hours later; the home looks six days on
        Assert.Equal([scene.PlanId], managerHome.RecoverySteps.Select(r => r.PlanId));
        Assert.DoesNotContain(repHome.RecoverySteps, r => r.PlanId == other.PlanId);
    }

    [Fact]
    public async Task A_rep_without_deals_gets_an_empty_home()
    {
        await ArrangeCompanyAsync();
        var newcomer = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());

        var home = await _home.GetAsync(newcomer, Cancel);

        Assert.Empty(home.Touchpoints);
        Assert.Empty(home.Promises);
    }

    /// <summary>
    /// A rep's deal with touchpoints done, open and not yet due, promises inside and outside the window, kept and
    /// waived ones; a teammate's deal; another team's deal with everything due; and a lost deal of the rep.
    /// </summary>
    private async Task<Company> ArrangeCompanyAsync()
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var teammate = await database.CreateAsync(AppRoles.Rep, team);
        var manager = await database.CreateAsync(AppRoles.Manager, team);
        var stranger = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());

        var account = Domain.Accounts.Account.Create($"Account {Guid.NewGuid():N}", null, Now);
        account.AddContact("Hannah Berg", Domain.Accounts.ContactRole.Buyer, null, null, false);
        await database.InsertAsync(account);

        var deal = await database.CreateDealAsync(rep, account: account, arrange: d =>
        {
            // Comfort (+2) done; road walk (+5) overdue; PO chase (+7) not due yet.
            d.CompleteTouchpoint(d.Touchpoints.Single(t => t.Kind == TouchpointKind.ConfirmDecisionComfort).Id, Guid.NewGuid(), rep.UserId, Now);
            AddPromise(d, CommitmentKind.Installation, promisedInDays: 9, description: "Commission line 3"); // check-in due +6: today
            AddPromise(d, CommitmentKind.Training, promisedInDays: 20, description: "Train the operators"); // +14 from home's today: the edge
            AddPromise(d, CommitmentKind.Support, promisedInDays: 21, description: "Hotline set up"); // +15: outside
            d.AddCommitment(new CommitmentDraft(CommitmentDirection.Theirs, CommitmentKind.Other, "Send the floor plan", rep.UserId, Department.Customer, Today.AddDays(12), null),
                LeadTimes.Defaults, rep.UserId, Now, Today);
            var waived = AddPromise(d, CommitmentKind.Delivery, promisedInDays: 10, description: "Ship spare parts");
            d.WaiveCommitment(waived.Id, "Not needed after all.", rep.UserId, Now);
            // Check-ins of the later promises are not due yet and must not show.
        });
        await database.CreateDealAsync(rep, arrange: d =>
        {
            AddPromise(d, promisedInDays: 8, description: "Lost deal's promise");
            d.MarkLost(LostReason.WentToCompetitor, null, rep.UserId, Now);
        });
        var teammatesDeal = await database.CreateDealAsync(teammate, arrange: d => AddPromise(d, promisedInDays: 11, description: "Teammate's promise"));
        var strangersDeal = await database.CreateDealAsync(stranger, arrange: d => AddPromise(d, promisedInDays: 8, description: "Stranger's promise"));
        return new Company(rep, manager, deal, teammatesDeal, strangersDeal);
    }

    private sealed record Company(Actor Rep, Actor Manager, Deal Deal, Deal TeammatesDeal, Deal StrangersDeal);
}

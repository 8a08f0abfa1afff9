using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Checklist;
using CommitmentTracker.Web.Features.Communications;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Features.Promises;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Features.TechnicalReviews;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Features.Fulfilment;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Features.Fulfilment.TestMilestones;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Deals;

/// <summary>
/// What the deal page offers each role is what the server accepts: every action offered with the deal's view succeeds
/// through its service, every action withheld is refused. Each action runs on a fresh deal of the same shape, so one
/// action's effect (a waiver, a lost deal) never decides another's.
/// </summary>
public sealed class DealActionsTests(TestDatabase database) : IClassFixture<TestDatabase>, IDisposable
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string EditDetails = "edit details";
    private const string MarkLost = "mark lost";
    private const string Advance = "move to the next stage";
    private const string AddPromise = "add a promise";
    private const string AnswerChecklist = "answer a checklist item";
    private const string LogCommunication = "log a communication";
    private const string CompleteTouchpoint = "complete a touchpoint";
    private const string RequestReview = "ask for a technical review";
    private const string Renegotiate = "renegotiate the promise";
    private const string Waive = "waive the promise";
    private const string OpenRecovery = "open a recovery plan";
    private const string PlanMilestones = "plan milestones";
    private const string UpdateSveas = "update Svea's milestone";
    private const string UpdateUnassigned = "update the unassigned milestone";
    private const string UpdateOlafs = "update Olaf's milestone";
    private const string UpdateSams = "update Sam's milestone";

    private static readonly string[] EveryChangeOfTheDeal =
        [EditDetails, MarkLost, Advance, AddPromise, AnswerChecklist, LogCommunication, CompleteTouchpoint, RequestReview, Renegotiate, Waive, OpenRecovery, PlanMilestones];

    private readonly ServiceProvider _services = new ServiceCollection()
        .AddSingleton<IDbContextFactory<AppDbContext>>(database)
        .AddSingleton<TimeProvider>(new FakeTimeProvider(Now))
        .AddValidatorsFromAssemblyContaining<DealsService>(ServiceLifetime.Singleton)
        .Configure<FulfilmentOptions>(_ => { })
        .BuildServiceProvider();

    private T Service<T>() where T : class => ActivatorUtilities.CreateInstance<T>(_services);

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task The_deals_rep_is_offered_every_change_of_their_deal_and_no_milestone_update_as_the_server_decides()
    {
        var company = await CompanyAsync();

        Assert.Equal(EveryChangeOfTheDeal, await OfferedAsync(company, company.Rep));
    }

    [Fact]
    public async Task A_rep_of_another_deal_is_offered_nothing_and_the_server_refuses_every_action()
    {
        var company = await CompanyAsync();

        Assert.Empty(await OfferedAsync(company, company.OtherRep));
    }

    [Fact]
    public async Task The_teams_manager_is_offered_what_the_rep_is_and_the_server_accepts_each()
    {
        var company = await CompanyAsync();

        Assert.Equal(EveryChangeOfTheDeal, await OfferedAsync(company, company.Manager));
    }

    [Fact]
    public async Task A_manager_of_another_team_is_offered_nothing_and_the_server_refuses_every_action()
    {
        var company = await CompanyAsync();

        Assert.Empty(await OfferedAsync(company, company.OtherManager));
    }

    [Fact]
    public async Task Service_staff_are_offered_update_only_on_milestones_the_server_lets_them_update()
    {
        var company = await CompanyAsync();

        Assert.Equal([PlanMilestones, UpdateSveas, UpdateUnassigned], await OfferedAsync(company, company.Svea));
    }

    [Fact]
    public async Task Service_staff_of_another_department_are_offered_only_the_milestone_assigned_to_them()
    {
        var company = await CompanyAsync();

        Assert.Equal([PlanMilestones, UpdateSams], await OfferedAsync(company, company.Sam));
    }

    [Fact]
    public async Task Admins_read_the_deal_and_are_offered_nothing_the_server_would_refuse()
    {
        var company = await CompanyAsync();

        Assert.Empty(await OfferedAsync(company, company.Admin));
    }

    [Fact]
    public async Task A_paid_deal_offers_its_rep_only_the_log_and_its_open_touchpoints_and_the_server_refuses_the_rest_as_settled()
    {
        var company = await CompanyAsync();

        var offered = await OfferedAsync(company, company.Rep, ArrangePaidAsync, typeof(DomainException));

        Assert.Equal([LogCommunication, CompleteTouchpoint], offered);
    }

    [Fact]
    public async Task The_milestones_of_a_waived_promise_are_offered_to_nobody_and_refused_as_closed()
    {
        var company = await CompanyAsync();
        var scene = await ArrangeAsync(company);
        await using (var db = database.CreateDbContext())
        {
            var deal = await db.LoadDealAsync(scene.Deal.Id, tracked: true);
            deal.WaiveCommitment(scene.Promise.Id, "The customer installs it themselves.", company.Rep.UserId, Now);
            await db.SaveChangesAsync(Cancel);
        }

        var view = (await Service<DealsService>().GetAsync(company.Svea, scene.Deal.Id, Cancel))!;
        var seen = await database.RefAsync(scene.Milestone(UpdateSveas));

        Assert.All(scene.Milestones.Values, id => Assert.False(view.MilestoneActionsById[id].Update));
        var error = await Assert.ThrowsAsync<DomainException>(() =>
            Service<FulfilmentService>().UpdateAsync(company.Svea, seen, InProgress(), Cancel));
        Assert.Contains("waived", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Runs every action for <paramref name="actor"/> on a fresh deal from <paramref name="arrange"/>: an offered one
    /// must succeed, a withheld one must be refused with one of <paramref name="refusals"/> (by default: not found or
    /// access denied). Returns the names of the offered actions, in the order they were tried.
    /// </summary>
    private async Task<string[]> OfferedAsync(Company company, Actor actor, Func<Company, Task<Scene>>? arrange = null, params Type[] refusals)
    {
        refusals = refusals.Length > 0 ? refusals : [typeof(AccessDeniedException), typeof(RecordNotFoundException)];
        var offered = new List<string>();
        foreach (var probe in Probes())
        {
            var scene = await (arrange ?? ArrangeAsync)(company);
            if (!probe.AppliesTo(scene))
                continue;
            var view = await Service<DealsService>().GetAsync(actor, scene.Deal.Id, Cancel);
            var isOffered = view is not null && probe.Offered(view, scene);

            var error = await Record.ExceptionAsync(() => probe.Act(actor, scene));

            if (isOffered)
            {
                Assert.True(error is null, $"\"{probe.Name}\" is offered to {actor.Role} but refused: {error}");
                offered.Add(probe.Name);
            }
            else
            {
                Assert.True(error is not null && refusals.Contains(error.GetType()),
                    $"\"{probe.Name}\" is withheld from {actor.Role} but {(error is null ? "accepted" : $"refused with {error.GetType().Name}: {error.Message}")}");
            }
        }
        return [.. offered];
    }

    /// <summary>Each action the deal page offers: the flag the page reads, and the service call behind the button.</summary>
    private IEnumerable<Probe> Probes()
    {
        yield return new(EditDetails, (v, _) => v.Actions.EditDetails, (actor, s) =>
            Service<DealsService>().UpdateDetailsAsync(actor, s.Deal.Id, s.DealVersion, new DealDetailsInput
            {
                Title = "Robot cell, revised", Value = 12_000m, Currency = "EUR", ExpectedOutcome = "Pack 45 cases a minute", CloseDate = On(Today),
            }, Cancel));
        yield return new(MarkLost, (v, _) => v.Actions.MarkLost, (actor, s) =>
            Service<DealsService>().MoveAsync(actor, s.Deal.Id, s.DealVersion, new StageMoveInput { Target = DealStage.Lost, LostReason = LostReason.NoBudget }, Cancel));
        yield return new(Advance, (v, _) => v.Actions.Advance, (actor, s) =>
            Service<DealsService>().MoveAsync(actor, s.Deal.Id, s.DealVersion, new StageMoveInput { Target = DealStage.Ordered, PurchaseOrderReference = "PO-2026-17" }, Cancel));
        yield return new(AddPromise, (v, _) => v.Actions.AddPromises, (actor, s) =>
        {
            var input = AddPromiseInput.For(CommitmentDirection.Ours, s.Deal.OwnerId);
            input.Description = "Train the night shift";
            input.PromisedDate = On(Today.AddDays(70));
            return Service<PromisesService>().AddAsync(actor, s.Deal.Id, input, Cancel);
        });
        yield return new(AnswerChecklist, (v, _) => v.Actions.WorkChecklist, (actor, s) =>
        {
            var item = s.Deal.Checklist.OrderBy(i => i.Position).First();
            return Service<ChecklistService>().AnswerAsync(actor, s.Deal.Id, item.Id, new ChecklistAnswerInput { Answer = "Agreed again on the phone." }, item.AnsweredAt, Cancel);
        });
        yield return new(LogCommunication, (v, _) => v.Actions.LogCommunications, (actor, s) =>
            Service<CommunicationsService>().LogAsync(actor, s.Deal.Id, new LogCommunicationInput
            {
                People = "Eva Buyer", Summary = "Walked through the delivery plan.", OccurredOn = On(Today), OccurredAt = TimeSpan.FromHours(9),
            }, Cancel));
        yield return new(CompleteTouchpoint, (v, _) => v.Actions.CompleteTouchpoints, (actor, s) =>
            Service<CommunicationsService>().CompleteTouchpointAsync(actor, s.Deal.Id, s.Deal.Touchpoints.First(t => t.IsOpen).Id,
                new CompleteTouchpointInput { People = "Eva Buyer", Summary = "She is happy with the plan." }, Cancel));
        yield return new(RequestReview, (v, _) => v.Actions.RequestTechnicalReview, (actor, s) =>
            Service<TechnicalReviewService>().RequestAsync(actor, s.Deal.Id, "Two grippers on one cell: can we build it in ten weeks?", Cancel));
        yield return new(Renegotiate, (v, s) => v.ActionsOf(s.Promise).Renegotiate, (actor, s) =>
            Service<PromisesService>().RenegotiateAsync(actor, s.Deal.Id, s.Promise.Id, s.PromiseVersion, new RenegotiateInput
            {
                NewDate = On(s.Promise.PromisedDate.AddDays(7)), AgreedWith = "Eva Buyer", AgreedOn = On(Today), Reason = "Their hall is ready a week later.",
            }, Cancel));
        yield return new(Waive, (v, s) => v.ActionsOf(s.Promise).Waive, (actor, s) =>
            Service<PromisesService>().WaiveAsync(actor, s.Deal.Id, s.Promise.Id, s.PromiseVersion,
                new WaiveInput { Reason = "The customer cancelled it.", Confirmed = true }, Cancel));
        yield return new(OpenRecovery, (v, s) => v.ActionsOf(s.Promise).OpenRecovery, (actor, s) =>
            Service<RecoveryService>().OpenAsync(actor, s.Promise.Id, Cancel));
        yield return new(PlanMilestones, (v, s) => v.ActionsOf(s.Promise).PlanMilestones, (actor, s) =>
            Service<MilestonePlanService>().AddAsync(actor, s.Promise.Id, "Order the grippers", null, Today.AddDays(10), Cancel));
        foreach (var step in new[] { UpdateSveas, UpdateUnassigned, UpdateOlafs, UpdateSams })
        {
            yield return new(step, (v, s) => v.MilestoneActionsById[s.Milestone(step)].Update, async (actor, s) =>
                await Service<FulfilmentService>().UpdateAsync(actor, await database.RefAsync(s.Milestone(step)), InProgress(), Cancel))
            {
                AppliesTo = s => s.Milestones.ContainsKey(step),
            };
        }
    }

    /// <summary>
    /// A verbal deal of the rep, its required checklist answered, with a delivery promise of ours (Fulfilment) planned
    /// in four steps: Svea's, an unassigned one, Olaf's (both Fulfilment) and Sam's (Service department).
    /// </summary>
    private async Task<Scene> ArrangeAsync(Company company)
    {
        Commitment? promise = null;
        var deal = await database.CreateDealAsync(company.Rep, arrange: d =>
        {
            foreach (var item in d.OpenRequiredItems.ToList())
                d.AnswerChecklistItem(item.Id, $"Agreed: {item.Title}", d.OwnerId, Now);
            ApproveTechnicalReview(d, company.Sam.UserId);
            promise = TestDeals.AddPromise(d);
            promise.AddMilestone("Order parts", company.Svea.UserId, Today.AddDays(20));
            promise.AddMilestone("Build", null, Today.AddDays(40));
            promise.AddMilestone("Ship", company.Olaf.UserId, Today.AddDays(55));
            promise.AddMilestone("Install", company.Sam.UserId, Today.AddDays(65));
        });
        var milestones = promise!.Milestones.OrderBy(m => m.Position).Select(m => m.Id).ToList();
        return await SceneAsync(deal, promise, new Dictionary<string, Guid>
        {
            [UpdateSveas] = milestones[0], [UpdateUnassigned] = milestones[1], [UpdateOlafs] = milestones[2], [UpdateSams] = milestones[3],
        });
    }

    /// <summary>A paid deal of the rep: its delivery kept, the customer's promise still open, the satisfaction call to make.</summary>
    private async Task<Scene> ArrangePaidAsync(Company company)
    {
        Commitment? theirs = null;
        var deal = await database.CreateDealAsync(company.Rep, arrange: d =>
        {
            theirs = d.AddCommitment(
                new CommitmentDraft(CommitmentDirection.Theirs, CommitmentKind.Other, "Send the floor plans", d.OwnerId, Department.Customer, Today.AddDays(20), null),
                LeadTimes.Defaults, d.OwnerId, Now, Today);
            foreach (var item in d.OpenRequiredItems.ToList())
                d.AnswerChecklistItem(item.Id, $"Agreed: {item.Title}", d.OwnerId, Now);
            ApproveTechnicalReview(d, d.OwnerId);
            d.MarkOrdered("PO-4711", d.OwnerId, Now);
            var ours = TestDeals.AddPromise(d, promisedInDays: 30);
            ours.AddMilestone("Ship", company.Svea.UserId, Today);
            ours.UpdateMilestone(ours.Milestones[0].Id, new MilestoneChange(MilestoneStatus.Done, null, CompletedOn: Today), company.Svea.UserId, Now, Today);
            d.MarkDelivered(d.OwnerId, Now, Today);
            d.MarkPaid(Today, "BANK-2026-03-02", d.OwnerId, Now, Today);
        });
        return await SceneAsync(deal, theirs!, new Dictionary<string, Guid>());
    }

    private async Task<Scene> SceneAsync(Deal deal, Commitment promise, IReadOnlyDictionary<string, Guid> milestones) => new(
        deal, promise, milestones,
        await database.QueryAsync(db => db.Deals.Where(d => d.Id == deal.Id).Select(d => EF.Property<uint>(d, AppDbContext.Version)).SingleAsync(Cancel)),
        await database.QueryAsync(db => db.Commitments.Where(c => c.Id == promise.Id).Select(c => EF.Property<uint>(c, AppDbContext.Version)).SingleAsync(Cancel)));

    /// <summary>
    /// The deal's rep and their manager (team A), a rep and the manager of team B, service staff (Svea and Olaf in
    /// Fulfilment, Sam in the Service department) and an admin.
    /// </summary>
    private async Task<Company> CompanyAsync()
    {
        var teamA = await database.CreateTeamAsync();
        var teamB = await database.CreateTeamAsync();
        return new Company(
            await database.CreateAsync(AppRoles.Rep, teamA, Department.Sales),
            await database.CreateAsync(AppRoles.Rep, teamA, Department.Sales),
            await database.CreateAsync(AppRoles.Manager, teamA, Department.Sales),
            await database.CreateAsync(AppRoles.Manager, teamB, Department.Sales),
            await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment, name: "Svea"),
            await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment, name: "Olaf"),
            await database.CreateAsync(AppRoles.Service, department: Department.Service, name: "Sam"),
            await database.CreateAsync(AppRoles.Admin));
    }

    private sealed record Company(Actor Rep, Actor OtherRep, Actor Manager, Actor OtherManager, Actor Svea, Actor Olaf, Actor Sam, Actor Admin);

    /// <summary>A freshly saved deal, the promise the promise actions are tried on, its milestones by action, and the versions seen.</summary>
    private sealed record Scene(Deal Deal, Commitment Promise, IReadOnlyDictionary<string, Guid> Milestones, uint DealVersion, uint PromiseVersion)
    {
        public Guid Milestone(string action) => Milestones[action];
    }

    private sealed record Probe(string Name, Func<DealView, Scene, bool> Offered, Func<Actor, Scene, Task> Act)
    {
        /// <summary>Whether the arranged deal has what the action needs (the paid deal has no milestones to update).</summary>
        public Func<Scene, bool> AppliesTo { get; init; } = _ => true;
    }
}

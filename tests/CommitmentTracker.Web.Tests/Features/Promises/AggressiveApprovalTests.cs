using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Promises;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Promises;

/// <summary>
/// A promised date inside the kind's lead time is aggressive: it carries a written reason or waits for the manager
/// of the rep's team, who approves or rejects it. Nobody else decides, and another team's manager cannot even see it.
/// </summary>
public sealed class AggressiveApprovalTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly PromisesService _promises = PromisesServiceFactory.Create(database, new FakeTimeProvider(Now));

    [Fact]
    public async Task An_aggressive_date_with_a_written_reason_needs_no_approval()
    {
        var north = await ArrangeTeamAsync();
        var input = Aggressive(north.Rep);
        input.AggressiveHandling = AggressiveHandling.WriteReason;
        input.AggressiveReason = "The cell is in stock; the carrier confirmed in writing.";

        var id = await _promises.AddAsync(north.Rep, north.Deal.Id, input, Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(id));
        Assert.Equal((true, AggressiveApproval.ReasonGiven, "The cell is in stock; the carrier confirmed in writing."),
            (stored.IsAggressive, stored.AggressiveApproval, stored.AggressiveReason));
        Assert.Empty(await _promises.PendingApprovalsAsync(north.Manager, Cancel));
    }

    [Fact]
    public async Task An_aggressive_promise_waits_for_the_manager_who_approves_it_from_the_list()
    {
        var north = await ArrangeTeamAsync();
        var id = await _promises.AddAsync(north.Rep, north.Deal.Id, Aggressive(north.Rep), Cancel);

        var pending = Assert.Single(await _promises.PendingApprovalsAsync(north.Manager, Cancel));
        // The delivery lead time of 21 days counts working days of the rep's team (the default calendar, Monday to Friday):
        // from Monday 2 March the 21st working day is Tuesday 31 March, 19 calendar days after the promised 12 March.
        Assert.Equal((north.Deal.Id, id, north.Deal.Title, "Rita Reps", CommitmentKind.Delivery, Today.AddDays(10), new DateOnly(2026, 3, 31), 19),
            (pending.DealId, pending.CommitmentId, pending.DealTitle, pending.RepName, pending.Kind, pending.PromisedDate, pending.EarliestComfortableDate, pending.DaysShort));

        await _promises.ApproveAggressiveAsync(north.Manager, pending.DealId, pending.CommitmentId, pending.Version, Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(id));
        Assert.Equal((AggressiveApproval.Approved, north.Manager.UserId, (DateTimeOffset?)Now),
            (stored.AggressiveApproval, stored.AggressiveDecidedBy, stored.AggressiveDecidedAt));
        Assert.Empty(await _promises.PendingApprovalsAsync(north.Manager, Cancel));
    }

    [Fact]
    public async Task The_manager_rejects_an_aggressive_date_with_a_reason()
    {
        var north = await ArrangeTeamAsync();
        var id = await _promises.AddAsync(north.Rep, north.Deal.Id, Aggressive(north.Rep), Cancel);
        var pending = Assert.Single(await _promises.PendingApprovalsAsync(north.Manager, Cancel));

        await _promises.RejectAggressiveAsync(north.Manager, north.Deal.Id, id, pending.Version,
            new RejectAggressiveInput { Reason = "The crew is booked until the 20th." }, Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(id));
        Assert.Equal((AggressiveApproval.Rejected, "The crew is booked until the 20th.", north.Manager.UserId),
            (stored.AggressiveApproval, stored.AggressiveReason, stored.AggressiveDecidedBy));
    }

    [Fact]
    public async Task A_rejection_without_a_reason_is_refused_and_the_promise_keeps_waiting()
    {
        var north = await ArrangeTeamAsync();
        var id = await _promises.AddAsync(north.Rep, north.Deal.Id, Aggressive(north.Rep), Cancel);
        var pending = Assert.Single(await _promises.PendingApprovalsAsync(north.Manager, Cancel));

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            _promises.RejectAggressiveAsync(north.Manager, north.Deal.Id, id, pending.Version, new RejectAggressiveInput(), Cancel));

        Assert.Contains("Say why the date is rejected", ex.Message, StringComparison.Ordinal);
        Assert.Equal(AggressiveApproval.Pending, (await database.QueryAsync(db => db.LoadCommitmentAsync(id))).AggressiveApproval);
    }

    [Fact]
    public async Task A_manager_of_another_team_neither_sees_nor_approves_the_promise_it_looks_not_found()
    {
        var north = await ArrangeTeamAsync();
        var south = await ArrangeTeamAsync();
        var id = await _promises.AddAsync(north.Rep, north.Deal.Id, Aggressive(north.Rep), Cancel);
        var version = await VersionOfAsync(id);

        Assert.Empty(await _promises.PendingApprovalsAsync(south.Manager, Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _promises.ApproveAggressiveAsync(south.Manager, north.Deal.Id, id, version, Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() =>
            _promises.RejectAggressiveAsync(south.Manager, north.Deal.Id, id, version, new RejectAggressiveInput { Reason = "No." }, Cancel));

        Assert.Equal(AggressiveApproval.Pending, (await database.QueryAsync(db => db.LoadCommitmentAsync(id))).AggressiveApproval);
    }

    [Fact]
    public async Task The_rep_cannot_approve_their_own_aggressive_promise_nor_can_an_admin()
    {
        var north = await ArrangeTeamAsync();
        var admin = await database.CreateAsync(AppRoles.Admin);
        var id = await _promises.AddAsync(north.Rep, north.Deal.Id, Aggressive(north.Rep), Cancel);
        var version = await VersionOfAsync(id);

        await Assert.ThrowsAsync<AccessDeniedException>(() => _promises.ApproveAggressiveAsync(north.Rep, north.Deal.Id, id, version, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _promises.ApproveAggressiveAsync(admin, north.Deal.Id, id, version, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _promises.PendingApprovalsAsync(north.Rep, Cancel));

        Assert.Equal(AggressiveApproval.Pending, (await database.QueryAsync(db => db.LoadCommitmentAsync(id))).AggressiveApproval);
    }

    [Fact]
    public async Task The_pending_list_holds_only_the_teams_live_promises_waiting_for_a_decision_soonest_first()
    {
        var north = await ArrangeTeamAsync();
        var secondRep = await database.CreateAsync(AppRoles.Rep, north.Team, name: "Ravi Second");
        var secondDeal = await database.CreateDealAsync(secondRep, title: "Second deal");
        var later = await _promises.AddAsync(north.Rep, north.Deal.Id, Aggressive(north.Rep, promisedInDays: 15), Cancel);
        var sooner = await _promises.AddAsync(secondRep, secondDeal.Id, Aggressive(secondRep, promisedInDays: 5), Cancel);
        var waived = await _promises.AddAsync(north.Rep, north.Deal.Id, Aggressive(north.Rep), Cancel);
        await _promises.WaiveAsync(north.Rep, north.Deal.Id, waived, await VersionOfAsync(waived), new WaiveInput { Reason = "Dropped.", Confirmed = true }, Cancel);
        await _promises.AddAsync(north.Rep, north.Deal.Id, Aggressive(north.Rep, promisedInDays: 30), Cancel); // not aggressive: 30 > 21 days

        var pending = await _promises.PendingApprovalsAsync(north.Manager, Cancel);

        Assert.Equal([sooner, later], pending.Select(p => p.CommitmentId));
        Assert.Equal(["Ravi Second", "Rita Reps"], pending.Select(p => p.RepName));
    }

    private async Task<(Team Team, Actor Rep, Actor Manager, Deal Deal)> ArrangeTeamAsync()
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team, name: "Rita Reps");
        var manager = await database.CreateAsync(AppRoles.Manager, team);
        var deal = await database.CreateDealAsync(rep);
        return (team, rep, manager, deal);
    }

    /// <summary>A delivery promised sooner than its 21-day lead time, asking the manager.</summary>
    private static AddPromiseInput Aggressive(Actor owner, int promisedInDays = 10) => new()
    {
        Direction = CommitmentDirection.Ours,
        Kind = CommitmentKind.Delivery,
        Description = "Ship the robot cell",
        OwnerId = owner.UserId,
        Department = Department.Fulfilment,
        PromisedDate = Today.AddDays(promisedInDays).ToDateTime(TimeOnly.MinValue),
        NeedDate = Today.AddDays(promisedInDays + 5).ToDateTime(TimeOnly.MinValue),
    };

    private Task<uint> VersionOfAsync(Guid commitmentId) =>
        database.QueryAsync(db => db.Commitments.Where(c => c.Id == commitmentId).Select(c => EF.Property<uint>(c, AppDbContext.Version)).SingleAsync(Cancel));
}

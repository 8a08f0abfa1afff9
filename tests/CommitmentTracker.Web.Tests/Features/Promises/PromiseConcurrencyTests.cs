using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Promises;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Promises;

/// <summary>Two people changing the same promise: the second, working from what they saw, is told what changed and saves nothing.</summary>
public sealed class PromiseConcurrencyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly PromisesService _promises = PromisesServiceFactory.Create(database, new FakeTimeProvider(Now));

    [Fact]
    public async Task The_second_of_two_renegotiations_from_the_same_version_is_refused_with_the_change_named()
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team, name: "Rita Reyes");
        var manager = await database.CreateAsync(AppRoles.Manager, team, name: "Marco Mancini");
        var deal = await database.CreateDealAsync(rep);
        var id = await _promises.AddAsync(rep, deal.Id, Ours(rep, promisedInDays: 30), Cancel);
        var seenByBoth = await VersionOfAsync(id);

        await _promises.RenegotiateAsync(rep, deal.Id, id, seenByBoth, Renegotiation(40, "Eva Buyer", "Supplier slipped"), Cancel);
        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _promises.RenegotiateAsync(manager, deal.Id, id, seenByBoth, Renegotiation(50, "Eva Buyer", "Site not ready"), Cancel));

        Assert.Contains("Rita Reyes changed it", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Promised date 2026-04-01 → 2026-04-11", ex.Message, StringComparison.Ordinal);
        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(id));
        Assert.Equal(Today.AddDays(40), stored.PromisedDate);
        Assert.Equal("Supplier slipped", Assert.Single(stored.DateHistory).Reason);
        var checkIn = await database.QueryAsync(db => db.Touchpoints.SingleAsync(t => t.CommitmentId == id, Cancel));
        Assert.Equal(Today.AddDays(37), checkIn.DueOn);
    }

    [Fact]
    public async Task A_waiver_from_before_a_renegotiation_is_refused_and_the_promise_stays_open()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync(), name: "Rita Reyes");
        var deal = await database.CreateDealAsync(rep);
        var id = await _promises.AddAsync(rep, deal.Id, Ours(rep, promisedInDays: 30), Cancel);
        var seen = await VersionOfAsync(id);
        await _promises.RenegotiateAsync(rep, deal.Id, id, seen, Renegotiation(40, "Eva Buyer", "Supplier slipped"), Cancel);
        var auditBefore = await AuditCountAsync(deal.Id);

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _promises.WaiveAsync(rep, deal.Id, id, seen, new WaiveInput { Reason = "Dropped.", Confirmed = true }, Cancel));

        Assert.Contains("Promised date", ex.Message, StringComparison.Ordinal);
        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(id));
        Assert.Equal((CommitmentStatus.Open, (string?)null), (stored.Status, stored.WaivedReason));
        Assert.False((await database.QueryAsync(db => db.Touchpoints.SingleAsync(t => t.CommitmentId == id, Cancel))).IsCancelled);
        Assert.Equal(auditBefore, await AuditCountAsync(deal.Id));
    }

    [Fact]
    public async Task An_approval_of_a_date_the_rep_has_since_renegotiated_is_refused()
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team, name: "Rita Reyes");
        var manager = await database.CreateAsync(AppRoles.Manager, team);
        var deal = await database.CreateDealAsync(rep);
        var input = Ours(rep, promisedInDays: 10);
        var id = await _promises.AddAsync(rep, deal.Id, input, Cancel);
        var pending = Assert.Single(await _promises.PendingApprovalsAsync(manager, Cancel));
        await _promises.RenegotiateAsync(rep, deal.Id, id, pending.Version, Renegotiation(12, "Eva Buyer", "Customer asked for two more days"), Cancel);

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _promises.ApproveAggressiveAsync(manager, deal.Id, id, pending.Version, Cancel));

        Assert.Contains("Rita Reyes changed it", ex.Message, StringComparison.Ordinal);
        Assert.Equal(AggressiveApproval.Pending, (await database.QueryAsync(db => db.LoadCommitmentAsync(id))).AggressiveApproval);
    }

    [Fact]
    public async Task A_change_carrying_the_current_version_saves()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);
        var id = await _promises.AddAsync(rep, deal.Id, Ours(rep, promisedInDays: 30), Cancel);
        var before = await VersionOfAsync(id);

        await _promises.RenegotiateAsync(rep, deal.Id, id, before, Renegotiation(40, "Eva Buyer", "Supplier slipped"), Cancel);

        Assert.NotEqual(before, await VersionOfAsync(id));
        Assert.Equal(Today.AddDays(40), (await database.QueryAsync(db => db.LoadCommitmentAsync(id))).PromisedDate);
    }

    private static AddPromiseInput Ours(Actor owner, int promisedInDays) => new()
    {
        Direction = CommitmentDirection.Ours,
        Kind = CommitmentKind.Delivery,
        Description = "Ship the robot cell",
        OwnerId = owner.UserId,
        Department = Department.Fulfilment,
        PromisedDate = Today.AddDays(promisedInDays).ToDateTime(TimeOnly.MinValue),
        NeedDate = Today.AddDays(promisedInDays + 20).ToDateTime(TimeOnly.MinValue),
    };

    private static RenegotiateInput Renegotiation(int newDateInDays, string agreedWith, string reason) => new()
    {
        NewDate = Today.AddDays(newDateInDays).ToDateTime(TimeOnly.MinValue),
        AgreedWith = agreedWith,
        AgreedOn = Today.ToDateTime(TimeOnly.MinValue),
        Reason = reason,
    };

    private Task<uint> VersionOfAsync(Guid commitmentId) =>
        database.QueryAsync(db => db.Commitments.Where(c => c.Id == commitmentId).Select(c => EF.Property<uint>(c, AppDbContext.Version)).SingleAsync(Cancel));

    private Task<int> AuditCountAsync(Guid dealId) =>
        database.QueryAsync(db => db.AuditEntries.CountAsync(a => a.DealId == dealId, Cancel));
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
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

/// <summary>Logging, renegotiating and waiving promises through the service, on PostgreSQL, within the access rules.</summary>
public sealed class PromisesServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly PromisesService _promises = PromisesServiceFactory.Create(database, new FakeTimeProvider(Now));

    [Fact]
    public async Task A_rep_logs_a_promise_of_ours_with_its_dates_and_the_customers_acknowledgement()
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var account = Account.Create($"Acme {Guid.NewGuid():N}", "Packaging", Now);
        var eva = account.AddContact("Eva Buyer", ContactRole.Buyer, null, null, false);
        await database.InsertAsync(account);
        var deal = await database.CreateDealAsync(rep, account: account);
        var input = Ours(rep, promisedInDays: 40, needInDays: 50);
        input.AcknowledgedByContactId = eva.Id;
        input.AcknowledgementChannel = CommunicationChannel.Phone;

        var id = await _promises.AddAsync(rep, deal.Id, input, Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(id));
        Assert.Equal((CommitmentDirection.Ours, CommitmentKind.Delivery, "Ship the robot cell", rep.UserId, Department.Fulfilment),
            (stored.Direction, stored.Kind, stored.Description, stored.OwnerId, stored.Department));
        Assert.Equal((Today.AddDays(40), (DateOnly?)Today.AddDays(50), (int?)10), (stored.PromisedDate, stored.NeedDate, stored.BufferDays));
        Assert.Equal(new CustomerAcknowledgement("Eva Buyer", Now, CommunicationChannel.Phone), stored.Acknowledgement);
        Assert.Equal((false, AggressiveApproval.NotNeeded, false), (stored.IsAggressive, stored.AggressiveApproval, stored.IsLateAddition));
        var checkIn = await database.QueryAsync(db => db.Touchpoints.SingleAsync(t => t.CommitmentId == id, Cancel));
        Assert.Equal(Today.AddDays(37), checkIn.DueOn);
    }

    [Fact]
    public async Task A_customers_promise_is_followed_up_by_the_rep_in_the_customer_department()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);
        var input = AddPromiseInput.For(CommitmentDirection.Theirs, rep.UserId);
        input.Description = "Give us access to the site and a network port on line 3";
        // Theirs are not checked against our lead times, however soon.
        input.PromisedDate = Date(Today.AddDays(3));

        var id = await _promises.AddAsync(rep, deal.Id, input, Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(id));
        Assert.Equal((CommitmentDirection.Theirs, Department.Customer, rep.UserId, false), (stored.Direction, stored.Department, stored.OwnerId, stored.IsAggressive));
    }

    [Fact]
    public async Task A_service_user_and_the_teams_manager_may_own_a_promise_of_ours()
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var manager = await database.CreateAsync(AppRoles.Manager, team);
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Service);
        var deal = await database.CreateDealAsync(rep);

        var options = await _promises.FormOptionsAsync(rep, deal.Id, Cancel);
        var byService = await _promises.AddAsync(rep, deal.Id, Ours(service), Cancel);
        var byManager = await _promises.AddAsync(manager, deal.Id, Ours(manager), Cancel);

        Assert.Equal([rep.UserId, manager.UserId], options.OwnersOfTheirs.Select(o => o.Id));
        Assert.Contains(options.OwnersOfOurs, o => o.Id == service.UserId);
        var owners = await database.QueryAsync(db => db.Commitments.Where(c => c.DealId == deal.Id).Select(c => c.OwnerId).ToListAsync(Cancel));
        Assert.Equal(new[] { service.UserId, manager.UserId }.Order(), owners.Order());
        Assert.NotEqual(Guid.Empty, byService);
        Assert.NotEqual(Guid.Empty, byManager);
    }

    [Fact]
    public async Task An_owner_from_another_team_is_refused_and_nothing_is_saved()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var otherRep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => _promises.AddAsync(rep, deal.Id, Ours(otherRep), Cancel));

        Assert.Contains("the deal's rep, their manager or a service user", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountPromisesAsync(deal.Id));
    }

    [Fact]
    public async Task An_invalid_promise_is_refused_by_the_forms_validator_and_nothing_is_saved()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);
        var input = Ours(rep);
        input.Description = " ";
        input.PromisedDate = Date(Today.AddDays(-1));

        var ex = await Assert.ThrowsAsync<ValidationException>(() => _promises.AddAsync(rep, deal.Id, input, Cancel));

        Assert.Equal(
            ["Describe what is promised.", "The promised date cannot be in the past."],
            ex.Errors.Select(e => e.ErrorMessage));
        Assert.Equal(0, await CountPromisesAsync(deal.Id));
    }

    [Fact]
    public async Task Service_staff_and_admins_cannot_log_promises_and_another_teams_rep_cannot_find_the_deal()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Service);
        var admin = await database.CreateAsync(AppRoles.Admin);
        var otherRep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);

        await Assert.ThrowsAsync<AccessDeniedException>(() => _promises.AddAsync(service, deal.Id, Ours(rep), Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _promises.AddAsync(admin, deal.Id, Ours(rep), Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _promises.AddAsync(otherRep, deal.Id, Ours(otherRep), Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _promises.FormOptionsAsync(otherRep, deal.Id, Cancel));
        Assert.Equal(0, await CountPromisesAsync(deal.Id));
    }

    [Fact]
    public async Task A_promise_added_after_the_deal_was_ordered_is_flagged_as_a_late_addition()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var verbal = await database.CreateDealAsync(rep);
        var ordered = await database.CreateDealAsync(rep, stage: DealStage.Ordered);

        var early = await _promises.AddAsync(rep, verbal.Id, Ours(rep), Cancel);
        var late = await _promises.AddAsync(rep, ordered.Id, Ours(rep), Cancel);

        Assert.False((await database.QueryAsync(db => db.LoadCommitmentAsync(early))).IsLateAddition);
        Assert.True((await database.QueryAsync(db => db.LoadCommitmentAsync(late))).IsLateAddition);
    }

    [Fact]
    public async Task Renegotiation_keeps_every_earlier_date_with_whom_when_and_why()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);
        var id = await _promises.AddAsync(rep, deal.Id, Ours(rep, promisedInDays: 30, needInDays: 60), Cancel);

        await _promises.RenegotiateAsync(rep, deal.Id, id, await VersionOfAsync(id), Renegotiation(40, "Eva Buyer", "Supplier slipped a week"), Cancel);
        await _promises.RenegotiateAsync(rep, deal.Id, id, await VersionOfAsync(id), Renegotiation(45, "Carl Plant", "Site not ready", agreedDaysAgo: 1), Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(id));
        Assert.Equal((Today.AddDays(45), Today.AddDays(30), 15), (stored.PromisedDate, stored.OriginalPromisedDate, stored.SlipDays));
        Assert.Equal(
            new[]
            {
                (Today.AddDays(30), Today.AddDays(40), "Eva Buyer", Now, "Supplier slipped a week"),
                (Today.AddDays(40), Today.AddDays(45), "Carl Plant", new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), "Site not ready"),
            },
            stored.DateHistory.OrderBy(h => h.OldDate).Select(h => (h.OldDate, h.NewDate, h.AgreedWith, h.AgreedAt, h.Reason)));
        Assert.All(stored.DateHistory, h => Assert.Equal(rep.UserId, h.ByUserId));
        var checkIn = await database.QueryAsync(db => db.Touchpoints.SingleAsync(t => t.CommitmentId == id, Cancel));
        Assert.Equal(Today.AddDays(42), checkIn.DueOn);
    }

    [Fact]
    public async Task A_renegotiation_to_a_date_in_the_past_is_refused_by_the_validator_and_changes_nothing()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);
        var id = await _promises.AddAsync(rep, deal.Id, Ours(rep, promisedInDays: 30), Cancel);

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            _promises.RenegotiateAsync(rep, deal.Id, id, 0, Renegotiation(-2, "Eva Buyer", "Oops"), Cancel));

        Assert.Contains("The new promised date cannot be in the past.", ex.Message, StringComparison.Ordinal);
        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(id));
        Assert.Equal(Today.AddDays(30), stored.PromisedDate);
        Assert.Empty(stored.DateHistory);
    }

    [Fact]
    public async Task Waiving_closes_the_promise_with_its_reason_and_cancels_its_check_in()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);
        var id = await _promises.AddAsync(rep, deal.Id, Ours(rep), Cancel);

        await _promises.WaiveAsync(rep, deal.Id, id, await VersionOfAsync(id), new WaiveInput { Reason = "The second site was dropped.", Confirmed = true }, Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(id));
        Assert.Equal((CommitmentStatus.Waived, "The second site was dropped.", rep.UserId, (DateTimeOffset?)Now),
            (stored.Status, stored.WaivedReason, stored.WaivedBy, stored.WaivedAt));
        Assert.True((await database.QueryAsync(db => db.Touchpoints.SingleAsync(t => t.CommitmentId == id, Cancel))).IsCancelled);
    }

    [Fact]
    public async Task A_waiver_without_the_confirmation_is_refused_and_the_promise_stays_open()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);
        var id = await _promises.AddAsync(rep, deal.Id, Ours(rep), Cancel);

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            _promises.WaiveAsync(rep, deal.Id, id, 0, new WaiveInput { Reason = "Dropped." }, Cancel));

        Assert.Contains("Confirm that the promise is cancelled by agreement", ex.Message, StringComparison.Ordinal);
        Assert.Equal(CommitmentStatus.Open, (await database.QueryAsync(db => db.LoadCommitmentAsync(id))).Status);
    }

    [Fact]
    public async Task Another_teams_rep_asking_for_a_promise_by_its_id_finds_nothing_and_changes_nothing()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var otherRep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);
        var id = await _promises.AddAsync(rep, deal.Id, Ours(rep, promisedInDays: 30), Cancel);
        var version = await VersionOfAsync(id);

        await Assert.ThrowsAsync<RecordNotFoundException>(() =>
            _promises.RenegotiateAsync(otherRep, deal.Id, id, version, Renegotiation(40, "Eva Buyer", "Because"), Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() =>
            _promises.WaiveAsync(otherRep, deal.Id, id, version, new WaiveInput { Reason = "Because", Confirmed = true }, Cancel));

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(id));
        Assert.Equal((CommitmentStatus.Open, Today.AddDays(30)), (stored.Status, stored.PromisedDate));
        Assert.Equal(version, await VersionOfAsync(id));
    }

    [Fact]
    public async Task A_promise_of_another_deal_is_not_found_through_this_one()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);
        var other = await database.CreateDealAsync(rep);
        var id = await _promises.AddAsync(rep, other.Id, Ours(rep), Cancel);
        var version = await VersionOfAsync(id);

        await Assert.ThrowsAsync<RecordNotFoundException>(() =>
            _promises.WaiveAsync(rep, deal.Id, id, version, new WaiveInput { Reason = "Because", Confirmed = true }, Cancel));
    }

    private static AddPromiseInput Ours(Actor owner, int promisedInDays = 60, int? needInDays = 70) => new()
    {
        Direction = CommitmentDirection.Ours,
        Kind = CommitmentKind.Delivery,
        Description = "Ship the robot cell",
        OwnerId = owner.UserId,
        Department = Department.Fulfilment,
        PromisedDate = Date(Today.AddDays(promisedInDays)),
        NeedDate = needInDays is { } n ? Date(Today.AddDays(n)) : null,
    };

    private static RenegotiateInput Renegotiation(int newDateInDays, string agreedWith, string reason, int agreedDaysAgo = 0) => new()
    {
        NewDate = Date(Today.AddDays(newDateInDays)),
        AgreedWith = agreedWith,
        AgreedOn = Date(Today.AddDays(-agreedDaysAgo)),
        Reason = reason,
    };

    private static DateTime Date(DateOnly date) => date.ToDateTime(TimeOnly.MinValue);

    private Task<int> CountPromisesAsync(Guid dealId) =>
        database.QueryAsync(db => db.Commitments.CountAsync(c => c.DealId == dealId, Cancel));

    private Task<uint> VersionOfAsync(Guid commitmentId) =>
        database.QueryAsync(db => db.Commitments.Where(c => c.Id == commitmentId).Select(c => EF.Property<uint>(c, AppDbContext.Version)).SingleAsync(Cancel));
}

/// <summary>The service as the app builds it, on a test database and clock.</summary>
internal static class PromisesServiceFactory
{
    public static PromisesService Create(TestDatabase database, TimeProvider clock) =>
        new(database, clock, new AddPromiseValidator(clock), new RenegotiateValidator(clock), new WaiveValidator(), new RejectAggressiveValidator());
}

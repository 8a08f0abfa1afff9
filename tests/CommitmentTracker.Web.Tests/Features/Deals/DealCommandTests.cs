using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Deals;

/// <summary>Logging a deal at close, editing it and moving it through its stages, on PostgreSQL.</summary>
public sealed class DealCommandTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly DealsService _deals = Service(database);

    private static DealsService Service(TestDatabase database)
    {
        var clock = new FakeTimeProvider(Now);
        return new DealsService(database, clock, new NewDealValidator(clock), new DealDetailsValidator(clock), new StageMoveValidator(clock));
    }

    private static NewDealInput NewDeal(string title, Guid? accountId = null, string? newAccount = null) => new()
    {
        AccountId = accountId,
        NewAccountName = newAccount,
        Title = title,
        Value = 25_000m,
        Currency = "EUR",
        ExpectedOutcome = "Pick rate up by a third",
        CloseDate = Today.ToDateTime(TimeOnly.MinValue),
    };

    [Fact]
    public async Task A_rep_logs_a_deal_with_a_new_account_and_it_starts_verbal_with_checklist_and_touchpoints()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var input = NewDeal("Scanners", newAccount: $"Northwind {Guid.NewGuid():N}");
        input.NewContacts.Add(new NewContactInput { Name = "Hannah Berg", Role = ContactRole.Buyer, Email = "hannah@northwind.example" });

        var id = await _deals.CreateAsync(rep, input, Cancel);

        var deal = await database.QueryAsync(db => db.LoadDealAsync(id));
        var account = await database.QueryAsync(db => db.Accounts.Include(a => a.Contacts).SingleAsync(a => a.Id == deal.AccountId, Cancel));
        Assert.Equal(DealStage.Verbal, deal.Stage);
        Assert.Equal(rep.UserId, deal.OwnerId);
        Assert.Equal(10, deal.Checklist.Count);
        Assert.Equal(3, deal.Touchpoints.Count);
        Assert.Equal("Hannah Berg", Assert.Single(account.Contacts).Name);
    }

    [Fact]
    public async Task A_deal_with_bad_input_is_refused_and_nothing_is_saved()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var account = await database.CreateAccountAsync();
        var before = await database.QueryAsync(db => db.Deals.CountAsync(Cancel));
        var input = NewDeal("", account.Id);
        input.ExpectedOutcome = "";
        input.CloseDate = Today.AddDays(3).ToDateTime(TimeOnly.MinValue);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => _deals.CreateAsync(rep, input, Cancel));

        Assert.Contains(ex.Errors, e => e.PropertyName == nameof(NewDealInput.Title));
        Assert.Contains(ex.Errors, e => e.ErrorMessage.Contains("outcome", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.ErrorMessage.Contains("cannot be in the future", StringComparison.Ordinal));
        Assert.Equal(before, await database.QueryAsync(db => db.Deals.CountAsync(Cancel)));
    }

    [Fact]
    public async Task A_new_account_with_the_name_of_an_existing_one_is_refused()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var existing = await database.CreateAccountAsync($"Contoso {Guid.NewGuid():N}");

        var ex = await Assert.ThrowsAsync<DomainException>(() => _deals.CreateAsync(rep, NewDeal("Dup", newAccount: existing.Name.ToUpperInvariant()), Cancel));

        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AppRoles.Service)]
    [InlineData(AppRoles.Admin)]
    public async Task Service_staff_and_admins_cannot_log_deals(string role)
    {
        var user = await database.CreateAsync(role);
        var account = await database.CreateAccountAsync();

        await Assert.ThrowsAsync<AccessDeniedException>(() => _deals.CreateAsync(user, NewDeal("Nope", account.Id), Cancel));
    }

    [Fact]
    public async Task A_manager_logs_a_deal_for_a_rep_of_their_team_but_not_for_another_teams_rep()
    {
        var north = await database.CreateTeamAsync();
        var south = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, north);
        var ownRep = await database.CreateAsync(AppRoles.Rep, north);
        var otherRep = await database.CreateAsync(AppRoles.Rep, south);
        var account = await database.CreateAccountAsync();

        var forOwn = NewDeal("For my rep", account.Id);
        forOwn.OwnerId = ownRep.UserId;
        var id = await _deals.CreateAsync(manager, forOwn, Cancel);
        var forOther = NewDeal("For another team", account.Id);
        forOther.OwnerId = otherRep.UserId;

        Assert.Equal(ownRep.UserId, await database.QueryAsync(db => db.Deals.Where(d => d.Id == id).Select(d => d.OwnerId).SingleAsync(Cancel)));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _deals.CreateAsync(manager, forOther, Cancel));
    }

    [Fact]
    public async Task Advancing_to_ordered_is_refused_with_the_missing_checklist_items_and_changes_nothing()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);
        var version = await VersionAsync(deal.Id);

        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            _deals.MoveAsync(rep, deal.Id, version, new StageMoveInput { Target = DealStage.Ordered, PurchaseOrderReference = "PO-1" }, Cancel));

        Assert.Contains("Checklist item \"Outcome\" is required", ex.Message, StringComparison.Ordinal);
        Assert.Equal(DealStage.Verbal, await database.QueryAsync(db => db.Deals.Where(d => d.Id == deal.Id).Select(d => d.Stage).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task A_deal_moves_verbal_ordered_delivered_paid_with_each_gate_met()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep, arrange: d =>
        {
            foreach (var item in d.Checklist)
                d.AnswerChecklistItem(item.Id, "Agreed", d.OwnerId, Now);
            ApproveTechnicalReview(d, d.OwnerId);
            var promise = AddPromise(d, promisedInDays: 30);
            promise.Complete(Today, Today);
        });

        await _deals.MoveAsync(rep, deal.Id, await VersionAsync(deal.Id), new StageMoveInput { Target = DealStage.Ordered, PurchaseOrderReference = "PO-77" }, Cancel);
        await _deals.MoveAsync(rep, deal.Id, await VersionAsync(deal.Id), new StageMoveInput { Target = DealStage.Delivered }, Cancel);
        await _deals.MoveAsync(rep, deal.Id, await VersionAsync(deal.Id), new StageMoveInput
        {
            Target = DealStage.Paid, PaymentDate = Today.ToDateTime(TimeOnly.MinValue), PaymentReference = "PAY-1",
        }, Cancel);

        var saved = await database.QueryAsync(db => db.LoadDealAsync(deal.Id));
        Assert.Equal(DealStage.Paid, saved.Stage);
        Assert.Equal("PO-77", saved.PurchaseOrderReference);
        Assert.Equal([DealStage.Verbal, DealStage.Ordered, DealStage.Delivered, DealStage.Paid], saved.StageHistory.OrderBy(h => h.At).ThenBy(h => h.To).Select(h => h.To));
    }

    [Fact]
    public async Task Marking_lost_with_reason_other_needs_a_note()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => _deals.MoveAsync(rep, deal.Id, 0,
            new StageMoveInput { Target = DealStage.Lost, LostReason = LostReason.Other }, Cancel));

        Assert.Contains(ex.Errors, e => e.PropertyName == nameof(StageMoveInput.LostNote));
    }

    [Fact]
    public async Task Editing_a_deal_with_a_stale_version_is_refused_and_names_who_changed_what()
    {
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team, name: "Rita Reyes");
        var manager = await database.CreateAsync(AppRoles.Manager, team, name: "Marco Mancini");
        var deal = await database.CreateDealAsync(rep, title: "Original");
        var seen = await VersionAsync(deal.Id);
        await _deals.UpdateDetailsAsync(manager, deal.Id, seen, Details("Renamed by the manager"), Cancel);

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _deals.UpdateDetailsAsync(rep, deal.Id, seen, Details("Renamed by the rep"), Cancel));

        Assert.Contains("Marco Mancini", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Renamed by the manager", ex.Message, StringComparison.Ordinal);
        Assert.Equal("Renamed by the manager", await database.QueryAsync(db => db.Deals.Where(d => d.Id == deal.Id).Select(d => d.Title).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task A_change_is_recorded_in_the_audit_trail_with_who_and_old_and_new_values()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep, title: "Before");

        await _deals.UpdateDetailsAsync(rep, deal.Id, await VersionAsync(deal.Id), Details("After"), Cancel);

        var audit = await database.QueryAsync(db => db.AuditEntries.Where(a => a.DealId == deal.Id && a.Field == "Title").SingleAsync(Cancel));
        Assert.Equal(("Before", "After", rep.UserId), (audit.OldValue, audit.NewValue, audit.ChangedBy));
    }

    [Fact]
    public async Task A_rep_cannot_change_another_reps_deal_and_another_teams_deal_looks_missing()
    {
        var north = await database.CreateTeamAsync();
        var south = await database.CreateTeamAsync();
        var owner = await database.CreateAsync(AppRoles.Rep, north);
        var colleague = await database.CreateAsync(AppRoles.Rep, north);
        var otherManager = await database.CreateAsync(AppRoles.Manager, south);
        var deal = await database.CreateDealAsync(owner);
        var version = await VersionAsync(deal.Id);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => _deals.UpdateDetailsAsync(colleague, deal.Id, version, Details("Hijack"), Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _deals.UpdateDetailsAsync(otherManager, deal.Id, version, Details("Hijack"), Cancel));
    }

    [Fact]
    public async Task Service_staff_can_read_a_deal_but_not_change_it()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Service);
        var deal = await database.CreateDealAsync(rep);

        var version = await VersionAsync(deal.Id);

        Assert.NotNull(await _deals.GetAsync(service, deal.Id, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _deals.UpdateDetailsAsync(service, deal.Id, version, Details("Nope"), Cancel));
    }

    private static DealDetailsInput Details(string title) => new()
    {
        Title = title,
        Value = 12_000m,
        Currency = "EUR",
        ExpectedOutcome = "Pick rate up by a third",
        CloseDate = Today.ToDateTime(TimeOnly.MinValue),
    };

    private Task<uint> VersionAsync(Guid dealId) =>
        database.QueryAsync(db => db.Deals.Where(d => d.Id == dealId).Select(d => EF.Property<uint>(d, AppDbContext.Version)).SingleAsync(Cancel));
}

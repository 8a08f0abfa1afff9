using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Accounts;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Accounts;

/// <summary>
/// Accounts are shared customers; what was sold and promised to them follows the deal access rules, and their contacts
/// are kept by the reps and managers who have a deal with them (decision 20).
/// </summary>
public sealed class AccountsServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A month after the test deals were logged: their promise due in 10 days is now overdue, so broken.</summary>
    private static readonly DateTimeOffset Later = Now.AddDays(30);

    private static readonly string[] NoraOnly = ["Nora North"];

    private readonly AccountsService _accounts = CreateService(database);

    [Fact]
    public async Task A_rep_sees_the_shared_account_with_only_their_own_deals_promises_and_figures()
    {
        var company = await ArrangeCompanyAsync();

        var view = await _accounts.GetAsync(company.RepN, company.Shared.Id, Cancel);
        var promises = await _accounts.PromisesAsync(company.RepN, company.Shared.Id, null, new PageRequest(), Cancel);

        Assert.NotNull(view);
        Assert.Equal(new[] { company.DealN.Id }, view.Deals.Select(d => d.Id));
        Assert.Equal(1, view.DealCount);
        Assert.Equal(2, view.PromiseCount);
        Assert.Equal(1, view.BrokenLatelyCount);
        Assert.True(view.CountsTowardAlarm);
        Assert.Equal(new DeliveryRecordOf(0, 0, 1), new DeliveryRecordOf(view.Record.Kept, view.Record.KeptLate, view.Record.Broken));
        Assert.False(view.SeesEveryDeal);
        Assert.Equal(2, promises.TotalCount);
        Assert.All(promises.Items, p => Assert.Equal(company.DealN.Id, p.DealId));
    }

    [Fact]
    public async Task Another_teams_rep_and_manager_asking_for_an_account_by_id_see_its_people_but_none_of_its_deals_or_promises()
    {
        var company = await ArrangeCompanyAsync();

        foreach (var south in new[] { company.RepS, company.ManagerS })
        {
            var view = await _accounts.GetAsync(south, company.NorthOnly.Id, Cancel);
            var promises = await _accounts.PromisesAsync(south, company.NorthOnly.Id, null, new PageRequest(), Cancel);

            Assert.NotNull(view);
            Assert.Equal(company.NorthOnly.Name, view.Name);
            Assert.Equal(NoraOnly, view.Contacts.Select(c => c.Name));
            Assert.Empty(view.Deals);
            Assert.Equal((0, 0, 0), (view.DealCount, view.PromiseCount, view.BrokenLatelyCount));
            Assert.Equal(0, promises.TotalCount);
            Assert.False(view.CanEditContacts);
        }
    }

    [Fact]
    public async Task A_manager_sees_their_teams_deals_on_an_account_and_admins_and_service_staff_see_every_deal()
    {
        var company = await ArrangeCompanyAsync();

        var north = await _accounts.GetAsync(company.ManagerN, company.Shared.Id, Cancel);
        var south = await _accounts.GetAsync(company.ManagerS, company.Shared.Id, Cancel);
        var admin = await _accounts.GetAsync(company.Admin, company.Shared.Id, Cancel);
        var service = await _accounts.GetAsync(company.Service, company.Shared.Id, Cancel);

        Assert.Equal(new[] { company.DealN.Id }, north!.Deals.Select(d => d.Id));
        Assert.Equal(new[] { company.DealS.Id }, south!.Deals.Select(d => d.Id));
        foreach (var everything in new[] { admin!, service! })
        {
            Assert.Equal(new[] { company.DealN.Id, company.DealS.Id }.Order(), everything.Deals.Select(d => d.Id).Order());
            Assert.Equal(3, everything.PromiseCount);
            Assert.True(everything.SeesEveryDeal);
        }
    }

    [Fact]
    public async Task An_unknown_account_is_not_found()
    {
        var company = await ArrangeCompanyAsync();

        Assert.Null(await _accounts.GetAsync(company.RepN, Guid.NewGuid(), Cancel));
        await Assert.ThrowsAsync<RecordNotFoundException>(() => _accounts.PromisesAsync(company.RepN, Guid.NewGuid(), null, new PageRequest(), Cancel));
    }

    [Fact]
    public async Task Promises_are_counted_by_status_in_the_database_and_listed_a_page_at_a_time_by_status()
    {
        var company = await ArrangeCompanyAsync();

        var view = await _accounts.GetAsync(company.Admin, company.Shared.Id, Cancel);
        var open = await _accounts.PromisesAsync(company.Admin, company.Shared.Id, CommitmentStatus.Open, new PageRequest(0, 2), Cancel);
        var secondPage = await _accounts.PromisesAsync(company.Admin, company.Shared.Id, null, new PageRequest(1, 2), Cancel);

        Assert.Equal(3, view!.PromisesByStatus.Single(s => s.Status == CommitmentStatus.Open).Ours);
        Assert.Equal(3, open.TotalCount);
        Assert.Equal(2, open.Items.Count);
        Assert.Single(secondPage.Items);
    }

    [Fact]
    public async Task The_list_finds_an_account_by_any_part_of_its_name_whatever_the_case()
    {
        var company = await ArrangeCompanyAsync();
        var part = company.Token[3..9].ToUpperInvariant();

        var page = await _accounts.ListAsync(company.Admin, new AccountListQuery(Search: part), new PageRequest(), Cancel);

        Assert.Equal(new[] { company.NorthOnly.Id, company.Shared.Id }.Order(), page.Items.Select(r => r.Id).Order());
        Assert.Equal(2, page.TotalCount);
    }

    [Fact]
    public async Task Two_letters_find_names_with_a_word_starting_with_them()
    {
        var company = await ArrangeCompanyAsync();
        var word = Account.Create($"Xq{company.Token} Holding", null, Now);
        var inside = Account.Create($"Holding {company.Token}Xq", null, Now);
        await database.InsertAsync(word, inside);

        var page = await _accounts.ListAsync(company.Admin, new AccountListQuery(Search: "xq"), new PageRequest(PageSize: 200), Cancel);

        Assert.Contains(page.Items, r => r.Id == word.Id);
        Assert.DoesNotContain(page.Items, r => r.Id == inside.Id);
    }

    [Fact]
    public async Task A_rep_starts_with_their_own_customers_and_each_row_counts_only_what_they_may_see()
    {
        var company = await ArrangeCompanyAsync();

        var mine = await _accounts.ListAsync(company.RepS, new AccountListQuery(Search: company.Token, OnlyMine: true), new PageRequest(), Cancel);
        var all = await _accounts.ListAsync(company.RepS, new AccountListQuery(Search: company.Token), new PageRequest(), Cancel);

        var row = Assert.Single(mine.Items);
        Assert.Equal((company.Shared.Id, 1, 1, 0), (row.Id, row.Deals, row.OpenPromises, row.BrokenLately));
        Assert.Equal(2, all.TotalCount);
        Assert.Equal((0, 0), all.Items.Where(r => r.Id == company.NorthOnly.Id).Select(r => (r.Deals, r.OpenPromises)).Single());
    }

    [Fact]
    public async Task The_list_filters_by_industry_broken_promises_lately_and_open_promises_at_risk()
    {
        var company = await ArrangeCompanyAsync();
        await database.QueryAsync(db => db.Commitments.Where(c => c.DealId == company.DealN2.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RiskLevel, RiskLevel.AtRisk), Cancel));

        async Task<Guid[]> Ids(Actor actor, AccountListQuery query) =>
            [.. (await _accounts.ListAsync(actor, query with { Search = company.Token }, new PageRequest(), Cancel)).Items.Select(r => r.Id).Order()];

        Assert.Equal(new[] { company.Shared.Id }, await Ids(company.Admin, new AccountListQuery(BrokenLately: true)));
        Assert.Equal(new[] { company.NorthOnly.Id }, await Ids(company.Admin, new AccountListQuery(OpenAtRisk: true)));
        Assert.Equal(new[] { company.NorthOnly.Id }, await Ids(company.Admin, new AccountListQuery(Industry: "Shipping")));
        // Team South's rep has no broken promise of their own on the shared account: another team's does not count for them.
        Assert.Empty(await Ids(company.RepS, new AccountListQuery(BrokenLately: true)));
        Assert.Empty(await Ids(company.RepS, new AccountListQuery(OpenAtRisk: true)));
    }

    [Fact]
    public async Task A_rep_with_a_deal_adds_and_edits_the_accounts_contacts()
    {
        var company = await ArrangeCompanyAsync();

        var id = await _accounts.AddContactAsync(company.RepN, company.Shared.Id,
            new ContactInput { Name = "Eva Buyer", Role = ContactRole.Buyer, Email = "eva@shared.example" }, Cancel);
        var added = (await _accounts.GetAsync(company.RepN, company.Shared.Id, Cancel))!.Contacts.Single(c => c.Id == id);
        await _accounts.UpdateContactAsync(company.RepN, company.Shared.Id, id, added.Version,
            new ContactInput { Name = "Eva Lind", Role = ContactRole.Approver, Email = "eva@shared.example", Phone = "+46 8 555 01", MayContactTheirManager = true }, Cancel);

        var saved = await database.QueryAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == id, Cancel));
        Assert.Equal(("Eva Lind", ContactRole.Approver, "+46 8 555 01", true), (saved.Name, saved.Role, saved.Phone!, saved.MayContactTheirManager));
        Assert.True((await _accounts.GetAsync(company.RepN, company.Shared.Id, Cancel))!.CanEditContacts);
    }

    [Fact]
    public async Task Contacts_are_kept_by_the_reps_and_managers_with_a_deal_on_the_account_and_by_nobody_else()
    {
        var company = await ArrangeCompanyAsync();
        var contact = new ContactInput { Name = "Bo Boss", Role = ContactRole.BuyersBoss };

        // Team South has a deal on the shared account, none on North's own customer.
        await _accounts.AddContactAsync(company.ManagerS, company.Shared.Id, contact, Cancel);
        foreach (var refused in new[] { company.RepS, company.ManagerS, company.Admin, company.Service })
            await Assert.ThrowsAsync<AccessDeniedException>(() => _accounts.AddContactAsync(refused, company.NorthOnly.Id, contact, Cancel));
        var nora = company.NorthOnly.Contacts[0];
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            _accounts.UpdateContactAsync(company.RepS, company.NorthOnly.Id, nora.Id, 0, new ContactInput { Name = "Taken over" }, Cancel));

        Assert.Equal(NoraOnly, await database.QueryAsync(db => db.Contacts.Where(c => c.AccountId == company.NorthOnly.Id).Select(c => c.Name).ToListAsync(Cancel)));
        Assert.False((await _accounts.GetAsync(company.Admin, company.NorthOnly.Id, Cancel))!.CanEditContacts);
        Assert.True((await _accounts.GetAsync(company.ManagerN, company.NorthOnly.Id, Cancel))!.CanEditContacts);
    }

    [Theory]
    [InlineData("", "eva@x.example", "Enter the contact's name.")]
    [InlineData("Eva", "eva.example", "That email address is not valid: it looks like name@company.com.")]
    [InlineData("Eva", "eva@x.example", "A phone number has digits, spaces and + ( ) - . / only.", "call me maybe")]
    public async Task A_contact_that_fails_validation_is_refused_with_its_message_and_nothing_is_saved(string name, string email, string message, string? phone = null)
    {
        var company = await ArrangeCompanyAsync();

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            _accounts.AddContactAsync(company.RepN, company.NorthOnly.Id, new ContactInput { Name = name, Email = email, Phone = phone }, Cancel));

        Assert.Contains(message, ex.Errors.Select(e => e.ErrorMessage));
        Assert.Equal(1, await database.QueryAsync(db => db.Contacts.CountAsync(c => c.AccountId == company.NorthOnly.Id, Cancel)));
    }

    [Fact]
    public async Task A_second_contact_of_the_same_name_is_refused()
    {
        var company = await ArrangeCompanyAsync();

        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            _accounts.AddContactAsync(company.RepN, company.NorthOnly.Id, new ContactInput { Name = "nora north" }, Cancel));

        Assert.Equal($"{company.NorthOnly.Name} already has a contact named nora north.", ex.Message);
    }

    [Fact]
    public async Task Two_people_editing_one_contact_never_overwrite_each_other_silently()
    {
        var company = await ArrangeCompanyAsync();
        var seen = (await _accounts.GetAsync(company.RepN, company.NorthOnly.Id, Cancel))!.Contacts.Single();

        await _accounts.UpdateContactAsync(company.RepN, company.NorthOnly.Id, seen.Id, seen.Version,
            ContactInput.From(seen with { Phone = "111" }), Cancel);
        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _accounts.UpdateContactAsync(company.ManagerN, company.NorthOnly.Id, seen.Id, seen.Version,
            ContactInput.From(seen with { MayContactTheirManager = true }), Cancel));

        Assert.Contains("was changed by someone else", ex.Message, StringComparison.Ordinal);
        var saved = await database.QueryAsync(db => db.Contacts.AsNoTracking().SingleAsync(c => c.Id == seen.Id, Cancel));
        Assert.Equal(("111", false), (saved.Phone!, saved.MayContactTheirManager));
    }

    private sealed record DeliveryRecordOf(int Kept, int KeptLate, int Broken);

    private static AccountsService CreateService(TestDatabase database)
    {
        var services = new ServiceCollection()
            .AddSingleton<IDbContextFactory<AppDbContext>>(database)
            .AddSingleton<TimeProvider>(new FakeTimeProvider(Later))
            .AddValidatorsFromAssemblyContaining<AccountsService>(ServiceLifetime.Singleton)
            .BuildServiceProvider();
        return ActivatorUtilities.CreateInstance<AccountsService>(services);
    }

    private sealed record Company(
        string Token, Team North, Team South, Actor RepN, Actor ManagerN, Actor RepS, Actor ManagerS, Actor Admin, Actor Service,
        Account Shared, Account NorthOnly, Deal DealN, Deal DealN2, Deal DealS);

    /// <summary>
    /// Two teams; a shared customer with a deal of each team (North's: a promise broken by now and one due later; South's:
    /// one due later) and a customer only North sells to (one contact, one promise due later), in the Shipping industry.
    /// </summary>
    private async Task<Company> ArrangeCompanyAsync()
    {
        var token = $"acct{Guid.NewGuid():N}"[..16];
        var north = await database.CreateTeamAsync();
        var south = await database.CreateTeamAsync();
        var repN = await database.CreateAsync(AppRoles.Rep, north);
        var managerN = await database.CreateAsync(AppRoles.Manager, north);
        var repS = await database.CreateAsync(AppRoles.Rep, south);
        var managerS = await database.CreateAsync(AppRoles.Manager, south);
        var admin = await database.CreateAsync(AppRoles.Admin);
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Service);

        var shared = Account.Create($"Shared {token} Group", "Retail", Now);
        var northOnly = Account.Create($"North {token} Shipping", "Shipping", Now);
        northOnly.AddContact("Nora North", ContactRole.Buyer, "nora@north.example", null, false);
        await database.InsertAsync(shared, northOnly);

        var dealN = await database.CreateDealAsync(repN, $"North deal {token}", shared, arrange: d =>
        {
            AddPromise(d, promisedInDays: 10, description: $"Ship the first cell {token}");
            AddPromise(d, promisedInDays: 70, description: $"Train the operators {token}");
        });
        var dealN2 = await database.CreateDealAsync(repN, $"North only deal {token}", northOnly, arrange: d => AddPromise(d, promisedInDays: 70));
        var dealS = await database.CreateDealAsync(repS, $"South deal {token}", shared, arrange: d => AddPromise(d, promisedInDays: 70, description: $"Install the kiosks {token}"));
        return new Company(token, north, south, repN, managerN, repS, managerS, admin, service, shared, northOnly, dealN, dealN2, dealS);
    }
}

using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Search;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Search;

/// <summary>The top-bar search: accounts for everyone, deals and promises only where the user may see them.</summary>
public sealed class SearchServiceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly SearchService _search = new(database);

    [Fact]
    public async Task A_rep_finds_their_own_deals_and_promises_and_every_account_but_never_another_teams_deal_or_promise()
    {
        var world = await ArrangeAsync();

        var results = await _search.SearchAsync(world.RepN, world.Token, SearchService.PerGroupOnPage, Cancel);

        Assert.Equal(new[] { world.Account.Id }, results.Accounts.Select(h => h.Id));
        Assert.Equal(new[] { world.DealN.Id }, results.Deals.Select(h => h.Id));
        Assert.Equal(new[] { world.DealN.Commitments[0].Id }, results.Promises.Select(h => h.Id));
        Assert.DoesNotContain(results.All, h => h.Id == world.DealS.Id || h.Href.Contains(world.DealS.Id.ToString(), StringComparison.Ordinal));
        Assert.Equal($"accounts/{world.Account.Id}", results.Accounts[0].Href);
        Assert.Equal($"deals/{world.DealN.Id}", results.Promises[0].Href);
    }

    [Fact]
    public async Task Another_teams_manager_finds_their_own_teams_deal_and_admins_and_service_staff_find_both()
    {
        var world = await ArrangeAsync();

        var south = await _search.SearchAsync(world.ManagerS, world.Token, SearchService.PerGroupOnPage, Cancel);
        Assert.Equal(new[] { world.DealS.Id }, south.Deals.Select(h => h.Id));
        Assert.Equal(new[] { world.DealS.Commitments[0].Id }, south.Promises.Select(h => h.Id));
        foreach (var reader in new[] { world.Admin, world.Service })
        {
            var all = await _search.SearchAsync(reader, world.Token, SearchService.PerGroupOnPage, Cancel);
            Assert.Equal(new[] { world.DealN.Id, world.DealS.Id }.Order(), all.Deals.Select(h => h.Id).Order());
            Assert.Equal(2, all.Promises.Count);
        }
    }

    [Fact]
    public async Task Any_part_of_a_word_is_found_whatever_the_case_and_the_groups_are_limited()
    {
        var world = await ArrangeAsync();

        var results = await _search.SearchAsync(world.Admin, world.Token[5..12].ToUpperInvariant(), perGroup: 1, Cancel);

        Assert.Single(results.Deals);
        Assert.True(results.MoreDeals);
        Assert.Single(results.Accounts);
        Assert.False(results.MoreAccounts);
    }

    [Fact]
    public async Task One_letter_is_too_short_and_two_letters_match_the_start_of_a_word()
    {
        var world = await ArrangeAsync();
        var twoLetters = Account.Create($"Vz{world.Token} Works", null, Now);
        var inside = Account.Create($"Works {world.Token}vz", null, Now);
        await database.InsertAsync(twoLetters, inside);

        var one = await _search.SearchAsync(world.RepN, "v", cancellationToken: Cancel);
        var two = await _search.SearchAsync(world.RepN, "VZ", 100, Cancel);

        Assert.True(one.TooShort);
        Assert.True(one.IsEmpty);
        Assert.Contains(two.Accounts, h => h.Id == twoLetters.Id);
        Assert.DoesNotContain(two.Accounts, h => h.Id == inside.Id);
    }

    [Fact]
    public async Task Wildcards_typed_are_matched_literally()
    {
        var world = await ArrangeAsync();

        var results = await _search.SearchAsync(world.Admin, $"{world.Token[..6]}%_", SearchService.PerGroupOnPage, Cancel);

        Assert.True(results.IsEmpty);
    }

    private sealed record World(string Token, Actor RepN, Actor ManagerS, Actor Admin, Actor Service, Account Account, Deal DealN, Deal DealS);

    /// <summary>One customer; a deal of team North's rep and one of team South's, each with a promise, all named with a token.</summary>
    private async Task<World> ArrangeAsync()
    {
        var token = $"srch{Guid.NewGuid():N}"[..16];
        var north = await database.CreateTeamAsync();
        var south = await database.CreateTeamAsync();
        var repN = await database.CreateAsync(AppRoles.Rep, north);
        var repS = await database.CreateAsync(AppRoles.Rep, south);
        var managerS = await database.CreateAsync(AppRoles.Manager, south);
        var admin = await database.CreateAsync(AppRoles.Admin);
        var service = await database.CreateAsync(AppRoles.Service, department: Domain.Department.Service);
        var account = await database.CreateAccountAsync($"Customer {token} Ltd");
        var dealN = await database.CreateDealAsync(repN, $"Robot cell {token}", account, arrange: d => AddPromise(d, description: $"Ship the cell {token}"));
        var dealS = await database.CreateDealAsync(repS, $"Kiosks {token}", account, arrange: d => AddPromise(d, description: $"Install the kiosks {token}"));
        return new World(token, repN, managerS, admin, service, account, dealN, dealS);
    }
}

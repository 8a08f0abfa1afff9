using System.Text;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Accounts;
using CommitmentTracker.Web.Features.Csv;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using static CommitmentTracker.Web.Tests.Features.Csv.CsvImportTests;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Csv;

/// <summary>An export holds the rows the list shows: the same filters, order and access, and nothing of another team's.</summary>
public sealed class CsvExportTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_reps_and_a_managers_deal_exports_hold_their_own_and_their_teams_deals_and_never_another_teams()
    {
        var token = Token();
        var north = await database.CreateTeamAsync();
        var south = await database.CreateTeamAsync();
        var repN = await database.CreateAsync(AppRoles.Rep, north);
        var repN2 = await database.CreateAsync(AppRoles.Rep, north);
        var managerN = await database.CreateAsync(AppRoles.Manager, north);
        var repS = await database.CreateAsync(AppRoles.Rep, south);
        var account = await database.CreateAccountAsync($"{token} Shared");
        await database.CreateDealAsync(repN, $"{token} North verbal", account);
        await database.CreateDealAsync(repN, $"{token} North lost", account, stage: DealStage.Lost);
        await database.CreateDealAsync(repN2, $"{token} North colleague", account);
        await database.CreateDealAsync(repS, $"{token} South verbal", account);

        var byRep = await TitlesAsync(repN, new DealListQuery(Search: token));
        var byRepVerbal = await TitlesAsync(repN, new DealListQuery(DealStage.Verbal, token));
        var byManager = await TitlesAsync(managerN, new DealListQuery(Search: token));

        Assert.Equal([$"{token} North lost", $"{token} North verbal"], byRep);
        Assert.Equal([$"{token} North verbal"], byRepVerbal);
        Assert.Equal([$"{token} North colleague", $"{token} North lost", $"{token} North verbal"], byManager);
    }

    [Fact]
    public async Task An_accounts_promises_export_leaves_out_another_teams_promises_and_follows_the_status_filter()
    {
        var token = Token();
        var repN = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var repS = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var account = await database.CreateAccountAsync($"{token} Shared");
        await database.CreateDealAsync(repN, "North", account, arrange: d => AddPromise(d, description: "North's promise"));
        await database.CreateDealAsync(repS, "South", account, arrange: d => AddPromise(d, description: "South's promise"));

        var file = await ExportAsync(CsvExports.Promises(account.Name),
            CsvImportTests.Accounts(database).ExportPromisesAsync(repS, account.Id, Domain.Commitments.CommitmentStatus.Open, null, false, Cancel));
        var none = await ExportAsync(CsvExports.Promises(account.Name),
            CsvImportTests.Accounts(database).ExportPromisesAsync(repS, account.Id, Domain.Commitments.CommitmentStatus.Kept, null, false, Cancel));
        var table = CsvFiles.Read(new MemoryStream(file));

        Assert.Equal(["South's promise"], table.Rows.Select(r => table.Get(r, "Description")));
        Assert.Empty(CsvFiles.Read(new MemoryStream(none)).Rows);
    }

    [Fact]
    public async Task An_accounts_export_follows_the_lists_filter_and_sort_and_starts_with_a_byte_order_mark()
    {
        var token = Token();
        var rep = await database.CreateAsync(AppRoles.Rep);
        foreach (var name in new[] { "Beta", "alpha", "Gamma" })
            await database.CreateAccountAsync($"{token} {name}");

        var file = await ExportAsync(CsvExports.Accounts, CsvImportTests.Accounts(database).ExportAsync(rep, new AccountListQuery(Search: token), "name", true, Cancel));
        var table = CsvFiles.Read(new MemoryStream(file));

        Assert.Equal(Encoding.UTF8.GetPreamble(), file[..3]);
        Assert.Equal([$"{token} Gamma", $"{token} Beta", $"{token} alpha"], table.Rows.Select(r => table.Get(r, "Name")));
        Assert.Equal("Name,Industry,Deals,Open promises,Broken lately,At risk or late,Account id", Encoding.UTF8.GetString(file[3..]).Split("\r\n")[0]);
    }

    [Fact]
    public async Task A_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text_and_read_back_as_it_was()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var account = await database.CreateAccountAsync($"=HYPERLINK(\"http://x\") {Token()}");

        var file = await ExportAsync(CsvExports.Accounts, CsvImportTests.Accounts(database).ExportAsync(rep, new AccountListQuery(Search: account.Name[^12..]), null, false, Cancel));
        var text = Encoding.UTF8.GetString(file);
        var table = CsvFiles.Read(new MemoryStream(file));

        Assert.Contains("'=HYPERLINK", text, StringComparison.Ordinal);
        Assert.Equal(account.Name, table.Get(table.Rows.Single(), "Name"));
    }

    private async Task<string[]> TitlesAsync(Actor actor, DealListQuery query)
    {
        var file = await ExportAsync(CsvExports.Deals, CsvImportTests.Deals(database).ExportAsync(actor, query, "title", false, Cancel));
        var table = CsvFiles.Read(new MemoryStream(file));
        return [.. table.Rows.Select(r => table.Get(r, "Title")!)];
    }
}

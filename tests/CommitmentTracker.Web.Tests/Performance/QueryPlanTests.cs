namespace CommitmentTracker.Web.Tests.Performance;

/// <summary>
/// Every query a page sends on load can be served by an index, so the page stays fast as deals, promises, alerts and
/// history grow (issue 11). Each command the page's server work sends is recorded and explained with its own parameters
/// on a connection that makes the planner use an index wherever one can serve (<see cref="QueryPlan.OpenAsync"/>); a
/// whole read of a growing table left in the plan is one no index serves, and the message names the page, the read and
/// the query to index or rewrite. How many commands a page sends is printed, not asserted; see it for passing pages too
/// with <c>dotnet test --project tests/CommitmentTracker.Web.Tests --output Detailed -- --filter-class "*QueryPlan*"</c>.
/// </summary>
public sealed class QueryPlanTests(DemoCompanyFixture company, ITestOutputHelper output) : IClassFixture<DemoCompanyFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> Pages => new(PageCalls.All.Keys);

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task A_page_reads_no_growing_table_whole(string page)
    {
        var rows = 0;
        var commands = await company.Recorder.RecordAsync(async () => rows = await PageCalls.All[page](company.Pages, Cancel));

        output.WriteLine($"{page}: {commands.Count} commands to the database, {rows} rows shown");
        foreach (var (command, number) in commands.Select((c, i) => (c, i + 1)))
            output.WriteLine($"  {number,2}. {command.Excerpt(200)}");
        output.WriteLine($"Rows per growing table: {string.Join(", ", company.TableRows.Select(t => $"{t.Key} {t.Value}"))}");
        Assert.True(rows > 0, $"{page} shows nothing on the arranged data: arrange rows for it, else some of its queries never run.");

        var scans = new List<string>();
        await using var connection = await QueryPlan.OpenAsync(company.ConnectionString, Cancel);
        var partialIndexes = await QueryPlan.PartialIndexesAsync(connection, Cancel);
        foreach (var query in commands.Where(c => c.IsQuery))
        {
            var plan = await QueryPlan.ExplainAsync(connection, query, Cancel);
            scans.AddRange(QueryPlan.ScansOfGrowingTables(plan, partialIndexes).Distinct()
                .Select(scan => $"{page}: {scan} in: {query.Excerpt()}"));
        }

        Assert.True(scans.Count == 0,
            $"{scans.Count} whole read(s) of growing tables that no index serves:{Environment.NewLine}{string.Join(Environment.NewLine, scans)}");
    }
}

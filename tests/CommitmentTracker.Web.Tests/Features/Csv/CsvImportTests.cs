using System.Text;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Accounts;
using CommitmentTracker.Web.Features.Csv;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Csv;

/// <summary>
/// CSV import (decision 38): the forms' validators and the domain check every row; errors name the row and column; a refused
/// import changes nothing; "valid rows only" imports exactly those; large account files go through COPY; files written by
/// this app's export import again into an empty database with the same rows.
/// </summary>
public sealed class CsvImportTests(TestDatabase database, PostgresServer server) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accounts_deals_and_promises_exported_import_into_an_empty_database_as_the_same_rows()
    {
        var token = Token();
        var email = $"rep-{token}@example.test";
        var rep = await database.CreateAsync(AppRoles.Rep, email: email);
        // Quotes, commas, a line break, accents and a leading minus (a spreadsheet formula start) in the fields.
        var nordwind = await database.CreateAccountAsync($"{token} Nordwind \"Süd\", GmbH");
        var plain = await database.CreateAccountAsync($"{token} Plain Co");
        var scanners = await database.CreateDealAsync(rep, $"{token} Scanners, phase 1", nordwind, 125_000.5m, arrange: deal =>
        {
            AddPromise(deal, CommitmentKind.Delivery, 70, "Deliver 400 scanners,\n\"boxed\" per depot");
            deal.AddCommitment(new CommitmentDraft(CommitmentDirection.Theirs, CommitmentKind.Other, "-Send the depot list", deal.OwnerId,
                Department.Customer, Today.AddDays(20), Today.AddDays(25)), LeadTimes.Defaults, deal.OwnerId, Now, Today);
        });
        var training = await database.CreateDealAsync(rep, $"{token} Training", plain, 8_000m,
            arrange: deal => AddPromise(deal, CommitmentKind.Training, 60, "Train 12 drivers"));

        var accountsFile = await ExportAsync(CsvExports.Accounts,
            Accounts(database).ExportAsync(rep, new AccountListQuery(Search: token), null, false, Cancel));
        var dealsFile = await ExportAsync(CsvExports.Deals, Deals(database).ExportAsync(rep, new DealListQuery(Search: token), "title", false, Cancel));
        var promisesFile = await ExportAsync(CsvExports.Promises(nordwind.Name),
            Accounts(database).ExportPromisesAsync(rep, nordwind.Id, null, null, false, Cancel));
        promisesFile = Concat(promisesFile, await ExportAsync(CsvExports.Promises(plain.Name),
            Accounts(database).ExportPromisesAsync(rep, plain.Id, null, null, false, Cancel)));

        var empty = new TestDatabase(server);
        await using var _ = empty;
        await empty.InitializeAsync();
        var sameRep = await empty.CreateAsync(AppRoles.Rep, email: email);
        var import = Importer(empty);
        var accounts = await import.ImportAsync(sameRep, ImportKind.Accounts, new MemoryStream(accountsFile), ImportMode.AllOrNothing, Cancel);
        var deals = await import.ImportAsync(sameRep, ImportKind.Deals, new MemoryStream(dealsFile), ImportMode.AllOrNothing, Cancel);
        var promises = await import.ImportAsync(sameRep, ImportKind.Promises, new MemoryStream(promisesFile), ImportMode.AllOrNothing, Cancel);

        Assert.All(new[] { accounts, deals, promises }, r => Assert.True(r.Committed, string.Join("; ", r.Errors.Select(e => $"{e.Row} {e.Column}: {e.Message}"))));
        Assert.Equal((2, 2, 3), (accounts.ValidRows, deals.ValidRows, promises.ValidRows));
        Assert.Empty(deals.NewAccounts);
        Assert.Equal(await AccountsOf(database, token), await AccountsOf(empty, token));
        Assert.Equal(await DealsOf(database, token), await DealsOf(empty, token));
        Assert.Equal(await PromisesOf(database, token), await PromisesOf(empty, token));
        // Imported deals were logged through the domain: each has its checklist and post-sale touchpoints.
        var counts = await empty.QueryAsync(db => db.Deals.Select(d => new { Items = d.Checklist.Count, Touchpoints = d.Touchpoints.Count }).ToListAsync(Cancel));
        var original = await database.QueryAsync(db => db.Deals.Where(d => d.Id == training.Id || d.Id == scanners.Id)
            .Select(d => new { Items = d.Checklist.Count, Touchpoints = d.Touchpoints.Count }).ToListAsync(Cancel));
        Assert.All(counts, c => Assert.True(c.Items > 0 && c.Touchpoints > 0));
        Assert.Equal(original.Sum(c => c.Items), counts.Sum(c => c.Items));
    }

    [Fact]
    public async Task Invalid_rows_are_reported_by_row_and_column_and_all_or_nothing_imports_nothing()
    {
        var token = Token();
        var rep = await database.CreateAsync(AppRoles.Rep);
        var file = Csv(
            "Account,Title,Value,Currency,Expected outcome,Close date",
            $"{token} Alpha,Good deal,1000,EUR,Faster packing,2026-02-01",
            $"{token} Beta,Bad value,12.5k,EUR,Faster packing,2026-02-01",
            $"{token} Gamma,,1000,EURO,Faster packing,2026-04-01",
            $"{token} Delta,Bad date,1000,EUR,Faster packing,01/02/2026");

        var result = await Importer(database).ImportAsync(rep, ImportKind.Deals, file, ImportMode.AllOrNothing, Cancel);

        Assert.False(result.Committed);
        Assert.Equal(4, result.RowCount);
        Assert.Equal(
            new[]
            {
                (3, "Value"), (4, "Close date"), (4, "Currency"), (4, "Title"), (5, "Close date"),
            },
            result.Errors.Select(e => (e.Row, e.Column!)).ToArray());
        Assert.Contains("12.5k", result.Errors[0].Message, StringComparison.Ordinal);
        Assert.Contains(result.Errors, e => e.Message == "Give the deal a title.");
        Assert.Contains(result.Errors, e => e.Message == "The close date cannot be in the future: log the deal when it closes.");
        Assert.Equal(0, await database.QueryAsync(db => db.Deals.CountAsync(d => d.Title == "Good deal" && d.OwnerId == rep.UserId, Cancel)));
        Assert.Equal(0, await database.QueryAsync(db => db.Accounts.CountAsync(a => a.Name.StartsWith(token), Cancel)));
    }

    [Fact]
    public async Task Valid_rows_only_imports_exactly_the_valid_rows_and_creates_their_missing_accounts()
    {
        var token = Token();
        var rep = await database.CreateAsync(AppRoles.Rep);
        var existing = await database.CreateAccountAsync($"{token} Existing");
        var file = Csv(
            "account;title;value;expected_outcome;close_date",
            $"{existing.Name};First;1000;Faster packing;2026-02-01",
            $"{token} New;Second;2500,75;Fewer returns;2026-02-02",
            $"{token} Skipped;Third;-5;Fewer returns;2026-02-02",
            $"{token} New;Fourth;300;Fewer returns;2026-02-03");

        var preview = await Importer(database).PreviewAsync(rep, ImportKind.Deals, file, ImportMode.ValidRowsOnly, Cancel);
        file.Position = 0;
        var result = await Importer(database).ImportAsync(rep, ImportKind.Deals, file, ImportMode.ValidRowsOnly, Cancel);

        Assert.False(preview.Committed);
        Assert.Equal((3, 1), (preview.ValidRows, preview.InvalidRows));
        Assert.True(result.Committed);
        Assert.Equal([(4, "Value", "The value cannot be negative.")], result.Errors.Select(e => (e.Row, e.Column!, e.Message)));
        Assert.Equal(new[] { $"{token} New" }, result.NewAccounts);
        var stored = await database.QueryAsync(db => (from d in db.Deals
                                                      join a in db.Accounts on d.AccountId equals a.Id
                                                      where d.OwnerId == rep.UserId
                                                      orderby d.Title
                                                      select new { a.Name, d.Title, d.Value.Amount, d.Value.Currency, d.Stage }).ToListAsync(Cancel));
        Assert.Equal(["First", "Fourth", "Second"], stored.Select(d => d.Title));
        Assert.Equal(2500.75m, stored.Single(d => d.Title == "Second").Amount);
        Assert.All(stored, d => Assert.Equal(("EUR", DealStage.Verbal), (d.Currency, d.Stage)));
        Assert.Equal(0, await database.QueryAsync(db => db.Accounts.CountAsync(a => a.Name == $"{token} Skipped", Cancel)));
    }

    [Fact]
    public async Task Ten_thousand_accounts_go_through_copy_with_their_audit_entries_in_one_transaction()
    {
        var token = Token();
        var admin = await database.CreateAsync(AppRoles.Admin);
        var lines = new List<string> { "Name,Industry" };
        lines.AddRange(Enumerable.Range(1, 10_000).Select(i => $"\"{token} Customer {i:00000}, Ltd\",Retail"));

        var result = await Importer(database).ImportAsync(admin, ImportKind.Accounts, Csv([.. lines]), ImportMode.AllOrNothing, Cancel);

        Assert.True(result.Committed);
        Assert.Equal(ImportPath.Copy, result.Path);
        Assert.Equal(10_000, result.ValidRows);
        Assert.Equal(10_000, await database.QueryAsync(db => db.Accounts.CountAsync(a => a.Name.StartsWith(token) && a.Industry == "Retail", Cancel)));
        Assert.Equal(10_000, await database.QueryAsync(db => (from e in db.AuditEntries
                                                               join a in db.Accounts on e.EntityId equals a.Id
                                                               where a.Name.StartsWith(token) && e.Action == "Added" && e.ChangedBy == admin.UserId
                                                               select e).CountAsync(Cancel)));
        Assert.Equal($"{token} Customer 00042, Ltd", await database.QueryAsync(db => db.Accounts.Where(a => a.Name.EndsWith("00042, Ltd") && a.Name.StartsWith(token)).Select(a => a.Name).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task A_large_account_file_with_one_duplicate_name_is_refused_whole_before_copy()
    {
        var token = Token();
        var manager = await database.CreateAsync(AppRoles.Manager, await database.CreateTeamAsync());
        await database.CreateAccountAsync($"{token} Customer 00500");
        var lines = new List<string> { "Name" };
        lines.AddRange(Enumerable.Range(1, 1_500).Select(i => $"{token} Customer {i:00000}"));
        lines.Add($"{token} CUSTOMER 00007");

        var result = await Importer(database).ImportAsync(manager, ImportKind.Accounts, Csv([.. lines]), ImportMode.AllOrNothing, Cancel);

        Assert.False(result.Committed);
        Assert.Equal(new[] { (501, $"An account named {token} Customer 00500 already exists."), (1502, $"Row 8 already has an account named {token} CUSTOMER 00007.") },
            result.Errors.Select(e => (e.Row, e.Message)));
        Assert.Equal(1, await database.QueryAsync(db => db.Accounts.CountAsync(a => a.Name.StartsWith(token), Cancel)));
    }

    [Fact]
    public async Task A_small_account_file_goes_through_the_domain_and_its_audit_trail()
    {
        var token = Token();
        var rep = await database.CreateAsync(AppRoles.Rep);

        var result = await Importer(database).ImportAsync(rep, ImportKind.Accounts, Csv("Name,Industry", $"{token} One,Retail", $"{token} Two,"), ImportMode.AllOrNothing, Cancel);

        Assert.True(result.Committed);
        Assert.Equal((ImportPath.Domain, 2), (result.Path, result.ValidRows));
        Assert.Equal(2, await database.QueryAsync(db => (from e in db.AuditEntries
                                                          join a in db.Accounts on e.EntityId equals a.Id
                                                          where a.Name.StartsWith(token) && e.Action == "Added"
                                                          select e).CountAsync(Cancel)));
    }

    [Fact]
    public async Task A_semicolon_file_from_excel_with_a_byte_order_mark_quotes_and_line_breaks_is_read_field_by_field()
    {
        var token = Token();
        var rep = await database.CreateAsync(AppRoles.Rep);
        var text = "Account;Title;Value;Currency;Expected outcome;Close date\r\n"
            + $"\"{token} Müller; Söhne\";\"The \"\"big\"\" one\";1234,50;chf;\"Line one\nline two; with a semicolon\";2026-01-15\r\n";
        var file = new MemoryStream([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);

        var result = await Importer(database).ImportAsync(rep, ImportKind.Deals, file, ImportMode.AllOrNothing, Cancel);

        Assert.True(result.Committed, string.Join("; ", result.Errors.Select(e => e.Message)));
        Assert.Equal(";", result.Delimiter);
        Assert.Equal("Account", result.Headers[0]);
        var deal = await database.QueryAsync(db => (from d in db.Deals
                                                    join a in db.Accounts on d.AccountId equals a.Id
                                                    where d.OwnerId == rep.UserId
                                                    select new { a.Name, d.Title, d.Value.Amount, d.Value.Currency, d.ExpectedOutcome }).SingleAsync(Cancel));
        Assert.Equal(($"{token} Müller; Söhne", "The \"big\" one", 1234.50m, "CHF", "Line one\nline two; with a semicolon"),
            (deal.Name, deal.Title, deal.Amount, deal.Currency, deal.ExpectedOutcome));
    }

    [Fact]
    public async Task A_file_without_a_required_column_is_refused_naming_it()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);

        var result = await Importer(database).PreviewAsync(rep, ImportKind.Deals, Csv("Account,Name,Value", "A,B,1"), ImportMode.AllOrNothing, Cancel);

        Assert.StartsWith("The file has no column Title, Expected outcome, Close date.", result.FileError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promises_go_only_on_deals_the_user_may_change_and_a_rep_cannot_give_a_deal_to_someone_else()
    {
        var token = Token();
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var colleague = await database.CreateAsync(AppRoles.Rep, team, email: $"colleague-{token}@example.test");
        var manager = await database.CreateAsync(AppRoles.Manager, team);
        var account = await database.CreateAccountAsync($"{token} Shared");
        await database.CreateDealAsync(rep, "Mine", account);
        await database.CreateDealAsync(colleague, "Theirs", account);
        var promises = Csv(
            "Account,Deal,Kind,Description,Promised date,Department",
            $"{account.Name},Mine,Delivery,Ship the cell,2026-06-01,Fulfilment",
            $"{account.Name},Theirs,Delivery,Ship the cell,2026-06-01,Fulfilment",
            $"{account.Name},Mine,Teleport,Ship the cell,2026-06-01,Customer");
        var deals = Csv("Account,Title,Value,Expected outcome,Close date,Owner email",
            $"{account.Name},Given away,10,Faster,2026-02-01,colleague-{token}@example.test");

        var byRep = await Importer(database).PreviewAsync(rep, ImportKind.Promises, promises, ImportMode.AllOrNothing, Cancel);
        var dealsByRep = await Importer(database).PreviewAsync(rep, ImportKind.Deals, deals, ImportMode.AllOrNothing, Cancel);
        deals.Position = 0;
        var dealsByManager = await Importer(database).ImportAsync(manager, ImportKind.Deals, deals, ImportMode.AllOrNothing, Cancel);

        Assert.Equal(new[] { (3, "Deal"), (4, "Department"), (4, "Kind") }, byRep.Errors.Select(e => (e.Row, e.Column!)));
        Assert.Equal($"No deal titled \"Theirs\" on the account \"{account.Name}\" that you may change.", byRep.Errors[0].Message);
        Assert.Equal(new[] { (2, "Owner email") }, dealsByRep.Errors.Select(e => (e.Row, e.Column!)));
        Assert.True(dealsByManager.Committed);
        Assert.Equal(colleague.UserId, await database.QueryAsync(db => db.Deals.Where(d => d.Title == "Given away" && d.AccountId == account.Id).Select(d => d.OwnerId).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task Service_staff_import_nothing_and_admins_import_no_deals()
    {
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var admin = await database.CreateAsync(AppRoles.Admin);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Importer(database).PreviewAsync(service, ImportKind.Accounts, Csv("Name", "X"), ImportMode.AllOrNothing, Cancel));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Importer(database).PreviewAsync(admin, ImportKind.Deals, Csv("Name", "X"), ImportMode.AllOrNothing, Cancel));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    internal static string Token() => $"T{Guid.NewGuid():N}"[..12];

    internal static MemoryStream Csv(params string[] lines) => new(Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n"));

    internal static async Task<byte[]> ExportAsync<T>(IReadOnlyList<CsvExportColumn<T>> columns, IAsyncEnumerable<T> rows)
    {
        using var stream = new MemoryStream();
        await CsvFiles.WriteAsync(stream, columns, rows, Cancel);
        return stream.ToArray();
    }

    /// <summary>A second export's rows appended to the first (its byte-order mark and header dropped).</summary>
    private static byte[] Concat(byte[] first, byte[] second)
    {
        var text = Encoding.UTF8.GetString(second);
        var body = text.TrimStart('\uFEFF');
        return [.. first, .. Encoding.UTF8.GetBytes(body[(body.IndexOf("\r\n", StringComparison.Ordinal) + 2)..])];
    }

    private static ServiceProvider Services(TestDatabase db) => new ServiceCollection()
        .AddSingleton<IDbContextFactory<AppDbContext>>(db)
        .AddSingleton<TimeProvider>(new FakeTimeProvider(Now))
        .AddValidatorsFromAssemblyContaining<CsvImportService>(ServiceLifetime.Singleton)
        .BuildServiceProvider();

    internal static CsvImportService Importer(TestDatabase db) => ActivatorUtilities.CreateInstance<CsvImportService>(Services(db));

    internal static DealsService Deals(TestDatabase db) => ActivatorUtilities.CreateInstance<DealsService>(Services(db));

    internal static AccountsService Accounts(TestDatabase db) => ActivatorUtilities.CreateInstance<AccountsService>(Services(db));

    private static Task<List<string>> AccountsOf(TestDatabase db, string token) =>
        db.QueryAsync(d => d.Accounts.Where(a => a.Name.StartsWith(token)).OrderBy(a => a.Name).Select(a => a.Name + "|" + a.Industry).ToListAsync(Cancel));

    private static Task<List<string>> DealsOf(TestDatabase db, string token) =>
        db.QueryAsync(async d => (await (from deal in d.Deals
                            join a in d.Accounts on deal.AccountId equals a.Id
                            join u in d.Users on deal.OwnerId equals u.Id
                            where a.Name.StartsWith(token)
                            orderby deal.Title
                            select new { a.Name, deal.Title, deal.Value.Amount, deal.Value.Currency, deal.ExpectedOutcome, deal.CloseDate, u.Email, deal.Stage })
            .ToListAsync(Cancel)).Select(r => r.ToString()!).ToList());

    private static Task<List<string>> PromisesOf(TestDatabase db, string token) =>
        db.QueryAsync(async d => (await (from c in d.Commitments
                            join deal in d.Deals on c.DealId equals deal.Id
                            join a in d.Accounts on deal.AccountId equals a.Id
                            join u in d.Users on c.OwnerId equals u.Id
                            where a.Name.StartsWith(token)
                            orderby c.Description
                            select new
                            {
                                Account = a.Name, deal.Title, c.Direction, c.Kind, c.Description, c.PromisedDate, c.NeedDate, c.Department, u.Email,
                                c.AggressiveReason, c.Status, c.IsAggressive, c.AggressiveApproval,
                            })
            .ToListAsync(Cancel)).Select(r => r.ToString()!).ToList());
}

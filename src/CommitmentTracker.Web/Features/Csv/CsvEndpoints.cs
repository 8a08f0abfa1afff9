using System.Security.Claims;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Accounts;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Csv;

/// <summary>
/// The "Export CSV" downloads: GET endpoints that take a list's filters and sort from the query string and stream the rows
/// of the same service query, under the same access rules, as the page shows; and the import templates.
/// </summary>
public static class CsvEndpoints
{
    public static IEndpointRouteBuilder MapCsv(this IEndpointRouteBuilder endpoints)
    {
        // Flags left out of the query (the pages leave out what is off) read as false, never as a binding failure.
        var export = endpoints.MapGroup("/export").RequireAuthorization();
        export.MapGet("/deals.csv", async (HttpContext http, DealsService deals, IDbContextFactory<AppDbContext> dbFactory,
            [FromQuery] string? stage, [FromQuery] string? search, [FromQuery] string? sort, [FromQuery] bool? desc) =>
        {
            if (await ActorOfAsync(http, dbFactory) is not { } actor)
                return Results.Forbid();
            var query = new DealListQuery(Enum.TryParse<DealStage>(stage, true, out var s) && Enum.IsDefined(s) ? s : null, search);
            return await CsvAsync(http, "deals", CsvExports.Deals, deals.ExportAsync(actor, query, sort, desc == true, http.RequestAborted));
        });
        export.MapGet("/accounts.csv", async (HttpContext http, AccountsService accounts, IDbContextFactory<AppDbContext> dbFactory,
            [FromQuery] string? search, [FromQuery] string? industry, [FromQuery] bool? mine, [FromQuery] bool? broken, [FromQuery] bool? atRisk,
            [FromQuery] string? sort, [FromQuery] bool? desc) =>
        {
            if (await ActorOfAsync(http, dbFactory) is not { } actor)
                return Results.Forbid();
            var query = new AccountListQuery(search, industry, mine == true, broken == true, atRisk == true);
            return await CsvAsync(http, "accounts", CsvExports.Accounts, accounts.ExportAsync(actor, query, sort, desc == true, http.RequestAborted));
        });
        export.MapGet("/accounts/{accountId:guid}/promises.csv", async (HttpContext http, Guid accountId, AccountsService accounts,
            IDbContextFactory<AppDbContext> dbFactory, [FromQuery] string? status, [FromQuery] string? sort, [FromQuery] bool? desc) =>
        {
            if (await ActorOfAsync(http, dbFactory) is not { } actor)
                return Results.Forbid();
            await using var db = await dbFactory.CreateDbContextAsync(http.RequestAborted);
            var name = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Name).SingleOrDefaultAsync(http.RequestAborted);
            if (name is null)
                return Results.NotFound();
            var wanted = Enum.TryParse<CommitmentStatus>(status, true, out var st) && Enum.IsDefined(st) ? st : (CommitmentStatus?)null;
            return await CsvAsync(http, $"promises-{FileNames.Slug(name)}", CsvExports.Promises(name),
                accounts.ExportPromisesAsync(actor, accountId, wanted, sort, desc == true, http.RequestAborted));
        });

        // These lists are read whole by their pages already (a manager's pending approvals, a team's plans): written as they are.
        export.MapGet("/recovery-plans.csv", async (HttpContext http, Recovery.RecoveryService recovery, IDbContextFactory<AppDbContext> dbFactory,
            [FromQuery] string? filter) =>
        {
            if (await ActorOfAsync(http, dbFactory) is not { } actor)
                return Results.Forbid();
            var which = Enum.TryParse<Recovery.RecoveryListFilter>(filter, true, out var f) && Enum.IsDefined(f) ? f : Recovery.RecoveryListFilter.Open;
            var rows = await recovery.ListAsync(actor, which, http.RequestAborted);
            return await CsvAsync(http, "recovery-plans", CsvExports.RecoveryPlans, rows.ToAsyncEnumerable());
        });
        export.MapGet("/approvals.csv", async (HttpContext http, Promises.PromisesService promises, IDbContextFactory<AppDbContext> dbFactory) =>
        {
            if (await ActorOfAsync(http, dbFactory) is not { } actor)
                return Results.Forbid();
            var rows = await promises.PendingApprovalsAsync(actor, http.RequestAborted);
            return await CsvAsync(http, "approvals", CsvExports.Approvals, rows.ToAsyncEnumerable());
        });

        endpoints.MapGet("/import/templates/{kind}.csv", (string kind) =>
                Enum.TryParse<ImportKind>(kind, true, out var k) && Enum.IsDefined(k)
                    ? Results.File(ImportTemplates.File(k), "text/csv; charset=utf-8", $"{k.ToString().ToLowerInvariant()}-template.csv")
                    : Results.NotFound())
            .RequireAuthorization();
        return endpoints;
    }

    /// <summary>The signed-in user, read afresh (a deactivated user gets nothing).</summary>
    private static async Task<Actor?> ActorOfAsync(HttpContext http, IDbContextFactory<AppDbContext> dbFactory) =>
        http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
            ? await ActorAccessor.LoadAsync(dbFactory, userId, http.RequestAborted)
            : null;

    /// <summary>Streams the rows as a CSV download; the rows are read from the database as they are written.</summary>
    private static async Task<IResult> CsvAsync<T>(HttpContext http, string name, IReadOnlyList<CsvExportColumn<T>> columns, IAsyncEnumerable<T> rows)
    {
        var file = $"{name}-{DateTime.UtcNow:yyyy-MM-dd}.csv";
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = new System.Net.Mime.ContentDisposition { FileName = file, DispositionType = "attachment" }.ToString();
        http.Response.Headers.CacheControl = "no-store";
        await CsvFiles.WriteAsync(http.Response.Body, columns, rows, http.RequestAborted);
        return Results.Empty;
    }
}

/// <summary>File names from record names: letters, digits and dashes.</summary>
public static class FileNames
{
    public static string Slug(string name)
    {
        var slug = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        while (slug.Contains("--", StringComparison.Ordinal))
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        return slug.Length == 0 ? "account" : slug[..Math.Min(slug.Length, 60)];
    }
}

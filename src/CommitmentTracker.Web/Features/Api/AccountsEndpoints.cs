using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Web.Features.Accounts;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Api;

/// <summary>An account in a list, with the figures of the deals the caller may see.</summary>
public sealed record AccountSummary(Guid Id, string Name, string? Industry, int Deals, int OpenPromises, int BrokenLately, int AtRisk);

/// <summary>A person of the customer's. Its ETag is the contact's version.</summary>
public sealed record ContactResource(Guid Id, string Name, ContactRole Role, string? Email, string? Phone, bool MayContactTheirManager);

/// <summary>An account (shared by everyone), its contacts, and the deals on it the caller may see.</summary>
public sealed record AccountResource(Guid Id, string Name, string? Industry, IReadOnlyList<ContactResource> Contacts, int DealCount, IReadOnlyList<AccountDealRow> Deals);

/// <summary>A contact added or replaced.</summary>
public sealed record ContactRequest(string? Name, ContactRole Role, string? Email, string? Phone, bool MayContactTheirManager);

/// <summary>/api/v1/accounts: accounts and their contacts through <see cref="AccountsService"/> (accounts are created with a deal).</summary>
public static class AccountsEndpoints
{
    public static readonly string[] Sortable = ["name", "industry"];

    public static void MapAccounts(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/accounts").WithTags("Accounts");

        accounts.MapGet("", async (HttpContext http, AccountsService service, string? search, string? industry, bool? onlyMine, bool? brokenLately, bool? openAtRisk,
            string? sort, int? page, int? pageSize, CancellationToken ct) =>
        {
            var request = ApiPaging.Request(page, pageSize, sort, Sortable);
            var result = await service.ListAsync(ApiCaller.Of(http).Actor,
                new AccountListQuery(search, industry, onlyMine ?? false, brokenLately ?? false, openAtRisk ?? false), request, ct);
            var items = result.Items.Select(a => new AccountSummary(a.Id, a.Name, a.Industry, a.Deals, a.OpenPromises, a.BrokenLately, a.AtRisk)).ToList();
            return TypedResults.Ok(ApiPaging.Of(http, request, items, result.TotalCount));
        }).WithName("ListAccounts").WithSummary("Lists accounts, a page at a time")
          .WithDescription("Filters: search, industry, onlyMine, brokenLately, openAtRisk. Sort: name, industry (prefix - for descending).");

        accounts.MapGet("/{id:guid}", async (HttpContext http, AccountsService service, Guid id, CancellationToken ct) =>
        {
            var view = await service.GetAsync(ApiCaller.Of(http).Actor, id, ct) ?? throw new RecordNotFoundException("account");
            return TypedResults.Ok(new AccountResource(view.Id, view.Name, view.Industry, view.Contacts.Select(ContactOf).ToList(), view.DealCount, view.Deals));
        }).WithName("GetAccount").WithSummary("Gets an account with its contacts and the deals on it you may see");

        accounts.MapGet("/{id:guid}/contacts/{contactId:guid}", async (HttpContext http, IDbContextFactory<AppDbContext> dbFactory, Guid id, Guid contactId, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var contact = await db.Contacts.SingleOrDefaultAsync(c => c.Id == contactId && c.AccountId == id, ct) ?? throw new RecordNotFoundException("contact");
            http.SetETag(db.VersionOf(contact));
            return TypedResults.Ok(new ContactResource(contact.Id, contact.Name, contact.Role, contact.Email, contact.Phone, contact.MayContactTheirManager));
        }).WithName("GetContact").WithSummary("Gets a contact; the ETag is the contact's version");

        accounts.MapPost("/{id:guid}/contacts", async (HttpContext http, AccountsService service, Guid id, ContactRequest body, CancellationToken ct) =>
        {
            var contactId = await service.AddContactAsync(ApiCaller.Of(http).Actor, id, InputOf(body), ct);
            var view = await service.GetAsync(ApiCaller.Of(http).Actor, id, ct) ?? throw new RecordNotFoundException("account");
            var row = view.Contacts.Single(c => c.Id == contactId);
            http.SetETag(row.Version);
            return TypedResults.Created($"{ApiRoutes.V1}/accounts/{id}/contacts/{contactId}", ContactOf(row));
        }).WithName("AddContact").WithSummary("Adds a person of the customer's (reps and managers with a deal on the account)");

        accounts.MapPut("/{id:guid}/contacts/{contactId:guid}", async (HttpContext http, AccountsService service, IDbContextFactory<AppDbContext> dbFactory, Guid id, Guid contactId, ContactRequest body, CancellationToken ct) =>
        {
            uint current;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                current = await db.Contacts.Where(c => c.Id == contactId && c.AccountId == id)
                    .Select(c => (uint?)EF.Property<uint>(c, AppDbContext.Version)).SingleOrDefaultAsync(ct)
                    ?? throw new RecordNotFoundException("contact");
            }
            var quoted = http.RequiredVersion("contact");
            ApiVersions.EnsureVersion(quoted, current, "contact");
            await service.UpdateContactAsync(ApiCaller.Of(http).Actor, id, contactId, quoted, InputOf(body), ct);
            var row = (await service.GetAsync(ApiCaller.Of(http).Actor, id, ct))!.Contacts.Single(c => c.Id == contactId);
            http.SetETag(row.Version);
            return TypedResults.Ok(ContactOf(row));
        }).WithName("UpdateContact").WithSummary("Replaces a contact; needs If-Match");
    }

    private static ContactResource ContactOf(ContactRow c) => new(c.Id, c.Name, c.Role, c.Email, c.Phone, c.MayContactTheirManager);

    private static ContactInput InputOf(ContactRequest body) => new()
    {
        Name = body.Name ?? "",
        Role = body.Role,
        Email = body.Email,
        Phone = body.Phone,
        MayContactTheirManager = body.MayContactTheirManager,
    };
}

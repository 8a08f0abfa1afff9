using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommitmentTracker.Domain;
using CommitmentTracker.Web.Features.Recovery;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CommitmentTracker.Web.Tests.Features.Api;

/// <summary>Accounts and contacts, communications and recovery plans over the API, per role, with their validation and concurrency answers.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiResourcesTests(ApiHost host)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private TestDatabase Db => host.Database;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, was {(int)response.StatusCode}: {body}");
        if (status >= HttpStatusCode.BadRequest)
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static HttpRequestMessage Put(string url, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    [Fact]
    public async Task Accounts_are_listed_and_read_by_everyone_with_only_the_deals_each_may_see()
    {
        var north = await Db.CreateTeamAsync();
        var rep = await Db.CreateAsync(AppRoles.Rep, north);
        var otherRep = await Db.CreateAsync(AppRoles.Rep, await Db.CreateTeamAsync());
        var account = await Db.CreateAccountAsync($"Fabrikam {Guid.NewGuid():N}");
        await Db.CreateDealAsync(rep, account: account);
        using var repClient = await host.ClientAsAsync(rep);
        using var otherClient = await host.ClientAsAsync(otherRep);

        var list = await JsonAsync(await otherClient.GetAsync(new Uri($"/api/v1/accounts?search={account.Name}&sort=-name", UriKind.Relative), Cancel), HttpStatusCode.OK);
        var asRep = await JsonAsync(await repClient.GetAsync(new Uri($"/api/v1/accounts/{account.Id}", UriKind.Relative), Cancel), HttpStatusCode.OK);
        var asOther = await JsonAsync(await otherClient.GetAsync(new Uri($"/api/v1/accounts/{account.Id}", UriKind.Relative), Cancel), HttpStatusCode.OK);

        Assert.Equal(1, list.GetProperty("total").GetInt32());
        Assert.Equal(1, asRep.GetProperty("dealCount").GetInt32());
        Assert.Equal(0, asOther.GetProperty("dealCount").GetInt32());
        await JsonAsync(await repClient.GetAsync(new Uri($"/api/v1/accounts/{Guid.NewGuid()}", UriKind.Relative), Cancel), HttpStatusCode.NotFound);
        await JsonAsync(await repClient.GetAsync(new Uri("/api/v1/accounts?sort=deals", UriKind.Relative), Cancel), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Contacts_are_kept_by_the_rep_with_a_deal_on_the_account_with_If_Match_and_refused_to_others()
    {
        var rep = await Db.CreateAsync(AppRoles.Rep, await Db.CreateTeamAsync());
        var otherRep = await Db.CreateAsync(AppRoles.Rep, await Db.CreateTeamAsync());
        var service = await Db.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var account = await Db.CreateAccountAsync();
        await Db.CreateDealAsync(rep, account: account);
        using var client = await host.ClientAsAsync(rep);
        var url = $"/api/v1/accounts/{account.Id}/contacts";

        var invalid = await JsonAsync(await client.PostAsJsonAsync(new Uri(url, UriKind.Relative), new { name = "", role = "Buyer", email = "not an address" }, Cancel), HttpStatusCode.BadRequest);
        var created = await client.PostAsJsonAsync(new Uri(url, UriKind.Relative), new { name = "Dana Buyer", role = "Buyer", email = "dana@fabrikam.example" }, Cancel);
        await JsonAsync(created, HttpStatusCode.Created);
        var contactUrl = created.Headers.Location!.ToString();
        var etag = created.Headers.ETag!.Tag;
        foreach (var outsider in new[] { otherRep, service })
        {
            using var other = await host.ClientAsAsync(outsider);
            await JsonAsync(await other.PostAsJsonAsync(new Uri(url, UriKind.Relative), new { name = "Intruder", role = "User" }, Cancel), HttpStatusCode.Forbidden);
        }
        await JsonAsync(await client.SendAsync(Put(contactUrl, new { name = "Dana Buyer", role = "Approver" }, null), Cancel), HttpStatusCode.PreconditionRequired);
        var updated = await client.SendAsync(Put(contactUrl, new { name = "Dana Buyer", role = "Approver", mayContactTheirManager = true }, etag), Cancel);
        var afterUpdate = await JsonAsync(updated, HttpStatusCode.OK);
        await JsonAsync(await client.SendAsync(Put(contactUrl, new { name = "Dana B.", role = "Buyer" }, etag), Cancel), HttpStatusCode.PreconditionFailed);

        Assert.True(invalid.GetProperty("errors").TryGetProperty("name", out _));
        Assert.True(invalid.GetProperty("errors").TryGetProperty("email", out _));
        Assert.Equal("Approver", afterUpdate.GetProperty("role").GetString());
        Assert.True(afterUpdate.GetProperty("mayContactTheirManager").GetBoolean());
        var read = await client.GetAsync(new Uri(contactUrl, UriKind.Relative), Cancel);
        Assert.Equal(updated.Headers.ETag!.Tag, read.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Communications_are_logged_and_corrected_by_the_deals_rep_read_by_readers_and_not_found_for_another_team()
    {
        var north = await Db.CreateTeamAsync();
        var rep = await Db.CreateAsync(AppRoles.Rep, north);
        var otherRep = await Db.CreateAsync(AppRoles.Rep, await Db.CreateTeamAsync());
        var service = await Db.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        var deal = await Db.CreateDealAsync(rep);
        using var client = await host.ClientAsAsync(rep);
        using var other = await host.ClientAsAsync(otherRep);
        using var serviceClient = await host.ClientAsAsync(service);
        var url = $"/api/v1/deals/{deal.Id}/communications";
        var call = new { channel = "Phone", direction = "ToCustomer", people = "Dana (buyer), Rita (rep)", summary = "Confirmed the delivery week.", occurredOn = "2026-03-02", occurredAt = "09:00:00", timeZone = "Europe/Berlin" };

        var invalid = await JsonAsync(await client.PostAsJsonAsync(new Uri(url, UriKind.Relative), new { channel = "Phone", direction = "ToCustomer" }, Cancel), HttpStatusCode.BadRequest);
        var logged = await client.PostAsJsonAsync(new Uri(url, UriKind.Relative), call, Cancel);
        var entry = await JsonAsync(logged, HttpStatusCode.Created);
        var correction = await JsonAsync(await client.PostAsJsonAsync(new Uri($"/api/v1/communications/{entry.GetProperty("id").GetString()}/corrections", UriKind.Relative),
            new { summary = "Confirmed the delivery week (week 14)." }, Cancel), HttpStatusCode.Created);

        foreach (var field in new[] { "people", "summary", "occurredOn", "occurredAt" })
            Assert.True(invalid.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero), entry.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Equal(entry.GetProperty("id").GetString(), correction.GetProperty("correctsEntryId").GetString());
        var list = await JsonAsync(await serviceClient.GetAsync(new Uri(url, UriKind.Relative), Cancel), HttpStatusCode.OK);
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        await JsonAsync(await serviceClient.PostAsJsonAsync(new Uri(url, UriKind.Relative), call, Cancel), HttpStatusCode.Forbidden);
        await JsonAsync(await other.GetAsync(new Uri(url, UriKind.Relative), Cancel), HttpStatusCode.NotFound);
        await JsonAsync(await other.GetAsync(logged.Headers.Location, Cancel), HttpStatusCode.NotFound);
        await JsonAsync(await other.PostAsJsonAsync(new Uri(url, UriKind.Relative), call, Cancel), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Recovery_plans_are_read_by_the_team_and_readers_and_not_found_for_another_team()
    {
        var north = await Db.CreateTeamAsync();
        var rep = await Db.CreateAsync(AppRoles.Rep, north);
        var manager = await Db.CreateAsync(AppRoles.Manager, north);
        var otherManager = await Db.CreateAsync(AppRoles.Manager, await Db.CreateTeamAsync());
        var admin = await Db.CreateAsync(AppRoles.Admin);
        var deal = await Db.CreateDealAsync(rep, arrange: d => TestDeals.AddPromise(d));
        Guid planId;
        await using (var scope = host.Factory.Services.CreateAsyncScope())
            planId = await scope.ServiceProvider.GetRequiredService<RecoveryService>().OpenAsync(rep, deal.Commitments[0].Id, Cancel);

        foreach (var reader in new[] { rep, manager, admin })
        {
            using var client = await host.ClientAsAsync(reader);
            var plan = await JsonAsync(await client.GetAsync(new Uri($"/api/v1/recovery-plans/{planId}", UriKind.Relative), Cancel), HttpStatusCode.OK);
            Assert.Equal(7, plan.GetProperty("steps").GetArrayLength());
            var list = await JsonAsync(await client.GetAsync(new Uri("/api/v1/recovery-plans?state=Open&pageSize=100", UriKind.Relative), Cancel), HttpStatusCode.OK);
            Assert.Contains(list.GetProperty("items").EnumerateArray(), p => p.GetProperty("planId").GetString() == planId.ToString());
        }
        using var outsider = await host.ClientAsAsync(otherManager);
        await JsonAsync(await outsider.GetAsync(new Uri($"/api/v1/recovery-plans/{planId}", UriKind.Relative), Cancel), HttpStatusCode.NotFound);
        var theirs = await JsonAsync(await outsider.GetAsync(new Uri("/api/v1/recovery-plans?state=All", UriKind.Relative), Cancel), HttpStatusCode.OK);
        Assert.DoesNotContain(theirs.GetProperty("items").EnumerateArray(), p => p.GetProperty("planId").GetString() == planId.ToString());
    }
}

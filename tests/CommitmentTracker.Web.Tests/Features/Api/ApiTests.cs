using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CommitmentTracker.Web.Tests.Features.Api;

/// <summary>
/// The REST API end to end through the real pipeline and PostgreSQL: access per role (another team's record by its id is
/// a 404 like in the app), validation problems with field names, ETag / If-Match (428, 412), paging, read-only, revoked and
/// expired tokens, and problem details for every error.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ApiTests(ApiHost host)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private TestDatabase Db => host.Database;

    /// <summary>Two teams and the four roles; North's rep owns the records under test.</summary>
    private sealed record People(Actor RepNorth, Actor ManagerNorth, Actor RepSouth, Actor ManagerSouth, Actor Service, Actor Admin);

    private async Task<People> PeopleAsync()
    {
        var north = await Db.CreateTeamAsync();
        var south = await Db.CreateTeamAsync();
        return new People(
            await Db.CreateAsync(AppRoles.Rep, north), await Db.CreateAsync(AppRoles.Manager, north),
            await Db.CreateAsync(AppRoles.Rep, south), await Db.CreateAsync(AppRoles.Manager, south),
            await Db.CreateAsync(AppRoles.Service, department: Department.Fulfilment), await Db.CreateAsync(AppRoles.Admin));
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.Clone();

    /// <summary>Asserts an RFC 7807 answer with the status, and returns its body.</summary>
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, was {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
            request.Content = JsonContent.Create(body);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private static object DealDetails(string title = "Packaging line, phase 2") =>
        new { title, value = 25_000m, currency = "EUR", expectedOutcome = "40 cases a minute on line 3", closeDate = "2026-03-01" };

    [Fact]
    public async Task Deals_list_pages_through_the_rows_in_the_asked_order_with_a_next_link_and_caps_the_page_size()
    {
        var people = await PeopleAsync();
        foreach (var letter in "EDCBA")
            await Db.CreateDealAsync(people.RepNorth, title: $"Deal {letter}");
        using var client = await host.ClientAsAsync(people.RepNorth);

        var first = await JsonAsync(await client.GetAsync(new Uri("/api/v1/deals?sort=title&pageSize=2", UriKind.Relative), Cancel));
        Assert.Equal(5, first.GetProperty("total").GetInt32());
        Assert.Equal(["Deal A", "Deal B"], first.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("title").GetString()));
        var next = first.GetProperty("next").GetString()!;
        Assert.Contains("page=2", next, StringComparison.Ordinal);

        var second = await JsonAsync(await client.GetAsync(new Uri(next, UriKind.Relative), Cancel));
        Assert.Equal(["Deal C", "Deal D"], second.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("title").GetString()));
        Assert.Equal(2, second.GetProperty("page").GetInt32());
        var last = await JsonAsync(await client.GetAsync(new Uri("/api/v1/deals?sort=-title&pageSize=2&page=3", UriKind.Relative), Cancel));
        Assert.Equal(["Deal A"], last.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("title").GetString()));
        Assert.Equal(JsonValueKind.Null, last.GetProperty("next").ValueKind);

        var capped = await JsonAsync(await client.GetAsync(new Uri("/api/v1/deals?pageSize=5000", UriKind.Relative), Cancel));
        Assert.Equal(100, capped.GetProperty("pageSize").GetInt32());
    }

    [Fact]
    public async Task A_sort_field_outside_the_list_and_a_page_below_one_are_validation_problems_naming_the_parameter()
    {
        var people = await PeopleAsync();
        using var client = await host.ClientAsAsync(people.RepNorth);

        var problem = await ProblemAsync(await client.GetAsync(new Uri("/api/v1/deals?sort=ownerId&page=0", UriKind.Relative), Cancel), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("sort", out _));
        Assert.True(errors.TryGetProperty("page", out _));
    }

    [Theory]
    [InlineData("RepNorth", HttpStatusCode.OK)]
    [InlineData("ManagerNorth", HttpStatusCode.OK)]
    [InlineData("Service", HttpStatusCode.OK)]
    [InlineData("Admin", HttpStatusCode.OK)]
    [InlineData("RepSouth", HttpStatusCode.NotFound)]
    [InlineData("ManagerSouth", HttpStatusCode.NotFound)]
    public async Task A_deal_and_its_promise_are_read_by_the_roles_that_see_them_and_are_not_found_for_another_team(string who, HttpStatusCode expected)
    {
        var people = await PeopleAsync();
        var deal = await Db.CreateDealAsync(people.RepNorth, arrange: d => TestDeals.AddPromise(d));
        var promiseId = deal.Commitments[0].Id;
        using var client = await host.ClientAsAsync(Actor(people, who));

        foreach (var url in new[] { $"/api/v1/deals/{deal.Id}", $"/api/v1/promises/{promiseId}", $"/api/v1/promises/{promiseId}/milestones", $"/api/v1/promises/{promiseId}/risk" })
        {
            var response = await client.GetAsync(new Uri(url, UriKind.Relative), Cancel);
            if (expected == HttpStatusCode.OK)
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            else
                await ProblemAsync(response, expected);
        }
        var list = await JsonAsync(await client.GetAsync(new Uri($"/api/v1/promises?dealId={deal.Id}", UriKind.Relative), Cancel));
        Assert.Equal(expected == HttpStatusCode.OK ? 1 : 0, list.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("RepNorth", HttpStatusCode.OK)]
    [InlineData("ManagerNorth", HttpStatusCode.OK)]
    [InlineData("Service", HttpStatusCode.Forbidden)]
    [InlineData("Admin", HttpStatusCode.Forbidden)]
    [InlineData("RepSouth", HttpStatusCode.NotFound)]
    [InlineData("ManagerSouth", HttpStatusCode.NotFound)]
    public async Task A_deal_is_changed_by_its_rep_and_their_manager_refused_to_readers_and_not_found_for_another_team(string who, HttpStatusCode expected)
    {
        var people = await PeopleAsync();
        var deal = await Db.CreateDealAsync(people.RepNorth);
        var version = await Db.QueryAsync(db => db.Deals.Where(d => d.Id == deal.Id).Select(d => EF.Property<uint>(d, AppDbContext.Version)).SingleAsync(Cancel));
        using var client = await host.ClientAsAsync(Actor(people, who));

        var response = await client.SendAsync(Request(HttpMethod.Put, $"/api/v1/deals/{deal.Id}", DealDetails("Renamed by the API"), $"\"{version}\""), Cancel);

        if (expected == HttpStatusCode.OK)
            Assert.Equal("Renamed by the API", (await JsonAsync(response)).GetProperty("title").GetString());
        else
            await ProblemAsync(response, expected);
        var stored = await Db.QueryAsync(db => db.Deals.Where(d => d.Id == deal.Id).Select(d => d.Title).SingleAsync(Cancel));
        Assert.Equal(expected == HttpStatusCode.OK ? "Renamed by the API" : deal.Title, stored);
    }

    [Fact]
    public async Task A_change_without_If_Match_is_428_and_one_with_a_stale_ETag_is_412_and_changes_nothing()
    {
        var people = await PeopleAsync();
        var deal = await Db.CreateDealAsync(people.RepNorth, title: "Original title");
        using var client = await host.ClientAsAsync(people.RepNorth);
        var read = await client.GetAsync(new Uri($"/api/v1/deals/{deal.Id}", UriKind.Relative), Cancel);
        var etag = read.Headers.ETag?.Tag;
        Assert.NotNull(etag);

        await ProblemAsync(await client.SendAsync(Request(HttpMethod.Put, $"/api/v1/deals/{deal.Id}", DealDetails("No precondition")), Cancel), HttpStatusCode.PreconditionRequired);
        var first = await client.SendAsync(Request(HttpMethod.Put, $"/api/v1/deals/{deal.Id}", DealDetails("First change"), etag), Cancel);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.NotEqual(etag, first.Headers.ETag?.Tag);
        var stale = await ProblemAsync(await client.SendAsync(Request(HttpMethod.Put, $"/api/v1/deals/{deal.Id}", DealDetails("Stale change"), etag), Cancel), HttpStatusCode.PreconditionFailed);
        await ProblemAsync(await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/deals/{deal.Id}/stage", new { target = "Lost", lostReason = "NoBudget" }, etag), Cancel), HttpStatusCode.PreconditionFailed);

        Assert.Contains("changed", stale.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var stored = await Db.QueryAsync(db => db.Deals.AsNoTracking().SingleAsync(d => d.Id == deal.Id, Cancel));
        Assert.Equal("First change", stored.Title);
        Assert.Equal(DealStage.Verbal, stored.Stage);
    }

    [Fact]
    public async Task Creating_a_deal_with_missing_fields_is_a_validation_problem_naming_each_field_and_stores_nothing()
    {
        var people = await PeopleAsync();
        using var client = await host.ClientAsAsync(people.RepNorth);

        var problem = await ProblemAsync(await client.PostAsJsonAsync(new Uri("/api/v1/deals", UriKind.Relative), new { currency = "euro" }, Cancel), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "newAccountName", "title", "value", "currency", "expectedOutcome", "closeDate" })
            Assert.True(errors.TryGetProperty(field, out var messages) && messages.GetArrayLength() > 0, $"no error for {field}: {errors}");
        Assert.Equal(0, await Db.QueryAsync(db => db.Deals.CountAsync(d => d.OwnerId == people.RepNorth.UserId, Cancel)));
    }

    [Fact]
    public async Task A_rep_creates_a_deal_and_a_promise_on_it_and_reads_them_back_by_their_locations()
    {
        var people = await PeopleAsync();
        using var client = await host.ClientAsAsync(people.RepNorth);

        var created = await client.PostAsJsonAsync(new Uri("/api/v1/deals", UriKind.Relative), new
        {
            newAccountName = $"Contoso {Guid.NewGuid():N}", title = "Scanners for the warehouse", value = 12_000m, currency = "EUR",
            expectedOutcome = "Every parcel scanned at the gate", closeDate = "2026-03-02",
        }, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var dealUrl = created.Headers.Location!.ToString();
        Assert.NotNull(created.Headers.ETag);
        var promise = await client.PostAsJsonAsync(new Uri(dealUrl + "/promises", UriKind.Relative), new
        {
            direction = "Ours", kind = "Delivery", description = "Deliver 40 scanners", ownerId = people.RepNorth.UserId,
            department = "Fulfilment", promisedDate = "2026-06-01", needDate = "2026-06-15",
        }, Cancel);

        Assert.Equal(HttpStatusCode.Created, promise.StatusCode);
        var read = await JsonAsync(await client.GetAsync(promise.Headers.Location, Cancel));
        Assert.Equal("Deliver 40 scanners", read.GetProperty("description").GetString());
        Assert.Equal("Open", read.GetProperty("status").GetString());
        Assert.Equal(14, read.GetProperty("bufferDays").GetInt32());
        var deal = await JsonAsync(await client.GetAsync(new Uri(dealUrl, UriKind.Relative), Cancel));
        Assert.Equal("Scanners for the warehouse", deal.GetProperty("title").GetString());
        Assert.Single(deal.GetProperty("promises").EnumerateArray());
    }

    [Fact]
    public async Task A_promise_with_missing_fields_is_a_validation_problem_naming_them()
    {
        var people = await PeopleAsync();
        var deal = await Db.CreateDealAsync(people.RepNorth);
        using var client = await host.ClientAsAsync(people.RepNorth);

        var problem = await ProblemAsync(await client.PostAsJsonAsync(new Uri($"/api/v1/deals/{deal.Id}/promises", UriKind.Relative),
            new { direction = "Ours", kind = "Delivery", department = "Customer", promisedDate = "2020-01-01" }, Cancel), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "description", "ownerId", "department", "promisedDate" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
    }

    [Fact]
    public async Task A_stage_move_the_gate_refuses_is_409_with_the_reason_and_an_allowed_one_moves_the_deal()
    {
        var people = await PeopleAsync();
        var deal = await Db.CreateDealAsync(people.RepNorth);
        using var client = await host.ClientAsAsync(people.RepNorth);
        var etag = (await client.GetAsync(new Uri($"/api/v1/deals/{deal.Id}", UriKind.Relative), Cancel)).Headers.ETag!.Tag;

        var refused = await ProblemAsync(await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/deals/{deal.Id}/stage",
            new { target = "Ordered", purchaseOrderReference = "PO-1" }, etag), Cancel), HttpStatusCode.Conflict);
        var lost = await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/deals/{deal.Id}/stage", new { target = "Lost", lostReason = "NoBudget" }, etag), Cancel);

        Assert.False(string.IsNullOrWhiteSpace(refused.GetProperty("detail").GetString()));
        Assert.Equal(HttpStatusCode.OK, lost.StatusCode);
        Assert.Equal("Lost", (await JsonAsync(lost)).GetProperty("stage").GetString());
    }

    [Fact]
    public async Task A_promise_is_renegotiated_with_its_ETag_and_a_stale_or_missing_one_is_refused()
    {
        var people = await PeopleAsync();
        var deal = await Db.CreateDealAsync(people.RepNorth, arrange: d => TestDeals.AddPromise(d, promisedInDays: 70));
        var promiseId = deal.Commitments[0].Id;
        using var client = await host.ClientAsAsync(people.ManagerNorth);
        var etag = (await client.GetAsync(new Uri($"/api/v1/promises/{promiseId}", UriKind.Relative), Cancel)).Headers.ETag!.Tag;
        var body = new { newDate = "2026-06-01", agreedWith = "The buyer", agreedOn = "2026-03-02", reason = "Parts are late" };

        await ProblemAsync(await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/promises/{promiseId}/waiver", new { reason = "Not needed", confirmed = true }), Cancel), HttpStatusCode.PreconditionRequired);
        var renegotiated = await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/promises/{promiseId}/renegotiation", body, etag), Cancel);
        await ProblemAsync(await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/promises/{promiseId}/waiver", new { reason = "Not needed", confirmed = true }, etag), Cancel), HttpStatusCode.PreconditionFailed);

        Assert.Equal(HttpStatusCode.OK, renegotiated.StatusCode);
        var stored = await Db.QueryAsync(db => db.Commitments.AsNoTracking().SingleAsync(c => c.Id == promiseId, Cancel));
        Assert.Equal(new DateOnly(2026, 6, 1), stored.PromisedDate);
        Assert.Equal(CommitmentStatus.Open, stored.Status);
    }

    [Theory]
    [InlineData("Service", HttpStatusCode.OK)]
    [InlineData("RepNorth", HttpStatusCode.Forbidden)]
    [InlineData("Admin", HttpStatusCode.Forbidden)]
    [InlineData("RepSouth", HttpStatusCode.NotFound)]
    public async Task A_milestone_update_is_recorded_for_service_staff_of_its_department_and_refused_to_others(string who, HttpStatusCode expected)
    {
        var people = await PeopleAsync();
        var deal = await Db.CreateDealAsync(people.RepNorth, arrange: d => TestDeals.AddPromise(d).AddMilestone("Build the cell", null, TestDeals.Today.AddDays(20)));
        var milestoneId = deal.Commitments[0].Milestones[0].Id;
        using var client = await host.ClientAsAsync(Actor(people, who));
        var read = await client.GetAsync(new Uri($"/api/v1/milestones/{milestoneId}", UriKind.Relative), Cancel);
        var etag = read.Headers.ETag?.Tag ?? "\"1\"";

        var response = await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/milestones/{milestoneId}/updates",
            new { status = "Blocked", reason = "Waiting for the customer's floor plan", forecastDate = "2026-03-30" }, etag), Cancel);

        if (expected == HttpStatusCode.OK)
        {
            Assert.Equal("Blocked", (await JsonAsync(response)).GetProperty("status").GetString());
            var updates = await JsonAsync(await client.GetAsync(new Uri($"/api/v1/milestones/{milestoneId}/updates", UriKind.Relative), Cancel));
            Assert.Equal("Blocked", Assert.Single(updates.EnumerateArray()).GetProperty("newStatus").GetString());
            await ProblemAsync(await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/milestones/{milestoneId}/updates",
                new { status = "InProgress" }, etag), Cancel), HttpStatusCode.PreconditionFailed);
        }
        else
        {
            await ProblemAsync(response, expected);
            Assert.Equal(MilestoneStatus.NotStarted, await Db.QueryAsync(db => db.Milestones.Where(m => m.Id == milestoneId).Select(m => m.Status).SingleAsync(Cancel)));
        }
    }

    [Fact]
    public async Task A_milestone_update_missing_what_its_status_needs_is_a_validation_problem_naming_the_field()
    {
        var people = await PeopleAsync();
        var deal = await Db.CreateDealAsync(people.RepNorth, arrange: d => TestDeals.AddPromise(d).AddMilestone("Ship", null, TestDeals.Today.AddDays(20)));
        var milestoneId = deal.Commitments[0].Milestones[0].Id;
        using var client = await host.ClientAsAsync(people.Service);
        var etag = (await client.GetAsync(new Uri($"/api/v1/milestones/{milestoneId}", UriKind.Relative), Cancel)).Headers.ETag!.Tag;

        var problem = await ProblemAsync(await client.SendAsync(Request(HttpMethod.Post, $"/api/v1/milestones/{milestoneId}/updates", new { status = "Done" }, etag), Cancel), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("completedOn", out _));
    }

    [Fact]
    public async Task A_read_only_token_reads_but_every_write_is_403()
    {
        var people = await PeopleAsync();
        var deal = await Db.CreateDealAsync(people.RepNorth);
        using var client = await host.ClientAsAsync(people.RepNorth, readOnly: true);
        var read = await client.GetAsync(new Uri($"/api/v1/deals/{deal.Id}", UriKind.Relative), Cancel);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        var problem = await ProblemAsync(await client.SendAsync(Request(HttpMethod.Put, $"/api/v1/deals/{deal.Id}", DealDetails("Read-only rename"), read.Headers.ETag!.Tag), Cancel), HttpStatusCode.Forbidden);
        await ProblemAsync(await client.PostAsJsonAsync(new Uri($"/api/v1/deals/{deal.Id}/promises", UriKind.Relative), new { description = "x" }, Cancel), HttpStatusCode.Forbidden);

        Assert.Contains("read-only", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(deal.Title, await Db.QueryAsync(db => db.Deals.Where(d => d.Id == deal.Id).Select(d => d.Title).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task Revoked_expired_unknown_and_missing_tokens_are_401_problems_with_a_bearer_challenge()
    {
        var people = await PeopleAsync();
        var revoked = await host.TokenAsync(people.RepNorth);
        await using (var db = Db.CreateDbContext())
        {
            var hash = ApiToken.HashOf(revoked);
            var token = await db.ApiTokens.SingleAsync(t => t.TokenHash == hash, Cancel);
            token.Revoke(people.RepNorth.UserId, TestDeals.Now);
            await db.SaveChangesAsync(Cancel);
        }
        var expired = await host.TokenAsync(people.RepNorth, createdAt: TestDeals.Now.AddDays(-31), expiryDays: 30);
        var unknown = "ct_" + new string('A', 43);

        foreach (var (token, why) in new[] { (revoked, "revoked"), (expired, "expired"), (unknown, "not known"), ("not-a-token", "not a CommitmentTracker API token"), ((string?)null, "Bearer") })
        {
            using var client = host.Client(token);
            var response = await client.GetAsync(new Uri("/api/v1/deals", UriKind.Relative), Cancel);
            var problem = await ProblemAsync(response, HttpStatusCode.Unauthorized);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Contains(why, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_token_made_on_the_tokens_page_works_until_its_owner_revokes_it()
    {
        var people = await PeopleAsync();
        await using var scope = host.Factory.Services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<CommitmentTracker.Web.Features.Api.ApiTokensService>();
        var created = await tokens.CreateAsync(people.RepNorth, new CommitmentTracker.Web.Features.Api.NewApiTokenInput { Name = "CRM" }, Cancel);
        using var client = host.Client(created.Secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/deals", UriKind.Relative), Cancel)).StatusCode);

        await tokens.RevokeAsync(people.RepNorth, created.Token.Id, Cancel);

        await ProblemAsync(await client.GetAsync(new Uri("/api/v1/deals", UriKind.Relative), Cancel), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_deactivated_users_token_is_refused()
    {
        var people = await PeopleAsync();
        using var client = await host.ClientAsAsync(people.RepSouth);
        await using (var db = Db.CreateDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == people.RepSouth.UserId, Cancel);
            user.IsActive = false;
            await db.SaveChangesAsync(Cancel);
        }

        await ProblemAsync(await client.GetAsync(new Uri("/api/v1/deals", UriKind.Relative), Cancel), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Using_a_token_records_when_it_was_last_used()
    {
        var people = await PeopleAsync();
        var secret = await host.TokenAsync(people.RepNorth);
        using var client = host.Client(secret);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/deals", UriKind.Relative), Cancel)).StatusCode);

        var hash = ApiToken.HashOf(secret);
        Assert.Equal(TestDeals.Now, await Db.QueryAsync(db => db.ApiTokens.Where(t => t.TokenHash == hash).Select(t => t.LastUsedAt).SingleAsync(Cancel)));
    }

    [Fact]
    public async Task Unknown_routes_and_unreadable_bodies_under_api_are_problem_details_not_the_html_not_found_page()
    {
        var people = await PeopleAsync();
        var deal = await Db.CreateDealAsync(people.RepNorth);
        using var client = await host.ClientAsAsync(people.RepNorth);

        await ProblemAsync(await client.GetAsync(new Uri("/api/v1/no-such-thing", UriKind.Relative), Cancel), HttpStatusCode.NotFound);
        await ProblemAsync(await client.GetAsync(new Uri($"/api/v1/deals/{Guid.NewGuid()}", UriKind.Relative), Cancel), HttpStatusCode.NotFound);
        var broken = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/deals/{deal.Id}") { Content = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json") };
        broken.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        await ProblemAsync(await client.SendAsync(broken, Cancel), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_sign_in_cookie_does_not_authenticate_the_api()
    {
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/deals");
        request.Headers.Add("Cookie", ".AspNetCore.Identity.Application=anything");

        var response = await client.SendAsync(request, Cancel);

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Null(response.Headers.Location); // no redirect to the sign-in page
    }

    private static Actor Actor(People people, string who) => who switch
    {
        "RepNorth" => people.RepNorth,
        "ManagerNorth" => people.ManagerNorth,
        "RepSouth" => people.RepSouth,
        "ManagerSouth" => people.ManagerSouth,
        "Service" => people.Service,
        _ => people.Admin,
    };
}

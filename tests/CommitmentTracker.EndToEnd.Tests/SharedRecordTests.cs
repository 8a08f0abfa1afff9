using System.Net;
using System.Net.Sockets;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Features.DeliveryRecords;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// The delivery record shared with a prospect through a public link: over HTTP the page shows the figures and no customer
/// name, staff e-mail or deal title, carries the security headers, and answers 410 once revoked; in Chromium a rep shares the
/// team's record, a visitor who never signed in opens it, the rep revokes it and the visitor is told it is no longer valid.
/// </summary>
public sealed class SharedRecordTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_public_page_names_no_customer_and_answers_410_once_revoked()
    {
        var (rep, names) = await ArrangeDistinctiveCustomerAsync();
        var records = App.Services.CreateScope().ServiceProvider.GetRequiredService<DeliveryRecordService>();
        var link = await records.CreateLinkAsync(rep, new ShareRecordInput { Note = "Prospect" }, Cancel);
        using var visitor = App.CreateClient();

        using var shown = await visitor.GetAsync(new Uri(link.Path, UriKind.Relative), Cancel);
        var html = await shown.Content.ReadAsStringAsync(Cancel);
        await records.RevokeLinkAsync(rep, link.Id, Cancel);
        using var revoked = await visitor.GetAsync(new Uri(link.Path, UriKind.Relative), Cancel);
        var gone = await revoked.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Contains("Delivery record: Team North", html, StringComparison.Ordinal);
        Assert.Contains("Kept on time", html, StringComparison.Ordinal);
        foreach (var name in names)
            Assert.DoesNotContain(name, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@demo.local", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Prospect", html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self' 'nonce-", string.Join(",", shown.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        Assert.Equal("nosniff", string.Join(",", shown.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join(",", shown.Headers.GetValues("X-Frame-Options")));
        Assert.True(shown.Headers.CacheControl?.NoStore, "The public page must not be cached.");
        Assert.Equal(HttpStatusCode.Gone, revoked.StatusCode);
        Assert.Contains("This link is no longer valid", gone, StringComparison.Ordinal);
        Assert.DoesNotContain("Team North", gone, StringComparison.Ordinal);
        Assert.DoesNotContain("Kept on time", gone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_link_answers_as_a_revoked_one_does_without_asking_to_sign_in()
    {
        using var visitor = App.CreateClient();

        using var response = await visitor.GetAsync(new Uri(SharedRecordService.PathFor(Domain.ShareToken.New().Token), UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("This link is no longer valid", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_address_opening_links_in_a_loop_is_slowed_down_and_other_addresses_are_not()
    {
        // Its own client address (127.0.0.2 is loopback too), so the other tests' requests do not share its allowance.
        using var loop = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }) { BaseAddress = App.BaseAddress };
        var path = new Uri(SharedRecordService.PathFor(Domain.ShareToken.New().Token), UriKind.Relative);

        // More than twice the allowance of 60 a minute: whatever minute boundary falls in the loop, one window overflows.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 125 && limited is null; i++)
        {
            var response = await loop.GetAsync(path, Cancel);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                limited = response;
            else
                response.Dispose();
        }
        using var other = App.CreateClient();
        using var elsewhere = await other.GetAsync(path, Cancel);

        Assert.NotNull(limited);
        Assert.Equal("60", string.Join(",", limited.Headers.GetValues("Retry-After")));
        Assert.Equal("nosniff", string.Join(",", limited.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(SharedRecordRateLimit.Message, await limited.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(HttpStatusCode.Gone, elsewhere.StatusCode);
        limited.Dispose();
    }

    [Fact]
    public async Task A_rep_shares_the_teams_record_a_visitor_opens_it_and_it_stops_once_revoked()
    {
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
        await page.GotoAsync("delivery-record");
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("delivery-record-rate")).ToBeVisibleAsync();

        await page.GetByTestId("delivery-record-share").ClickAsync();
        await Expect(page.OpenDialog()).ToBeVisibleAsync();
        await page.GetByTestId("share-note").FillAsync("Prospect at the trade fair");
        await page.GetByTestId("share-create").ClickAsync();
        await Expect(page.GetByTestId("share-created")).ToBeVisibleAsync();
        var url = await page.GetByTestId("shared-link-url").InputValueAsync();
        await page.GetByTestId("share-done").ClickAsync();
        await Expect(page.OpenDialog()).ToHaveCountAsync(0);
        Assert.StartsWith(App.BaseAddress.ToString(), url, StringComparison.Ordinal);

        // A prospect: a fresh browser context, never signed in.
        var visitor = await OpenPageAsync();
        var opened = await visitor.GotoAsync(url);
        Assert.Equal(200, opened!.Status);
        await Expect(visitor.Locator("h1")).ToHaveTextAsync("Delivery record: Team North");
        await Expect(visitor.GetByTestId("delivery-record-rate")).ToContainTextAsync("%");
        await Expect(visitor.GetByTestId("quarter-bars")).ToBeVisibleAsync();
        Assert.DoesNotContain("Account/Login", visitor.Url, StringComparison.Ordinal);

        var row = page.GetByTestId("shared-link-row").Filter(new LocatorFilterOptions { HasText = "Prospect at the trade fair" });
        await row.GetByTestId("shared-link-revoke").ClickAsync();
        await page.OpenDialog().GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Revoke", Exact = true }).ClickAsync();
        await Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "The link is revoked" })).ToBeVisibleAsync();
        await Expect(row).ToHaveCountAsync(0);

        var again = await visitor.GotoAsync(url);
        Assert.Equal(410, again!.Status);
        await Expect(visitor.Locator("h1")).ToHaveTextAsync("This link is no longer valid");
        await Expect(visitor.GetByTestId("delivery-record-rate")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// A deal of rep@demo's (team North) at an account with a name no page would show by chance, with a promise kept last
    /// week (so it counts); returns the rep and every customer and deal text of team North, which the public page must not show.
    /// </summary>
    private async Task<(Actor Rep, IReadOnlyList<string> Names)> ArrangeDistinctiveCustomerAsync()
    {
        var factory = App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var clock = App.Services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await using var db = await factory.CreateDbContextAsync(Cancel);
        var repId = await db.Users.Where(u => u.Email == DemoUsers.Rep).Select(u => u.Id).SingleAsync(Cancel);
        var checklist = await db.ChecklistTemplates.AsNoTracking().SingleAsync(t => t.IsActive, Cancel);
        var account = Account.Create($"Quokkaborough Zinc Works {Guid.NewGuid():N}"[..32], null, now.AddDays(-40));
        var deal = Deal.Create(account.Id, "Zinc line retrofit for Quokkaborough", repId, Money.Of(50_000m, "EUR"), "Zinc plates at 40 a minute",
            today.AddDays(-40), checklist, now.AddDays(-40), today.AddDays(-40));
        var promise = deal.AddCommitment(
            new CommitmentDraft(CommitmentDirection.Ours, CommitmentKind.Delivery, "Ship the Quokkaborough zinc press", repId, Department.Fulfilment, today.AddDays(-5), null),
            LeadTimes.Defaults, repId, now.AddDays(-40), today.AddDays(-40));
        promise.Complete(today.AddDays(-7), today);
        db.ChangedAt = now;
        db.AddRange(account, deal);
        await db.SaveChangesAsync(Cancel);

        var team = await db.Users.Where(u => u.Id == repId).Select(u => u.TeamId).SingleAsync(Cancel);
        var names = await (
            from d in db.Deals
            join a in db.Accounts on d.AccountId equals a.Id
            where db.Users.Any(u => u.Id == d.OwnerId && u.TeamId == team)
            select new { a.Name, d.Title }).ToListAsync(Cancel);
        var rep = await ActorAccessor.LoadAsync(factory, repId, Cancel) ?? throw new InvalidOperationException("The demo rep is missing.");
        return (rep, [.. names.SelectMany(n => new[] { n.Name, n.Title }).Distinct(), "Quokkaborough"]);
    }
}

using System.Net;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.CustomerLinks;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.EndToEnd.Tests.Accessibility;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Features.CustomerLinks;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// The customer's link in Chromium: a customer who never signed in reads the deal in plain words and nothing internal,
/// acknowledges the checklist, confirms the outcome and writes a comment that the rep then finds in the deal's log; the rep
/// creates and revokes a link on the deal page; a revoked or expired link shows the polite page (410); the page fits a phone
/// and passes axe.
/// </summary>
public sealed class CustomerLinkFlowTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private const string InternalNote = "Keep Gerda away from the buyer's boss";
    private const string SelfCheckAnswer = "I over-promised the install date on my last deal";
    private const string BlockReason = "Supplier Konrad is late with the grippers";

    [Fact]
    public async Task The_customer_reads_the_deal_in_plain_words_and_nothing_internal()
    {
        var deal = await ArrangeAsync();
        var link = await CreateLinkAsync(deal);
        var page = await OpenPageAsync();

        var response = await page.GotoAsync(App.Url(link.Path).ToString());

        Assert.Equal(200, response!.Status);
        Assert.DoesNotContain("Account/Login", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("h1")).ToHaveTextAsync(deal.Title);
        await Expect(page.GetByTestId("customer-outcome")).ToContainTextAsync("Wall tiles at 900 a day with one operator");
        await Expect(page.GetByTestId("customer-ours")).ToContainTextAsync("Install the tile press");
        await Expect(page.GetByTestId("customer-ours")).ToContainTextAsync("Build the press: On hold");
        await Expect(page.GetByTestId("customer-theirs")).ToContainTextAsync("Provide floor plans and site access");
        await Expect(page.GetByTestId("customer-checklist")).ToContainTextAsync("Road to delivery");
        await Expect(page.GetByTestId("customer-road")).ToContainTextAsync("Agreed in principle (now)");
        var html = await page.ContentAsync();
        foreach (var secret in new[] { InternalNote, SelfCheckAnswer, BlockReason, "Self-check", "@demo.local", "AtRisk", "At risk", deal.OtherCustomer })
            Assert.DoesNotContain(secret, html, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await page.SeriousViolationsAsync("the customer's page"));
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task The_customer_acknowledges_confirms_the_outcome_and_comments_and_the_rep_sees_the_comment_in_the_log()
    {
        var deal = await ArrangeAsync();
        var link = await CreateLinkAsync(deal);
        var customer = await OpenPageAsync();
        await customer.GotoAsync(App.Url(link.Path).ToString());

        // A name is required: the message says so and nothing is recorded.
        await customer.ClickAndWaitForNewDocumentAsync(customer.GetByTestId("customer-acknowledge"));
        await Expect(customer.GetByTestId("ack-name-error")).ToHaveTextAsync("Type your name, so we know who confirmed it.");
        Assert.Null((await LoadDealAsync(deal.Id)).ChecklistAcknowledgement);

        await customer.GetByTestId("ack-name").FillAsync("Eva Buyer");
        await customer.ClickAndWaitForNewDocumentAsync(customer.GetByTestId("customer-acknowledge"));
        await Expect(customer.GetByTestId("customer-done")).ToContainTextAsync("acknowledgement of the checklist is recorded");
        await Expect(customer.GetByTestId("customer-acknowledged")).ToContainTextAsync("Acknowledged by Eva Buyer");

        var acceptForm = customer.GetByTestId("customer-accept-form");
        await acceptForm.Locator("input[name='Accept.Name']").FillAsync("Eva Buyer");
        await customer.ClickAndWaitForNewDocumentAsync(acceptForm.GetByTestId("customer-accept"));
        await Expect(customer.GetByTestId("customer-accepted")).ToContainTextAsync("You confirmed this result: Eva Buyer");

        await customer.GetByTestId("comment-name").FillAsync("Eva Buyer");
        await customer.GetByTestId("customer-comment-text").FillAsync("Could the install start on the morning shift?");
        await customer.ClickAndWaitForNewDocumentAsync(customer.GetByTestId("customer-comment-send"));
        await Expect(customer.GetByTestId("customer-done")).ToContainTextAsync("your comment was sent");

        var stored = await LoadDealAsync(deal.Id);
        Assert.Equal(("Eva Buyer", CommunicationChannel.Message), (stored.ChecklistAcknowledgement?.ContactName, stored.ChecklistAcknowledgement?.Channel));
        var outcome = stored.Commitments.Single(c => c.Kind == CommitmentKind.Outcome);
        Assert.Equal((CommitmentStatus.Kept, "Eva Buyer"), (outcome.Status, outcome.Acceptance?.ConfirmedBy));

        var rep = await OpenPageAsync();
        await rep.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
        await rep.GotoAsync($"deals/{deal.Id}");
        await rep.WaitForContentAsync();
        var comment = rep.GetByTestId("communication").Filter(new LocatorFilterOptions { HasText = "Could the install start on the morning shift?" });
        await Expect(comment).ToBeVisibleAsync();
        await Expect(comment).ToContainTextAsync("Eva Buyer");
        await Expect(rep.GetByTestId("customer-link-opened")).Not.ToHaveTextAsync("Not yet");
        Assert.Empty(BrowserErrors);
    }

    [Fact]
    public async Task A_rep_creates_a_link_on_the_deal_page_revokes_it_and_the_customer_is_told_politely()
    {
        var deal = await ArrangeAsync();
        var page = await OpenPageAsync();
        await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
        await page.GotoAsync($"deals/{deal.Id}");
        await page.WaitForContentAsync();
        await Expect(page.GetByTestId("customer-links-empty")).ToBeVisibleAsync();

        await page.GetByTestId("customer-link-new").ClickAsync();
        await Expect(page.OpenDialog()).ToBeVisibleAsync();
        await page.GetByTestId("customer-link-create").ClickAsync();
        await Expect(page.GetByTestId("customer-link-created")).ToBeVisibleAsync();
        var url = await page.GetByTestId("customer-link-url").InputValueAsync();
        await page.GetByTestId("customer-link-done").ClickAsync();
        await Expect(page.OpenDialog()).ToHaveCountAsync(0);
        Assert.StartsWith(App.BaseAddress.ToString(), url, StringComparison.Ordinal);
        var row = page.GetByTestId("customer-link-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("customer-link-state")).ToHaveTextAsync("Active");

        var customer = await OpenPageAsync();
        Assert.Equal(200, (await customer.GotoAsync(url))!.Status);
        await Expect(customer.Locator("h1")).ToHaveTextAsync(deal.Title);

        await row.GetByTestId("customer-link-revoke").ClickAsync();
        await page.OpenDialog().GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Revoke", Exact = true }).ClickAsync();
        await Expect(page.Locator(".mud-snackbar", new PageLocatorOptions { HasText = "The link is revoked" })).ToBeVisibleAsync();
        await Expect(row.GetByTestId("customer-link-state")).ToContainTextAsync("Revoked");

        var again = await customer.GotoAsync(url);
        Assert.Equal(410, again!.Status);
        await Expect(customer.Locator("h1")).ToHaveTextAsync("This link is no longer valid");
        await Expect(customer.GetByTestId("customer-invalid")).ToContainTextAsync("Please contact your representative");
        Assert.DoesNotContain(deal.Title, await customer.ContentAsync(), StringComparison.Ordinal);
        // The browser reports the 410 itself as a failed load; anything else is a fault.
        Assert.DoesNotContain(BrowserErrors, e => !e.Contains("status of 410 (Gone)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_link_shows_the_polite_page_and_takes_no_comment()
    {
        var deal = await ArrangeAsync();
        var (token, hash) = ShareToken.New();
        var factory = App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await factory.CreateDbContextAsync(Cancel))
        {
            var repId = await db.Users.Where(u => u.Email == DemoUsers.Rep).Select(u => u.Id).SingleAsync(Cancel);
            db.CustomerLinks.Add(CustomerLink.Create(deal.Id, hash, 14, repId, DateTimeOffset.UtcNow.AddDays(-15)));
            await db.SaveChangesAsync(Cancel);
        }
        using var visitor = App.CreateClient();

        using var response = await visitor.GetAsync(new Uri(CustomerPageService.PathFor(token), UriKind.Relative), Cancel);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("This link is no longer valid", html, StringComparison.Ordinal);
        Assert.DoesNotContain(deal.Title, html, StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore, "The customer's page must not be cached.");
    }

    [Fact]
    public async Task The_customers_page_fits_a_390_px_phone_and_passes_axe_there()
    {
        var deal = await ArrangeAsync();
        var link = await CreateLinkAsync(deal);
        var page = await OpenPageAsync(viewport: PhoneLayoutTests.Phone);

        await page.GotoAsync(App.Url(link.Path).ToString());
        await Expect(page.Locator("h1")).ToHaveTextAsync(deal.Title);

        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"The customer's page is {widths[0]} px wide on a {widths[1]} px phone.");
        await Expect(page.GetByTestId("customer-comment-send")).ToBeVisibleAsync();
        Assert.Empty(await page.SeriousViolationsAsync("the customer's page on a phone"));
        await SaveDocumentationScreenshotAsync(page, "customer-link-390.png");
    }

    private sealed record Arranged(Guid Id, string Title, string OtherCustomer);

    /// <summary>
    /// A deal of rep@demo's with every required checklist item answered (the outcome in the customer's words), a self-check,
    /// an outcome promise whose steps before the customer's acceptance are done, a delivery with a blocked step (an internal
    /// reason), an obligation of the customer's and an internal note on the log; and another customer of the same rep.
    /// </summary>
    private async Task<Arranged> ArrangeAsync()
    {
        var factory = App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        await using var db = await factory.CreateDbContextAsync(Cancel);
        var repId = await db.Users.Where(u => u.Email == DemoUsers.Rep).Select(u => u.Id).SingleAsync(Cancel);
        var checklist = await db.ChecklistTemplates.AsNoTracking().SingleAsync(t => t.IsActive, Cancel);
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var account = Account.Create($"Wombatville Tiles {suffix}", null, now.AddDays(-10));
        var other = Account.Create($"Platypus Paper Mills {suffix}", null, now.AddDays(-10));
        var deal = Deal.Create(account.Id, $"Tile press for Wombatville {suffix}", repId, Money.Of(80_000m, "EUR"), "Wall tiles at 900 a day",
            today.AddDays(-2), checklist, now.AddDays(-2), today.AddDays(-2));
        var otherDeal = Deal.Create(other.Id, $"Paper line for Platypus {suffix}", repId, Money.Of(20_000m, "EUR"), "Paper", today, checklist, now, today);
        foreach (var item in deal.Checklist.ToList())
        {
            var answer = item.Title switch
            {
                CustomerWording.OutcomeItemTitle => "Wall tiles at 900 a day with one operator",
                CustomerWording.SelfCheckItemTitle => SelfCheckAnswer,
                _ => $"Agreed: {item.Title}",
            };
            deal.AnswerChecklistItem(item.Id, answer, repId, now);
        }
        var outcome = deal.AddCommitment(new CommitmentDraft(CommitmentDirection.Ours, CommitmentKind.Outcome, "900 tiles a day with one operator", repId,
            Department.Service, today.AddDays(80), today.AddDays(90)), LeadTimes.Defaults, repId, now, today);
        var run = outcome.AddMilestone("Run the press for a week", null, today.AddDays(60));
        outcome.AddMilestone("Customer acceptance", null, today.AddDays(70), isCustomerAcceptance: true);
        outcome.UpdateMilestone(run.Id, new MilestoneChange(MilestoneStatus.Done, null, today), repId, now, today);
        var delivery = deal.AddCommitment(new CommitmentDraft(CommitmentDirection.Ours, CommitmentKind.Installation, "Install the tile press", repId,
            Department.Fulfilment, today.AddDays(70), today.AddDays(80)), LeadTimes.Defaults, repId, now, today);
        var build = delivery.AddMilestone("Build the press", null, today.AddDays(40));
        delivery.UpdateMilestone(build.Id, new MilestoneChange(MilestoneStatus.Blocked, null, Reason: BlockReason), repId, now, today);
        deal.AddCommitment(new CommitmentDraft(CommitmentDirection.Theirs, CommitmentKind.Other, "Provide floor plans and site access", repId, Department.Customer,
            today.AddDays(10), null), LeadTimes.Defaults, repId, now, today);
        db.ChangedAt = now;
        db.AddRange(account, other, deal, otherDeal);
        db.Add(CommunicationEntry.Log(deal.Id, null, CommunicationChannel.Phone, CommunicationDirection.Internal, "Rep and manager", InternalNote, now, repId, now));
        await db.SaveChangesAsync(Cancel);
        return new Arranged(deal.Id, deal.Title, other.Name);
    }

    private async Task<CustomerLinkCreated> CreateLinkAsync(Arranged deal)
    {
        var factory = App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        string repId;
        await using (var db = await factory.CreateDbContextAsync(Cancel))
            repId = await db.Users.Where(u => u.Email == DemoUsers.Rep).Select(u => u.Id).SingleAsync(Cancel);
        var rep = await ActorAccessor.LoadAsync(factory, repId, Cancel) ?? throw new InvalidOperationException("The demo rep is missing.");
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<CustomerLinkService>().CreateAsync(rep, deal.Id, new CreateCustomerLinkInput(), Cancel);
    }

    private async Task<Deal> LoadDealAsync(Guid dealId)
    {
        var factory = App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using var db = await factory.CreateDbContextAsync(Cancel);
        return await db.Deals.AsNoTracking().AsSplitQuery()
            .Include(d => d.Commitments).ThenInclude(c => c.Milestones)
            .SingleAsync(d => d.Id == dealId, Cancel);
    }
}

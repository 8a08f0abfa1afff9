using System.Globalization;
using System.Net;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Calendar;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Calendar;

/// <summary>
/// Calendar feeds: what a user's and an account's feed hold, parsed both with Ical.Net and with an independent RFC 5545
/// reader; resetting an address makes the old one fail; nobody sees another user's items or a deal they may not see.
/// </summary>
public sealed class CalendarFeedTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string Base = "https://tracker.example.test";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private CalendarFeedService Feeds() => new(database, new FakeTimeProvider(Now), PublicAddress.Fixed(Base));

    private static string TokenOf(string url) => url[(url.LastIndexOf('/') + 1)..^".ics".Length];

    private static string IcsDate(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>A rep's deal with a promise of theirs (70 days out), a milestone assigned to them (in 20 days) and the deal's touchpoints.</summary>
    private async Task<(Domain.Deals.Deal Deal, Commitment Promise, Milestone Milestone)> ArrangeAsync(Actor rep, string promise, Domain.Accounts.Account? account = null)
    {
        Commitment? c = null;
        Milestone? m = null;
        var deal = await database.CreateDealAsync(rep, account: account, arrange: d =>
        {
            c = AddPromise(d, description: promise);
            m = c.AddMilestone($"Build for {promise}", rep.UserId, Today.AddDays(20));
        });
        return (deal, c!, m!);
    }

    [Fact]
    public async Task The_personal_feed_parses_with_Ical_Net_and_an_independent_parser_and_holds_the_users_dates()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var (deal, promise, milestone) = await ArrangeAsync(rep, "Ship the scanners, 12 units; with care");
        var url = await Feeds().ResetAsync(rep, null, Cancel);
        Assert.StartsWith($"{Base}/calendar/", url, StringComparison.Ordinal);

        var ics = await Feeds().RenderAsync(TokenOf(url), Cancel);
        Assert.NotNull(ics);

        // Ical.Net reads it back.
        var calendar = Ical.Net.Calendar.Load(ics)!;
        var byUid = calendar.Events.ToDictionary(e => e.Uid!);
        var promiseEvent = byUid[$"promise-{promise.Id}@commitmenttracker"];
        Assert.Equal("Promise: Ship the scanners, 12 units; with care", promiseEvent.Summary);
        Assert.False(promiseEvent.DtStart!.HasTime);
        Assert.Equal(promise.PromisedDate, DateOnly.FromDateTime(promiseEvent.DtStart.Value));
        Assert.Equal($"{Base}/deals/{deal.Id}", promiseEvent.Url!.ToString());
        var milestoneEvent = byUid[$"milestone-{milestone.Id}@commitmenttracker"];
        Assert.Equal(Today.AddDays(20), DateOnly.FromDateTime(milestoneEvent.DtStart!.Value));
        var touchpoints = deal.Touchpoints.Where(t => t.IsOpen).ToList();
        Assert.NotEmpty(touchpoints);
        foreach (var t in touchpoints)
            Assert.Equal(t.DueOn, DateOnly.FromDateTime(byUid[$"touchpoint-{t.Id}@commitmenttracker"].DtStart!.Value));
        Assert.Equal(2 + touchpoints.Count, calendar.Events.Count);

        // And so does a reader written for the test, from the RFC alone.
        var events = MiniIcsParser.Events(ics);
        Assert.Equal(calendar.Events.Count, events.Count);
        var mini = events.Single(e => e["UID"].Value == $"promise-{promise.Id}@commitmenttracker");
        Assert.Equal("DATE", mini["DTSTART"].Parameters["VALUE"]);
        Assert.Equal(IcsDate(promise.PromisedDate), mini["DTSTART"].Value);
        Assert.Equal(IcsDate(promise.PromisedDate.AddDays(1)), mini["DTEND"].Value);
        Assert.Equal("Promise: Ship the scanners, 12 units; with care", MiniIcsParser.Text(mini["SUMMARY"].Value));
        Assert.All(events, e => Assert.True(e.ContainsKey("DTSTAMP") && e.ContainsKey("UID") && e.ContainsKey("SUMMARY")));
        var lines = MiniIcsParser.Lines(ics);
        Assert.Equal("VCALENDAR", lines[0].Value);
        Assert.Contains(lines, l => l.Name == "VERSION" && l.Value == "2.0");
        Assert.Contains(lines, l => l.Name == "PRODID");

        // The same items keep the same UIDs from one fetch to the next.
        var again = MiniIcsParser.Events((await Feeds().RenderAsync(TokenOf(url), Cancel))!);
        Assert.Equal(events.Select(e => e["UID"].Value).Order(), again.Select(e => e["UID"].Value).Order());
    }

    [Fact]
    public async Task Resetting_the_address_makes_the_old_one_fail()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        await ArrangeAsync(rep, "Install the line");
        var old = await Feeds().ResetAsync(rep, null, Cancel);
        Assert.NotNull(await Feeds().RenderAsync(TokenOf(old), Cancel));

        var fresh = await Feeds().ResetAsync(rep, null, Cancel);

        Assert.NotEqual(old, fresh);
        Assert.Null(await Feeds().RenderAsync(TokenOf(old), Cancel));
        Assert.NotNull(await Feeds().RenderAsync(TokenOf(fresh), Cancel));
        Assert.True((await Feeds().StatusAsync(rep, null, Cancel)).Exists);

        await Feeds().RemoveAsync(rep, null, Cancel);
        Assert.Null(await Feeds().RenderAsync(TokenOf(fresh), Cancel));
        Assert.False((await Feeds().StatusAsync(rep, null, Cancel)).Exists);
        Assert.Null(await Feeds().RenderAsync("not-a-token", Cancel));
    }

    [Fact]
    public async Task Another_users_items_are_not_in_a_users_feed()
    {
        var mine = await database.CreateAsync(AppRoles.Rep);
        var theirs = await database.CreateAsync(AppRoles.Rep);
        var (_, myPromise, _) = await ArrangeAsync(mine, "My promise");
        var (theirDeal, theirPromise, theirMilestone) = await ArrangeAsync(theirs, "Their promise");

        var ics = (await Feeds().RenderAsync(TokenOf(await Feeds().ResetAsync(mine, null, Cancel)), Cancel))!;

        var uids = MiniIcsParser.Events(ics).Select(e => e["UID"].Value).ToList();
        Assert.Contains($"promise-{myPromise.Id}@commitmenttracker", uids);
        Assert.DoesNotContain(uids, u => u.Contains(theirPromise.Id.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain(uids, u => u.Contains(theirMilestone.Id.ToString(), StringComparison.Ordinal));
        Assert.All(theirDeal.Touchpoints, t => Assert.DoesNotContain(uids, u => u.Contains(t.Id.ToString(), StringComparison.Ordinal)));
        Assert.DoesNotContain("Their promise", ics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_account_feed_holds_only_the_deals_its_user_may_see()
    {
        var account = await database.CreateAccountAsync();
        var teamA = await database.CreateTeamAsync();
        var teamB = await database.CreateTeamAsync();
        var repA = await database.CreateAsync(AppRoles.Rep, teamA);
        var repB = await database.CreateAsync(AppRoles.Rep, teamB);
        var admin = await database.CreateAsync(AppRoles.Admin);
        var (_, promiseA, milestoneA) = await ArrangeAsync(repA, "Team A's promise", account);
        var (_, promiseB, _) = await ArrangeAsync(repB, "Team B's promise", account);
        await ArrangeAsync(repA, "Another account's promise");

        var forA = MiniIcsParser.Events((await Feeds().RenderAsync(TokenOf(await Feeds().ResetAsync(repA, account.Id, Cancel)), Cancel))!);
        var forAdmin = MiniIcsParser.Events((await Feeds().RenderAsync(TokenOf(await Feeds().ResetAsync(admin, account.Id, Cancel)), Cancel))!);

        var summaries = forA.Select(e => MiniIcsParser.Text(e["SUMMARY"].Value)).ToList();
        Assert.Contains("Promise: Team A's promise", summaries);
        Assert.Contains($"Milestone: Build for Team A's promise", summaries);
        Assert.DoesNotContain(summaries, s => s.Contains("Team B", StringComparison.Ordinal) || s.Contains("Another account", StringComparison.Ordinal));
        Assert.Contains(forA, e => e["UID"].Value == $"account-{account.Id:N}-promise-{promiseA.Id}@commitmenttracker");
        Assert.Contains(forA, e => e["UID"].Value == $"account-{account.Id:N}-milestone-{milestoneA.Id}@commitmenttracker");
        Assert.Contains(forAdmin, e => e["UID"].Value.Contains(promiseB.Id.ToString(), StringComparison.Ordinal));
        Assert.Contains(forAdmin, e => e["UID"].Value.Contains(promiseA.Id.ToString(), StringComparison.Ordinal));
        Assert.False((await Feeds().StatusAsync(repA, null, Cancel)).Exists);
    }

    [Fact]
    public async Task The_app_serves_the_feed_as_text_calendar_and_a_reset_address_answers_404()
    {
        var keys = Directory.CreateTempSubdirectory("ct-calendar-keys-");
        try
        {
            var rep = await database.CreateAsync(AppRoles.Rep);
            var (_, promise, _) = await ArrangeAsync(rep, "Served over HTTP");
            var old = TokenOf(await Feeds().ResetAsync(rep, null, Cancel));
            var current = TokenOf(await Feeds().ResetAsync(rep, null, Cancel));
            await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
            {
                builder.UseEnvironment("Development");
                builder.UseSetting("ConnectionStrings:Owner", database.OwnerConnectionString);
                builder.UseSetting("ConnectionStrings:Default", database.ConnectionString);
                builder.UseSetting("Demo:Enabled", "false");
                builder.UseSetting("Risk:SweepEnabled", "false");
                builder.UseSetting("DataProtection:KeysDirectory", keys.FullName);
                builder.UseSetting("Email:PickupDirectory", Path.Combine(keys.FullName, "mail"));
            });
            using var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

            using var response = await client.GetAsync(new Uri($"calendar/{current}.ics", UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
            var body = await response.Content.ReadAsStringAsync(Cancel);
            Assert.Contains(MiniIcsParser.Events(body), e => e["UID"].Value == $"promise-{promise.Id}@commitmenttracker");

            using var stale = await client.GetAsync(new Uri($"calendar/{old}.ics", UriKind.Relative), Cancel);
            Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }
}

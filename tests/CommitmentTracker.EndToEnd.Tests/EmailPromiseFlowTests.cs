using System.Globalization;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.EndToEnd.Tests.Infrastructure;
using CommitmentTracker.Web.Features.InboundMail;
using CommitmentTracker.Web.Persistence;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace CommitmentTracker.EndToEnd.Tests;

/// <summary>
/// A rep BCCs a deal's address on a mail that promises a delivery date: the mail is on the deal's log, its promise
/// sentence is highlighted, and "Make a promise" then "Save promise" log the promise with the sentence as its evidence.
/// </summary>
public sealed class EmailPromiseFlowTests(AppHost app, BrowserFixture browser)
    : BrowserTest(app, browser), IClassFixture<AppHost>, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_promise_sentence_of_a_logged_email_is_highlighted_and_becomes_a_promise_in_two_clicks()
    {
        // This class's app receives mail: its options are turned on and a listener is started on a free port.
        var options = App.Services.GetRequiredService<IOptions<InboundMailOptions>>();
        options.Value.Enabled = true;
        options.Value.AcceptedDomains = ["ct.test"];
        options.Value.Port = FreePort();
        using var listener = new MailListener(options, App.Services.GetRequiredService<IServiceScopeFactory>(), NullLogger<MailListener>.Instance);
        await listener.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var deal = await OpenDealOfRepAsync();
            var promised = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(90);
            var sentence = $"We will deliver the remaining scanners by {promised.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}.";
            var message = new MimeMessage();
            message.From.Add(new MailboxAddress("Rep", DemoUsers.Rep));
            message.To.Add(new MailboxAddress("Buyer", "buyer@customer.example"));
            message.Subject = "Your scanners";
            message.Body = new TextPart("plain") { Text = $"Hello,\n\nthanks for the order. {sentence}\n\nBest regards,\nRep" };
            using (var client = new SmtpClient())
            {
                await client.ConnectAsync("127.0.0.1", options.Value.Port, MailKit.Security.SecureSocketOptions.None, TestContext.Current.CancellationToken);
                await client.SendAsync(message, MailboxAddress.Parse(DemoUsers.Rep), [MailboxAddress.Parse($"{Domain.Communications.InboundAddress.DealLocalPart(deal)}@ct.test")], TestContext.Current.CancellationToken);
                await client.DisconnectAsync(true, TestContext.Current.CancellationToken);
            }

            var page = await OpenPageAsync();
            await page.SignInAsync(DemoUsers.Rep, DemoUsers.Password);
            await page.GotoAsync(App.Url($"deals/{deal}").ToString());
            await page.WaitForInteractiveAsync();
            await Expect(page.GetByTestId("deal-mail-address-value")).ToHaveTextAsync($"{Domain.Communications.InboundAddress.DealLocalPart(deal)}@ct.test");

            await page.GetByTestId("communication-show-email").First.ClickAsync();
            var highlighted = page.GetByTestId("email-promise-sentence");
            await Expect(highlighted).ToHaveTextAsync(sentence);
            await page.GetByTestId("email-make-promise").ClickAsync();         // click 1
            await Expect(page.GetByTestId("promise-evidence-note")).ToContainTextAsync(sentence);
            await page.GetByTestId("promise-save").ClickAsync();               // click 2

            var row = page.GetByTestId("promises").Locator("tbody tr", new LocatorLocatorOptions { HasText = "remaining scanners" });
            await Expect(row.GetByTestId("promise-evidence")).ToContainTextAsync(sentence);
            await Expect(row).ToContainTextAsync("Delivery");
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }

    private async Task<Guid> OpenDealOfRepAsync()
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var repId = await db.Users.Where(u => u.Email == DemoUsers.Rep).Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken);
        return await db.Deals.Where(d => d.OwnerId == repId && (d.Stage == DealStage.Verbal || d.Stage == DealStage.Ordered))
            .OrderBy(d => d.Title).Select(d => d.Id).FirstAsync(TestContext.Current.CancellationToken);
    }

    private static int FreePort()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}

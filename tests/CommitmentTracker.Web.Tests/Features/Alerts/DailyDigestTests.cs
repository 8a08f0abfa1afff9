using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Alerts;

/// <summary>The daily digest: a manager's team's AtRisk and Late promises, sent once a day from the digest hour.</summary>
public sealed class DailyDigestTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static readonly DateTimeOffset SevenUtc = new(2026, 3, 2, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_digest_lists_only_the_at_risk_and_late_promises_of_the_managers_team_most_urgent_first()
    {
        var ours = await TeamWithTroubleAsync();
        var (otherTeam, _) = await database.CreateManagedTeamAsync();
        var otherRep = await database.CreateAsync(AppRoles.Rep, otherTeam);
        await database.CreateDealAsync(otherRep, arrange: d => AddBlockedPromise(d, "Other team's install"));

        var digest = await new DigestService(database).BuildAsync(ours.Manager.UserId, Now.AddDays(31), Cancel);

        Assert.NotNull(digest);
        Assert.Equal(new DateOnly(2026, 4, 2), digest.Date);
        Assert.Equal(["Ship the robot cell (urgent)", "Install the line"], digest.Promises.Select(p => p.Description));
        Assert.Equal([RiskLevel.Late, RiskLevel.AtRisk], digest.Promises.Select(p => p.Level));
        var install = digest.Promises[1];
        Assert.Equal(ours.Rep.DisplayName, install.RepName);
        Assert.Contains(install.Reasons, r => r.Contains("blocked", StringComparison.Ordinal) && r.Contains("Waiting for the gearbox", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_digest_goes_out_once_a_day_from_the_digest_hour_and_again_the_next_day()
    {
        await using var sink = SmtpSink.Start();
        var ours = await TeamWithTroubleAsync();
        var managerEmail = await database.EmailOfAsync(ours.Manager);
        var clock = new FakeTimeProvider(SevenUtc.AddMinutes(-1));
        var sender = Sender(sink, clock);

        await sender.SendDueAsync(Cancel);
        var beforeTheHour = sink.To(managerEmail).Count;
        clock.SetUtcNow(SevenUtc);
        await sender.SendDueAsync(Cancel);
        clock.Advance(TimeSpan.FromHours(3));
        await Sender(sink, clock).SendDueAsync(Cancel); // a restarted or second instance
        var onTheDay = sink.To(managerEmail);
        clock.Advance(TimeSpan.FromDays(1));
        await sender.SendDueAsync(Cancel);

        Assert.Equal(0, beforeTheHour);
        var digest = Assert.Single(onTheDay);
        Assert.Equal("At-risk promises of your team, 2 Mar: 1 late, 1 at risk", digest.Message.Subject);
        var late = digest.Body.IndexOf("LATE: Ship the robot cell (urgent)", StringComparison.Ordinal);
        var atRisk = digest.Body.IndexOf("AT RISK: Install the line", StringComparison.Ordinal);
        Assert.True(late >= 0 && late < atRisk, digest.Body);
        Assert.Contains($"{TestAlerts.AppUrl}/deals/{ours.InstallDealId}", digest.Body, StringComparison.Ordinal);
        Assert.Equal(2, sink.To(managerEmail).Count);
    }

    [Fact]
    public async Task A_manager_with_nothing_at_risk_gets_no_mail_and_the_day_counts_as_done()
    {
        await using var sink = SmtpSink.Start();
        var (team, manager) = await database.CreateManagedTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        await database.CreateDealAsync(rep, arrange: d => AddPromise(d));

        await Sender(sink, new FakeTimeProvider(SevenUtc.AddHours(1))).SendDueAsync(Cancel);

        Assert.Empty(sink.To(await database.EmailOfAsync(manager)));
        var record = await database.QueryAsync(db => db.DailyDigests.AsNoTracking().SingleAsync(d => d.ManagerId == manager.UserId, Cancel));
        Assert.Equal((new DateOnly(2026, 3, 2), 0), (record.Date, record.Promises));
    }

    private DailyDigestSender Sender(SmtpSink sink, TimeProvider clock)
    {
        var options = TestAlerts.Smtp(sink.Port);
        return new DailyDigestSender(
            database, new DigestService(database), TestAlerts.Mail(options), clock, Options.Create(options), TestAlerts.Links, NullLogger<DailyDigestSender>.Instance);
    }

    private sealed record Trouble(Actor Manager, Actor Rep, Guid InstallDealId, Guid ShipDealId);

    /// <summary>
    /// A managed team whose rep has a blocked install (AtRisk) beside an on-track training on one deal, and on another a
    /// shipment that is Late once a change is saved after its promised date.
    /// </summary>
    private async Task<Trouble> TeamWithTroubleAsync()
    {
        var (team, manager) = await database.CreateManagedTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var install = await database.CreateDealAsync(rep, arrange: d =>
        {
            AddBlockedPromise(d, "Install the line");
            AddPromise(d, CommitmentKind.Training, description: "Train the operators");
        });
        Commitment? ship = null;
        var shipDeal = await database.CreateDealAsync(rep, arrange: d => ship = AddPromise(d, promisedInDays: 30, description: "Ship the robot cell"));
        await database.QueryAsync(async db =>
        {
            db.ChangedAt = Now.AddDays(31);
            var stored = await db.Commitments.SingleAsync(c => c.Id == ship!.Id, Cancel);
            stored.Describe("Ship the robot cell (urgent)", stored.OwnerId, stored.NeedDate);
            return await db.SaveChangesAsync(Cancel);
        });
        return new Trouble(manager, rep, install.Id, shipDeal.Id);
    }

    private static void AddBlockedPromise(Domain.Deals.Deal deal, string description)
    {
        var promise = AddPromise(deal, CommitmentKind.Installation, promisedInDays: 60, description: description);
        var milestone = promise.AddMilestone("Install", null, Today.AddDays(50));
        promise.UpdateMilestone(milestone.Id, new MilestoneChange(MilestoneStatus.Blocked, null, Reason: "Waiting for the gearbox"), deal.OwnerId, Now, Today);
    }
}

using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Domain.Teams;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Persistence.Changes;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Alerts;

/// <summary>A team with its appointed manager and a rep, and a deal of the rep with one promise of ours (on track).</summary>
public sealed record AlertScene(Team Team, Actor Manager, Actor Rep, Deal Deal, Commitment Promise);

/// <summary>Teams with managers, alerts in the outbox, and the mail side wired to a given SMTP server or folder.</summary>
public static class TestAlerts
{
    public const string AppUrl = "https://ct.example.test";

    public static async Task<(Team Team, Actor Manager)> CreateManagedTeamAsync(this TestDatabase database)
    {
        var team = await database.CreateTeamAsync();
        var manager = await database.CreateAsync(AppRoles.Manager, team);
        await database.QueryAsync(async db =>
        {
            (await db.Teams.SingleAsync(t => t.Id == team.Id, TestContext.Current.CancellationToken)).AppointManager(manager.UserId);
            return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
        return (team, manager);
    }

    public static async Task<AlertScene> CreateSceneAsync(this TestDatabase database)
    {
        var (team, manager) = await database.CreateManagedTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        Commitment? promise = null;
        var deal = await database.CreateDealAsync(rep, arrange: d => promise = AddPromise(d));
        return new AlertScene(team, manager, rep, deal, promise!);
    }

    /// <summary>An alert in the outbox, as the risk evaluation writes it.</summary>
    public static async Task<Alert> InsertAlertAsync(
        this TestDatabase database, AlertScene scene, Actor recipient, DateTimeOffset? detectedAt = null, int attempts = 0, RiskLevel level = RiskLevel.AtRisk)
    {
        var alert = new Alert
        {
            CommitmentId = scene.Promise.Id,
            DealId = scene.Deal.Id,
            RecipientId = recipient.UserId,
            Level = level,
            Title = $"At risk: {scene.Promise.Description} ({scene.Deal.Title})",
            Reasons = "Install forecast 12 Mar is 5 days past the promised 7 Mar",
            DetectedAt = detectedAt ?? Now,
            EmailAttempts = attempts,
        };
        await database.InsertAsync(alert);
        return alert;
    }

    public static Task<Alert> StoredAlertAsync(this TestDatabase database, Guid alertId) =>
        database.QueryAsync(db => db.Alerts.AsNoTracking().SingleAsync(a => a.Id == alertId, TestContext.Current.CancellationToken));

    public static EmailOptions Smtp(int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        SecureSocketOptions = SecureSocketOptions.None,
        From = "CommitmentTracker <alerts@ct.example.test>",
        TimeoutSeconds = 10,
    };

    public static MailSender Mail(EmailOptions options) => new(Options.Create(options), NullLogger<MailSender>.Instance);

    /// <summary>The links of the mails: the configured public address of a test.</summary>
    public static PublicAddress Links { get; } = PublicAddress.Fixed(AppUrl);

    public static AlertMailDispatcher Dispatcher(this TestDatabase database, EmailOptions options, TimeProvider clock, PublicAddress? links = null) =>
        new(database, Mail(options), new ChangeFeed(), clock, Options.Create(options), links ?? Links, NullLogger<AlertMailDispatcher>.Instance);

    /// <summary>The mails the sink received for this address.</summary>
    public static List<ReceivedMail> To(this SmtpSink sink, string email) =>
        [.. sink.Received.Where(m => m.EnvelopeTo.Contains(email, StringComparer.OrdinalIgnoreCase))];

    public static Task<string> EmailOfAsync(this TestDatabase database, Actor person) =>
        database.QueryAsync(db => db.Users.Where(u => u.Id == person.UserId).Select(u => u.Email!).SingleAsync(TestContext.Current.CancellationToken));
}

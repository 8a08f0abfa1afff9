using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Integrations;
using CommitmentTracker.Web.Features.Webhooks;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Persistence.Changes;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Webhooks;

/// <summary>Builds the webhook service and dispatcher on a test database, and raises events through the domain.</summary>
internal static class TestWebhooks
{
    private static readonly ServiceProvider Http = new ServiceCollection().AddHttpClient().BuildServiceProvider();

    public static WebhookOptions Options(bool allowHttpLoopback = true, int pollSeconds = 15) =>
        new() { AllowHttpLoopback = allowHttpLoopback, TimeoutSeconds = 5, PollSeconds = pollSeconds };

    public static WebhooksService Service(this TestDatabase database, TimeProvider? clock = null, bool allowHttpLoopback = true) =>
        new(database, clock ?? TimeProvider.System, new WebhookInputValidator(), Microsoft.Extensions.Options.Options.Create(Options(allowHttpLoopback)));

    public static WebhookDispatcher Dispatcher(this TestDatabase database, TimeProvider clock, int pollSeconds = 15) =>
        new(database, Http.GetRequiredService<IHttpClientFactory>(), new ChangeFeed(), clock,
            Microsoft.Extensions.Options.Options.Create(Options(pollSeconds: pollSeconds)), NullLogger<WebhookDispatcher>.Instance);

    /// <summary>Registers a hook (as an admin) and returns its id and secret.</summary>
    public static async Task<(Guid Id, string Secret)> RegisterAsync(this TestDatabase database, Actor admin, string url, bool isActive = true, params WebhookEvent[] events) =>
        await database.Service().CreateAsync(admin, new WebhookInput
        {
            Name = $"Hook {Guid.NewGuid():N}"[..13],
            Url = url,
            Events = events.Length == 0 ? [WebhookEvent.DealStageChanged] : [.. events],
            IsActive = isActive,
        }, TestContext.Current.CancellationToken);

    /// <summary>A new Verbal deal of the rep's, then marked lost in a second save: one <c>deal.stage_changed</c> event.</summary>
    public static async Task<Deal> LoseADealAsync(this TestDatabase database, Actor rep, IDbContextFactory<AppDbContext>? factory = null)
    {
        var created = await database.CreateDealAsync(rep);
        await using var db = factory is null ? database.CreateDbContext() : await factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        db.ChangedAt = Now;
        var deal = await db.LoadDealAsync(created.Id, tracked: true);
        deal.MarkLost(LostReason.NoBudget, null, rep.UserId, Now);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return deal;
    }

    /// <summary>The deliveries whose body names <paramref name="id"/> (a deal or promise), for one hook or all.</summary>
    public static Task<List<WebhookDelivery>> DeliveriesAboutAsync(this TestDatabase database, Guid id, Guid? webhookId = null) =>
        database.QueryAsync(db => db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Body.Contains(id.ToString()) && (webhookId == null || d.WebhookId == webhookId))
            .ToListAsync(TestContext.Current.CancellationToken));
}

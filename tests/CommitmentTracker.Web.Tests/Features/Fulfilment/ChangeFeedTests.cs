using CommitmentTracker.Domain;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Persistence.Changes;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Features.Fulfilment.TestMilestones;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Fulfilment;

/// <summary>
/// Live updates: a saved milestone update reaches a real <see cref="ChangeListener"/> through PostgreSQL NOTIFY,
/// which raises <see cref="ChangeFeed.DealsChanged"/> with the deal's id.
/// </summary>
public sealed class ChangeFeedTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    /// <summary>A bound so a broken feed fails the test instead of hanging it; not a timing assertion.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly ChangeFeed _feed = new();
    private readonly ListeningSignal _signal = new();
    private readonly FulfilmentService _fulfilment = database.CreateFulfilmentService(new FakeTimeProvider(Now));
    private ChangeListener? _listener;

    public async ValueTask InitializeAsync()
    {
        _listener = new ChangeListener(database, _feed, _signal);
        await _listener.StartAsync(Cancel);
        // A NOTIFY sent before LISTEN took effect would be lost: wait until the listener says it listens.
        await _signal.Listening.WaitAsync(Patience, Cancel);
    }

    public async ValueTask DisposeAsync()
    {
        if (_listener is null)
            return;
        await _listener.StopAsync(CancellationToken.None);
        _listener.Dispose();
    }

    [Fact]
    public async Task A_saved_milestone_update_is_announced_with_its_deal()
    {
        var (rep, service) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60)]);
        var announced = NextChangeNaming(promise.DealId);

        await _fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Blocked("Waiting for the gearbox", Today.AddDays(80)), Cancel);

        Assert.Contains(promise.DealId, (await announced.WaitAsync(Patience, Cancel)).DealIds);
    }

    [Fact]
    public async Task A_bulk_update_across_two_deals_announces_both_deals_in_one_notification()
    {
        var (rep, service) = await PeopleAsync();
        var first = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60)]);
        var second = await database.CreatePlannedPromiseAsync(rep, [new("Install", PlannedInDays: 65)]);
        var announced = NextChangeNaming(first.DealId, second.DealId);

        await _fulfilment.UpdateManyAsync(service, [await database.RefAsync(first.Milestone(1)), await database.RefAsync(second.Milestone(1))], InProgress(), Cancel);

        var change = await announced.WaitAsync(Patience, Cancel);
        Assert.Equal(2, change.DealIds.Count);
    }

    /// <summary>Completes with the first change that names every one of <paramref name="dealIds"/>; subscribe before saving.</summary>
    private Task<DealsChanged> NextChangeNaming(params Guid[] dealIds)
    {
        var seen = new TaskCompletionSource<DealsChanged>(TaskCreationOptions.RunContinuationsAsynchronously);
        _feed.DealsChanged += change =>
        {
            if (dealIds.All(change.DealIds.Contains))
                seen.TrySetResult(change);
        };
        return seen.Task;
    }

    private async Task<(Actor Rep, Actor Service)> PeopleAsync() =>
        (await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync()),
         await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment));

    /// <summary>A logger that tells when the listener has subscribed to its channel (it logs once it has).</summary>
    private sealed class ListeningSignal : ILogger<ChangeListener>
    {
        private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Listening => _listening.Task;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Information && formatter(state, exception).StartsWith("Listening", StringComparison.Ordinal))
                _listening.TrySetResult();
        }
    }
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Features.Fulfilment.TestMilestones;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Fulfilment;

/// <summary>No lost updates: the second of two saves from the same version is refused and told why; bulk updates are all or nothing.</summary>
public sealed class FulfilmentConcurrencyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly FulfilmentService _fulfilment = database.CreateFulfilmentService(new FakeTimeProvider(Now));

    [Fact]
    public async Task The_second_of_two_saves_from_the_same_version_is_refused_with_who_changed_what()
    {
        var (rep, svea, olaf) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60)]);
        var seenByBoth = await database.RefAsync(promise.Milestone(1));
        var forecast = promise.PromisedDate.AddDays(5);

        await _fulfilment.UpdateAsync(svea, seenByBoth, Blocked("Waiting for the gearbox", forecast), Cancel);
        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _fulfilment.UpdateAsync(olaf, seenByBoth, InProgress(forecast: promise.PromisedDate.AddDays(-5), note: "Packing started"), Cancel));

        Assert.Contains("Svea Sorensen changed it", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Status NotStarted → Blocked", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"Forecast date (empty) → {forecast:yyyy-MM-dd}", ex.Message, StringComparison.Ordinal);
        var stored = await database.LoadMilestoneAsync(promise.Milestone(1));
        Assert.Equal((MilestoneStatus.Blocked, (DateOnly?)forecast, "Waiting for the gearbox"), (stored.Status, stored.ForecastDate, stored.StatusReason));
        Assert.Equal(svea.UserId, Assert.Single(stored.Updates).ByUserId);
        Assert.Equal(0, await database.QueryAsync(db => db.AuditEntries.CountAsync(a => a.ChangedBy == olaf.UserId, Cancel)));
    }

    [Fact]
    public async Task After_a_conflict_the_second_user_can_reapply_their_change_on_the_latest_version()
    {
        var (rep, svea, olaf) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60)]);
        var seenByBoth = await database.RefAsync(promise.Milestone(1));
        await _fulfilment.UpdateAsync(svea, seenByBoth, Blocked("Waiting for the gearbox"), Cancel);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _fulfilment.UpdateAsync(olaf, seenByBoth, InProgress(note: "Gearbox arrived"), Cancel));

        await _fulfilment.UpdateAsync(olaf, await database.RefAsync(promise.Milestone(1)), InProgress(note: "Gearbox arrived"), Cancel);

        var stored = await database.LoadMilestoneAsync(promise.Milestone(1));
        Assert.Equal((MilestoneStatus.InProgress, olaf.UserId), (stored.Status, stored.LastUpdatedBy));
        Assert.Equal(
            [(MilestoneStatus.NotStarted, MilestoneStatus.Blocked, svea.UserId), (MilestoneStatus.Blocked, MilestoneStatus.InProgress, olaf.UserId)],
            stored.Updates.Select(u => (u.OldStatus, u.NewStatus, u.ByUserId)).OrderBy(u => u.OldStatus));
    }

    [Fact]
    public async Task A_bulk_update_with_one_milestone_changed_since_saves_none_of_them()
    {
        var (rep, svea, olaf) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 50), new("Install", PlannedInDays: 55), new("Train", PlannedInDays: 60)]);
        var seen = await Task.WhenAll(promise.MilestoneIds.Select(database.RefAsync));
        await _fulfilment.UpdateAsync(svea, seen[1], InProgress(note: "Installer booked"), Cancel);
        var updatesBefore = await database.UpdateCountAsync(promise.MilestoneIds);

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            _fulfilment.UpdateManyAsync(olaf, seen, Blocked("Site not ready", promise.PromisedDate.AddDays(10)), Cancel));

        Assert.Contains("set of milestones", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Svea Sorensen changed it", ex.Message, StringComparison.Ordinal);
        await AssertStatusesAsync(promise, MilestoneStatus.NotStarted, MilestoneStatus.InProgress, MilestoneStatus.NotStarted);
        Assert.Equal(updatesBefore, await database.UpdateCountAsync(promise.MilestoneIds));
    }

    [Fact]
    public async Task A_bulk_update_with_one_milestone_of_someone_else_saves_none_of_them()
    {
        var (rep, svea, olaf) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep,
            [new("Ship", PlannedInDays: 50), new("Install", olaf.UserId, PlannedInDays: 55), new("Train", svea.UserId, PlannedInDays: 60)]);
        var auditBefore = await database.AuditCountAsync(promise.DealId);

        var ex = await Assert.ThrowsAsync<AccessDeniedException>(async () =>
            await _fulfilment.UpdateManyAsync(olaf, await Task.WhenAll(promise.MilestoneIds.Select(database.RefAsync)), InProgress(), Cancel));

        Assert.Contains("\"Train\"", ex.Message, StringComparison.Ordinal);
        await AssertStatusesAsync(promise, MilestoneStatus.NotStarted, MilestoneStatus.NotStarted, MilestoneStatus.NotStarted);
        Assert.Equal(0, await database.UpdateCountAsync(promise.MilestoneIds));
        Assert.Equal(auditBefore, await database.AuditCountAsync(promise.DealId));
    }

    [Fact]
    public async Task A_bulk_update_with_one_milestone_of_a_waived_promise_saves_none_of_them()
    {
        var (rep, _, olaf) = await PeopleAsync();
        var open = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 50), new("Install", PlannedInDays: 55)]);
        var waived = await database.CreatePlannedPromiseAsync(rep, [new("Train", PlannedInDays: 60)], CommitmentKind.Training);
        await using (var db = database.CreateDbContext())
        {
            var deal = await db.LoadDealAsync(waived.DealId, tracked: true);
            deal.WaiveCommitment(waived.CommitmentId, "The customer trains their own people.", rep.UserId, Now);
            await db.SaveChangesAsync(Cancel);
        }
        MilestoneRef[] selected = [await database.RefAsync(open.Milestone(1)), await database.RefAsync(open.Milestone(2)), await database.RefAsync(waived.Milestone(1))];
        // Waiving skipped the waived promise's milestone (one update in its history).
        var updatesBefore = await database.UpdateCountAsync([.. open.MilestoneIds, .. waived.MilestoneIds]);

        var ex = await Assert.ThrowsAsync<DomainException>(() => _fulfilment.UpdateManyAsync(olaf, selected, InProgress(), Cancel));

        Assert.Contains("waived", ex.Message, StringComparison.Ordinal);
        await AssertStatusesAsync(open, MilestoneStatus.NotStarted, MilestoneStatus.NotStarted);
        Assert.Equal(1, updatesBefore);
        Assert.Equal(updatesBefore, await database.UpdateCountAsync([.. open.MilestoneIds, .. waived.MilestoneIds]));
        Assert.Equal(selected, await Task.WhenAll(selected.Select(s => database.RefAsync(s.MilestoneId))));
    }

    [Fact]
    public async Task A_bulk_skip_that_includes_the_customers_acceptance_saves_none_of_them()
    {
        var (rep, _, olaf) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep,
            [new("Configure alarm routing", PlannedInDays: 50), new("Customer acceptance", PlannedInDays: 60, IsCustomerAcceptance: true)], CommitmentKind.Outcome);

        var ex = await Assert.ThrowsAsync<ValidationException>(async () =>
            await _fulfilment.UpdateManyAsync(olaf, await Task.WhenAll(promise.MilestoneIds.Select(database.RefAsync)), Skipped("Not needed."), Cancel));

        Assert.Contains("The customer's acceptance cannot be skipped.", ex.Message, StringComparison.Ordinal);
        await AssertStatusesAsync(promise, MilestoneStatus.NotStarted, MilestoneStatus.NotStarted);
        Assert.Equal(0, await database.UpdateCountAsync(promise.MilestoneIds));
    }

    [Fact]
    public async Task A_bulk_update_of_current_versions_saves_every_milestone_and_one_update_each()
    {
        var (rep, _, olaf) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 50), new("Install", PlannedInDays: 55), new("Train", PlannedInDays: 60)]);

        await _fulfilment.UpdateManyAsync(olaf, await Task.WhenAll(promise.MilestoneIds.Select(database.RefAsync)), Blocked("Site not ready"), Cancel);

        await AssertStatusesAsync(promise, MilestoneStatus.Blocked, MilestoneStatus.Blocked, MilestoneStatus.Blocked);
        Assert.Equal(3, await database.UpdateCountAsync(promise.MilestoneIds));
    }

    [Fact]
    public async Task Two_people_finishing_the_last_two_milestones_at_once_never_leave_the_promise_behind_its_milestones()
    {
        var (rep, svea, olaf) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 50), new("Install", PlannedInDays: 60)]);
        var pause = new PauseBeforeSave();
        var paused = database.FactoryWith(pause).CreateFulfilmentService(new FakeTimeProvider(Now));

        // Svea has loaded the promise and is saving "Ship" done while Olaf saves "Install" done: each saw the other step unfinished.
        var sveaSaving = paused.UpdateAsync(svea, await database.RefAsync(promise.Milestone(1)), Done(Today), Cancel);
        await pause.Reached.WaitAsync(TimeSpan.FromSeconds(60), Cancel);
        await _fulfilment.UpdateAsync(olaf, await database.RefAsync(promise.Milestone(2)), Done(Today), Cancel);
        pause.Release();
        var refusal = await Record.ExceptionAsync(() => sveaSaving);

        // Either both steps count (the promise is kept) or Svea is told to reload and apply hers again.
        Assert.True(refusal is null or ConcurrencyConflictException, refusal?.ToString());
        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(promise.CommitmentId));
        Assert.Equal(stored.Milestones.All(m => m.IsFinished) ? CommitmentStatus.Kept : CommitmentStatus.Open, stored.Status);
    }

    private async Task AssertStatusesAsync(PlannedPromise promise, params MilestoneStatus[] expected)
    {
        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(promise.CommitmentId));
        Assert.Equal(expected, stored.Milestones.Select(m => m.Status));
    }

    private async Task<(Actor Rep, Actor Svea, Actor Olaf)> PeopleAsync() =>
        (await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync()),
         await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment, name: "Svea Sorensen"),
         await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment, name: "Olaf Olsen"));

    /// <summary>Holds the first save of a context until released, to interleave two users deterministically.</summary>
    private sealed class PauseBeforeSave : SaveChangesInterceptor
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Reached => _reached.Task;

        public void Release() => _released.TrySetResult();

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            _reached.TrySetResult();
            await _released.Task.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return result;
        }
    }
}

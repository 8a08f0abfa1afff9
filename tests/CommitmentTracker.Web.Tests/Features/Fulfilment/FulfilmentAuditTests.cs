using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Features.Fulfilment.TestMilestones;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Fulfilment;

/// <summary>Every fulfilment update leaves a trail: audit rows (in the same transaction) and a milestone update with its note.</summary>
public sealed class FulfilmentAuditTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _clock = new(Now);

    private FulfilmentService Fulfilment => database.CreateFulfilmentService(_clock);

    [Fact]
    public async Task An_update_records_who_when_and_each_changed_field_of_the_milestone_under_its_deal()
    {
        var (rep, service, _) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60)]);
        var forecast = promise.PromisedDate.AddDays(4);
        _clock.SetUtcNow(Now.AddHours(3));

        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Blocked("Waiting for the gearbox", forecast), Cancel);

        var rows = await MilestoneAuditAsync(promise.Milestone(1));
        Assert.All(rows, row =>
        {
            Assert.Equal((promise.DealId, "Milestone", "Modified"), (row.DealId, row.EntityType, row.Action));
            Assert.Equal((service.UserId, Now.AddHours(3)), (row.ChangedBy, row.ChangedAt));
        });
        Assert.Equal(("NotStarted", "Blocked"), OldAndNew(rows, nameof(Milestone.Status)));
        Assert.Equal(((string?)null, $"{forecast:yyyy-MM-dd}"), OldAndNew(rows, nameof(Milestone.ForecastDate)));
        Assert.Equal(((string?)null, "Waiting for the gearbox"), OldAndNew(rows, nameof(Milestone.StatusReason)));
    }

    [Fact]
    public async Task A_second_update_records_the_previous_values_as_old()
    {
        var (rep, service, _) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60)]);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), InProgress(Today.AddDays(62)), Cancel);
        _clock.SetUtcNow(Now.AddDays(1));

        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Blocked("Site not ready", Today.AddDays(75)), Cancel);

        var rows = (await MilestoneAuditAsync(promise.Milestone(1))).Where(r => r.ChangedAt == Now.AddDays(1)).ToList();
        Assert.Equal(("InProgress", "Blocked"), OldAndNew(rows, nameof(Milestone.Status)));
        Assert.Equal(($"{Today.AddDays(62):yyyy-MM-dd}", $"{Today.AddDays(75):yyyy-MM-dd}"), OldAndNew(rows, nameof(Milestone.ForecastDate)));
    }

    [Fact]
    public async Task Keeping_the_promise_through_its_last_milestone_records_the_promises_new_status_in_the_same_save()
    {
        var (rep, service, _) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60)]);

        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Done(Today), Cancel);

        var row = await database.QueryAsync(db => db.AuditEntries.SingleAsync(
            a => a.EntityId == promise.CommitmentId && a.Field == nameof(Commitment.Status), Cancel));
        Assert.Equal((promise.DealId, "Open", "Kept", service.UserId, Now), (row.DealId, row.OldValue, row.NewValue, row.ChangedBy, row.ChangedAt));
    }

    [Fact]
    public async Task An_update_refused_by_the_database_for_a_stale_version_rolls_back_its_audit_rows()
    {
        var (rep, service, colleague) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60)]);
        var seenByBoth = await database.RefAsync(promise.Milestone(1));
        await Fulfilment.UpdateAsync(colleague, seenByBoth, InProgress(), Cancel);
        var auditBefore = await database.AuditCountAsync(promise.DealId);

        // Refused only when the UPDATE of the milestone finds a newer xmin: the audit rows were already part of that save.
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() =>
            Fulfilment.UpdateAsync(service, seenByBoth, Blocked("Waiting for the gearbox", Today.AddDays(80)), Cancel));

        Assert.Equal(auditBefore, await database.AuditCountAsync(promise.DealId));
        Assert.Equal(0, await database.QueryAsync(db => db.AuditEntries.CountAsync(a => a.ChangedBy == service.UserId, Cancel)));
    }

    [Fact]
    public async Task An_update_refused_for_access_writes_no_audit_rows()
    {
        var (rep, service, colleague) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", colleague.UserId, PlannedInDays: 60)]);
        var auditBefore = await database.AuditCountAsync(promise.DealId);

        await Assert.ThrowsAsync<AccessDeniedException>(async () =>
            await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), InProgress(), Cancel));

        Assert.Equal(auditBefore, await database.AuditCountAsync(promise.DealId));
    }

    [Fact]
    public async Task Each_update_is_recorded_as_a_milestone_update_with_old_and_new_status_forecast_and_note()
    {
        var (rep, service, _) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60)]);
        var firstForecast = Today.AddDays(62);
        var secondForecast = Today.AddDays(75);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), InProgress(firstForecast, note: "Parts ordered from Linz."), Cancel);
        _clock.SetUtcNow(Now.AddDays(2));

        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Blocked("Gearbox stuck in customs", secondForecast), Cancel);

        var updates = (await database.LoadMilestoneAsync(promise.Milestone(1))).Updates.OrderBy(u => u.At)
            .Select(u => (u.ByUserId, u.At, u.OldStatus, u.NewStatus, u.OldForecast, u.NewForecast, u.Note));
        Assert.Equal(
            [
                (service.UserId, Now, MilestoneStatus.NotStarted, MilestoneStatus.InProgress, (DateOnly?)null, (DateOnly?)firstForecast, (string?)"Parts ordered from Linz."),
                // Without a note, the reason for blocking is what the update says.
                (service.UserId, Now.AddDays(2), MilestoneStatus.InProgress, MilestoneStatus.Blocked, firstForecast, secondForecast, "Gearbox stuck in customs"),
            ],
            updates);
    }

    /// <summary>The field changes recorded for a milestone (its creation is one row without a field).</summary>
    private Task<List<AuditEntry>> MilestoneAuditAsync(Guid milestoneId) =>
        database.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.EntityId == milestoneId && a.Field != null).OrderBy(a => a.Id).ToListAsync(Cancel));

    private static (string? Old, string? New) OldAndNew(IEnumerable<AuditEntry> rows, string field)
    {
        var row = Assert.Single(rows, r => r.Field == field);
        return (row.OldValue, row.NewValue);
    }

    private async Task<(Actor Rep, Actor Service, Actor Colleague)> PeopleAsync() =>
        (await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync()),
         await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment),
         await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment));
}

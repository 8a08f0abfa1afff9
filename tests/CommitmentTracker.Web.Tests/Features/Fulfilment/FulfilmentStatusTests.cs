using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using FluentValidation;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Features.Fulfilment.TestMilestones;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Fulfilment;

/// <summary>A promise's status follows its milestones as service staff update them, including the date edge cases.</summary>
public sealed class FulfilmentStatusTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _clock = new(Now);

    private FulfilmentService Fulfilment => database.CreateFulfilmentService(_clock);

    [Fact]
    public async Task The_last_milestone_done_on_the_promised_date_keeps_the_promise()
    {
        var (rep, service) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Build and configure", PlannedInDays: 40), new("Ship", PlannedInDays: 65)]);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Done(Today), Cancel);
        Assert.Equal(CommitmentStatus.Open, await database.StatusOfAsync(promise.CommitmentId));

        _clock.SetUtcNow(Now.AddDays(70));
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(2)), Done(promise.PromisedDate), Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(promise.CommitmentId));
        Assert.Equal((CommitmentStatus.Kept, (DateOnly?)promise.PromisedDate), (stored.Status, stored.CompletedOn));
    }

    [Fact]
    public async Task The_last_milestone_done_a_day_after_the_promised_date_keeps_the_promise_late()
    {
        var (rep, service) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 65)]);
        _clock.SetUtcNow(Now.AddDays(71));

        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Done(promise.PromisedDate.AddDays(1)), Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(promise.CommitmentId));
        Assert.Equal((CommitmentStatus.KeptLate, (DateOnly?)promise.PromisedDate.AddDays(1)), (stored.Status, stored.CompletedOn));
    }

    [Fact]
    public async Task A_milestone_recorded_late_but_done_on_the_promised_date_keeps_the_promise()
    {
        var (rep, service) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 65)]);
        _clock.SetUtcNow(Now.AddDays(75));

        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Done(promise.PromisedDate), Cancel);

        Assert.Equal(CommitmentStatus.Kept, await database.StatusOfAsync(promise.CommitmentId));
    }

    [Theory]
    [InlineData(0, CommitmentStatus.Kept)]
    [InlineData(2, CommitmentStatus.KeptLate)]
    public async Task Skipped_last_milestones_close_the_promise_by_the_date_the_last_step_was_done(int doneDaysAfterPromise, CommitmentStatus expected)
    {
        var (rep, service) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60), new("Install", PlannedInDays: 65), new("Train the operators", PlannedInDays: 68)]);
        _clock.SetUtcNow(Now.AddDays(75));
        var doneOn = promise.PromisedDate.AddDays(doneDaysAfterPromise);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Done(doneOn), Cancel);
        Assert.Equal(CommitmentStatus.Broken, await database.StatusOfAsync(promise.CommitmentId));

        await Fulfilment.UpdateManyAsync(service, [await database.RefAsync(promise.Milestone(2)), await database.RefAsync(promise.Milestone(3))],
            Skipped("The customer installs and trains their own people."), Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(promise.CommitmentId));
        Assert.Equal((expected, (DateOnly?)doneOn), (stored.Status, stored.CompletedOn));
    }

    [Fact]
    public async Task A_promise_whose_milestones_are_all_skipped_stays_open()
    {
        var (rep, service) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60), new("Install", PlannedInDays: 65)]);

        await Fulfilment.UpdateManyAsync(service, [await database.RefAsync(promise.Milestone(1)), await database.RefAsync(promise.Milestone(2))],
            Skipped("Replaced by a different plan."), Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(promise.CommitmentId));
        Assert.Equal((CommitmentStatus.Open, (DateOnly?)null), (stored.Status, stored.CompletedOn));
        Assert.All(stored.Milestones, m => Assert.Equal(MilestoneStatus.Skipped, m.Status));
    }

    [Fact]
    public async Task An_update_after_the_promised_date_with_work_left_breaks_the_promise()
    {
        var (rep, service) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60), new("Install", PlannedInDays: 65)]);
        _clock.SetUtcNow(Now.AddDays(70));
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Done(promise.PromisedDate), Cancel);
        Assert.Equal(CommitmentStatus.Open, await database.StatusOfAsync(promise.CommitmentId));

        _clock.SetUtcNow(Now.AddDays(71));
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(2)), InProgress(forecast: promise.PromisedDate.AddDays(3)), Cancel);

        Assert.Equal(CommitmentStatus.Broken, await database.StatusOfAsync(promise.CommitmentId));
    }

    [Fact]
    public async Task Finishing_a_broken_promise_keeps_it_late()
    {
        var (rep, service) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60)]);
        _clock.SetUtcNow(Now.AddDays(72));
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Blocked("Gearbox stuck in customs"), Cancel);
        Assert.Equal(CommitmentStatus.Broken, await database.StatusOfAsync(promise.CommitmentId));

        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Done(promise.PromisedDate.AddDays(2)), Cancel);

        Assert.Equal(CommitmentStatus.KeptLate, await database.StatusOfAsync(promise.CommitmentId));
    }

    [Fact]
    public async Task Blocking_a_milestone_without_a_reason_is_refused_and_saves_nothing()
    {
        var (rep, service) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep, [new("Ship", PlannedInDays: 60)]);
        var seen = await database.RefAsync(promise.Milestone(1));
        var auditBefore = await database.AuditCountAsync(promise.DealId);

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            Fulfilment.UpdateAsync(service, seen, Blocked("  ", forecast: Today.AddDays(80)), Cancel));

        Assert.Contains("Say what blocks it.", ex.Message, StringComparison.Ordinal);
        var stored = await database.LoadMilestoneAsync(promise.Milestone(1));
        Assert.Equal((MilestoneStatus.NotStarted, (DateOnly?)null, (string?)null), (stored.Status, stored.ForecastDate, stored.StatusReason));
        Assert.Empty(stored.Updates);
        Assert.Equal(seen, await database.RefAsync(promise.Milestone(1)));
        Assert.Equal(auditBefore, await database.AuditCountAsync(promise.DealId));
    }

    [Fact]
    public async Task Customer_acceptance_needs_who_confirmed_and_cannot_be_skipped()
    {
        var (rep, service) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep,
            [new("Configure alarm routing", PlannedInDays: 60), new("Customer acceptance", PlannedInDays: 68, IsCustomerAcceptance: true)], CommitmentKind.Outcome);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Done(Today), Cancel);
        var acceptance = await database.RefAsync(promise.Milestone(2));

        var unnamed = await Assert.ThrowsAsync<ValidationException>(() => Fulfilment.UpdateAsync(service, acceptance, Done(Today), Cancel));
        var skipped = await Assert.ThrowsAsync<ValidationException>(() => Fulfilment.UpdateAsync(service, acceptance, Skipped("They are happy, no need."), Cancel));

        Assert.Contains("Record who at the customer confirmed the outcome.", unnamed.Message, StringComparison.Ordinal);
        Assert.Contains("The customer's acceptance cannot be skipped.", skipped.Message, StringComparison.Ordinal);
        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(promise.CommitmentId));
        Assert.Equal((CommitmentStatus.Open, (CustomerAcceptance?)null), (stored.Status, stored.Acceptance));
        Assert.Equal(MilestoneStatus.NotStarted, stored.Milestones[1].Status);
    }

    [Fact]
    public async Task An_outcome_promise_is_kept_when_the_customer_confirms_it_and_records_who_confirmed()
    {
        var (rep, service) = await PeopleAsync();
        var promise = await database.CreatePlannedPromiseAsync(rep,
            [new("Configure alarm routing", PlannedInDays: 60), new("Customer acceptance", PlannedInDays: 68, IsCustomerAcceptance: true)], CommitmentKind.Outcome);
        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(1)), Done(Today), Cancel);
        Assert.Equal(CommitmentStatus.Open, await database.StatusOfAsync(promise.CommitmentId));
        _clock.SetUtcNow(Now.AddDays(69));

        await Fulfilment.UpdateAsync(service, await database.RefAsync(promise.Milestone(2)), Done(Today.AddDays(69), confirmedBy: "Eva Buyer"), Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(promise.CommitmentId));
        Assert.Equal(CommitmentStatus.Kept, stored.Status);
        Assert.Equal(new CustomerAcceptance("Eva Buyer", Today.AddDays(69), CommunicationChannel.Meeting), stored.Acceptance);
        Assert.Equal(stored.Acceptance, stored.Milestones[1].Acceptance);
    }

    private async Task<(Actor Rep, Actor Service)> PeopleAsync() =>
        (await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync()),
         await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment));
}

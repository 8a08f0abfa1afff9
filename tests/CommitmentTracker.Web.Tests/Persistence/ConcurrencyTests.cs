using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Persistence;

/// <summary>Two people editing the same row never silently overwrite each other: xmin catches the second save.</summary>
public sealed class ConcurrencyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_second_of_two_people_saving_the_same_deal_gets_a_concurrency_error()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var deal = await database.CreateDealAsync(rep, title: "Original title");
        await using var first = database.CreateDbContext();
        await using var second = database.CreateDbContext();
        var mine = await first.Deals.SingleAsync(d => d.Id == deal.Id, Cancel);
        var theirs = await second.Deals.SingleAsync(d => d.Id == deal.Id, Cancel);

        mine.UpdateDetails("Title by the rep", mine.Value, mine.ExpectedOutcome, mine.CloseDate, Today);
        await first.SaveChangesAsync(Cancel);
        theirs.UpdateDetails("Title by the manager", Money.Of(99m, "EUR"), theirs.ExpectedOutcome, theirs.CloseDate, Today);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Cancel));
        var stored = await database.QueryAsync(db => db.Deals.SingleAsync(d => d.Id == deal.Id, Cancel));
        Assert.Equal(("Title by the rep", 10_000m), (stored.Title, stored.Value.Amount));
    }

    [Fact]
    public async Task A_stage_change_on_a_deal_someone_else_just_edited_is_refused_and_leaves_no_history()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var deal = await database.CreateDealAsync(rep);
        await using var first = database.CreateDbContext();
        await using var second = database.CreateDbContext();
        var mine = await first.LoadDealAsync(deal.Id, tracked: true);
        var theirs = await second.LoadDealAsync(deal.Id, tracked: true);

        mine.MarkLost(LostReason.NoBudget, null, rep.UserId, Now);
        await first.SaveChangesAsync(Cancel);
        foreach (var item in theirs.OpenRequiredItems.ToList())
            theirs.AnswerChecklistItem(item.Id, "Agreed.", rep.UserId, Now);
        ApproveTechnicalReview(theirs, rep.UserId);
        theirs.MarkOrdered("PO-1", rep.UserId, Now);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Cancel));
        var stored = await database.QueryAsync(db => db.LoadDealAsync(deal.Id));
        Assert.Equal(DealStage.Lost, stored.Stage);
        // The refused save is one transaction: its stage change and answers are not half-written.
        Assert.Equal([DealStage.Verbal, DealStage.Lost], stored.StageHistory.OrderBy(s => s.At).ThenBy(s => s.From.HasValue).Select(s => s.To));
        Assert.All(stored.Checklist, i => Assert.Null(i.Answer));
    }

    [Fact]
    public async Task The_second_of_two_people_saving_the_same_commitment_gets_a_concurrency_error()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        Commitment promise = null!;
        await database.CreateDealAsync(rep, arrange: d => promise = AddPromise(d));
        await using var first = database.CreateDbContext();
        await using var second = database.CreateDbContext();
        var mine = await first.Commitments.SingleAsync(c => c.Id == promise.Id, Cancel);
        var theirs = await second.Commitments.SingleAsync(c => c.Id == promise.Id, Cancel);

        mine.Describe("Ship the robot cell, crated", rep.UserId, Today.AddDays(90));
        await first.SaveChangesAsync(Cancel);
        theirs.Describe("Ship the robot cell by sea", rep.UserId, null);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Cancel));
        var stored = await database.QueryAsync(db => db.Commitments.SingleAsync(c => c.Id == promise.Id, Cancel));
        Assert.Equal(("Ship the robot cell, crated", (DateOnly?)Today.AddDays(90)), (stored.Description, stored.NeedDate));
    }

    [Fact]
    public async Task The_second_of_two_updates_to_the_same_milestone_is_refused_and_leaves_no_update_record()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var service = await database.CreateAsync(AppRoles.Service, department: Department.Fulfilment);
        Commitment promise = null!;
        Milestone milestone = null!;
        await database.CreateDealAsync(rep, arrange: d =>
        {
            promise = AddPromise(d);
            milestone = promise.AddMilestone("Ship", service.UserId, Today.AddDays(60));
        });
        await using var first = database.CreateDbContext();
        await using var second = database.CreateDbContext();
        var mine = await first.LoadCommitmentAsync(promise.Id, tracked: true);
        var theirs = await second.LoadCommitmentAsync(promise.Id, tracked: true);

        mine.UpdateMilestone(milestone.Id, new MilestoneChange(MilestoneStatus.InProgress, Today.AddDays(62), Note: "Parts in."), service.UserId, Now, Today);
        await first.SaveChangesAsync(Cancel);
        theirs.UpdateMilestone(milestone.Id, new MilestoneChange(MilestoneStatus.Blocked, Today.AddDays(75), Reason: "Supplier strike."), rep.UserId, Now, Today);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync(Cancel));
        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(promise.Id));
        var storedMilestone = Assert.Single(stored.Milestones);
        Assert.Equal((MilestoneStatus.InProgress, (DateOnly?)Today.AddDays(62)), (storedMilestone.Status, storedMilestone.ForecastDate));
        Assert.Equal("Parts in.", Assert.Single(storedMilestone.Updates).Note);
    }

    [Fact]
    public async Task A_stale_version_carried_by_a_form_is_detected_on_save()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var deal = await database.CreateDealAsync(rep);
        var versionShown = await VersionOfDealAsync(deal.Id);

        // Someone else saves the deal while the form is open.
        await using (var db = database.CreateDbContext())
        {
            var other = await db.Deals.SingleAsync(d => d.Id == deal.Id, Cancel);
            other.UpdateDetails("Edited meanwhile", other.Value, other.ExpectedOutcome, other.CloseDate, Today);
            await db.SaveChangesAsync(Cancel);
        }
        Assert.NotEqual(versionShown, await VersionOfDealAsync(deal.Id));

        // The form is saved with a fresh context, holding the version it was opened with.
        await using var form = database.CreateDbContext();
        var current = await form.Deals.SingleAsync(d => d.Id == deal.Id, Cancel);
        form.Entry(current).Property(AppDbContext.Version).OriginalValue = versionShown;
        current.UpdateDetails("Edited in the stale form", current.Value, current.ExpectedOutcome, current.CloseDate, Today);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => form.SaveChangesAsync(Cancel));
        Assert.Equal("Edited meanwhile", (await database.QueryAsync(db => db.Deals.SingleAsync(d => d.Id == deal.Id, Cancel))).Title);
    }

    [Fact]
    public async Task A_current_version_carried_by_a_form_saves()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var deal = await database.CreateDealAsync(rep);
        var versionShown = await VersionOfDealAsync(deal.Id);

        await using (var form = database.CreateDbContext())
        {
            var current = await form.Deals.SingleAsync(d => d.Id == deal.Id, Cancel);
            form.Entry(current).Property(AppDbContext.Version).OriginalValue = versionShown;
            current.UpdateDetails("Edited in a current form", current.Value, current.ExpectedOutcome, current.CloseDate, Today);
            await form.SaveChangesAsync(Cancel);
        }

        Assert.Equal("Edited in a current form", (await database.QueryAsync(db => db.Deals.SingleAsync(d => d.Id == deal.Id, Cancel))).Title);
        Assert.NotEqual(versionShown, await VersionOfDealAsync(deal.Id));
    }

    private Task<uint> VersionOfDealAsync(Guid dealId) =>
        database.QueryAsync(db => db.Deals.Where(d => d.Id == dealId).Select(d => EF.Property<uint>(d, AppDbContext.Version)).SingleAsync(Cancel));
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Features.Fulfilment;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Fulfilment;

/// <summary>One step of a milestone plan to arrange: planned <paramref name="PlannedInDays"/> from today.</summary>
public sealed record PlannedStep(string Title, string? AssigneeId = null, int PlannedInDays = 30, bool IsCustomerAcceptance = false);

/// <summary>A saved promise with its milestones, in plan order.</summary>
public sealed record PlannedPromise(Guid DealId, Guid CommitmentId, DateOnly PromisedDate, IReadOnlyList<Guid> MilestoneIds)
{
    public Guid Milestone(int position) => MilestoneIds[position - 1];
}

/// <summary>Promises with milestone plans, the fulfilment service on a given clock, and the updates service staff type.</summary>
public static class TestMilestones
{
    public static FulfilmentService CreateFulfilmentService(this IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, int staleAfterDays = 5) =>
        new(dbFactory, clock, new MilestoneUpdateValidator(clock), Options.Create(new FulfilmentOptions { StaleAfterDays = staleAfterDays }));

    /// <summary>A deal of <paramref name="rep"/> with one promise of ours, due in <paramref name="promisedInDays"/>, planned with <paramref name="steps"/>.</summary>
    public static async Task<PlannedPromise> CreatePlannedPromiseAsync(
        this TestDatabase database, Actor rep, IReadOnlyList<PlannedStep> steps, CommitmentKind kind = CommitmentKind.Delivery,
        Department department = Department.Fulfilment, int promisedInDays = 70, string? dealTitle = null)
    {
        Commitment? promise = null;
        var deal = await database.CreateDealAsync(rep, title: dealTitle, arrange: d =>
        {
            promise = d.AddCommitment(
                new CommitmentDraft(CommitmentDirection.Ours, kind, $"{kind} for the line 3 project", rep.UserId, department, Today.AddDays(promisedInDays), Today.AddDays(promisedInDays + 10)),
                LeadTimes.Defaults, rep.UserId, Now, Today);
            foreach (var step in steps)
                promise.AddMilestone(step.Title, step.AssigneeId, Today.AddDays(step.PlannedInDays), step.IsCustomerAcceptance);
        });
        return new PlannedPromise(deal.Id, promise!.Id, promise.PromisedDate, [.. promise.Milestones.Select(m => m.Id)]);
    }

    /// <summary>The milestone with the version a user sees now (xmin), as the queue and the dialog hand it to the service.</summary>
    public static async Task<MilestoneRef> RefAsync(this TestDatabase database, Guid milestoneId) =>
        new(milestoneId, await database.QueryAsync(db => db.Milestones.Where(m => m.Id == milestoneId)
            .Select(m => EF.Property<uint>(m, AppDbContext.Version)).SingleAsync(TestContext.Current.CancellationToken)));

    public static Task<Milestone> LoadMilestoneAsync(this TestDatabase database, Guid milestoneId) =>
        database.QueryAsync(db => db.Milestones.AsNoTracking().Include(m => m.Updates).SingleAsync(m => m.Id == milestoneId, TestContext.Current.CancellationToken));

    public static Task<CommitmentStatus> StatusOfAsync(this TestDatabase database, Guid commitmentId) =>
        database.QueryAsync(db => db.Commitments.Where(c => c.Id == commitmentId).Select(c => c.Status).SingleAsync(TestContext.Current.CancellationToken));

    public static Task<int> UpdateCountAsync(this TestDatabase database, IEnumerable<Guid> milestoneIds)
    {
        var ids = milestoneIds.ToList();
        return database.QueryAsync(db => db.MilestoneUpdates.CountAsync(u => ids.Contains(u.MilestoneId), TestContext.Current.CancellationToken));
    }

    public static Task<int> AuditCountAsync(this TestDatabase database, Guid dealId) =>
        database.QueryAsync(db => db.AuditEntries.CountAsync(a => a.DealId == dealId, TestContext.Current.CancellationToken));

    public static DateTime On(DateOnly date) => date.ToDateTime(TimeOnly.MinValue);

    public static MilestoneUpdateInput InProgress(DateOnly? forecast = null, string? note = null) =>
        new() { Status = MilestoneStatus.InProgress, ForecastDate = forecast is { } f ? On(f) : null, Note = note };

    public static MilestoneUpdateInput Blocked(string? reason, DateOnly? forecast = null, string? note = null) =>
        new() { Status = MilestoneStatus.Blocked, Reason = reason, ForecastDate = forecast is { } f ? On(f) : null, Note = note };

    public static MilestoneUpdateInput Done(DateOnly completedOn, string? confirmedBy = null) =>
        new() { Status = MilestoneStatus.Done, CompletedOn = On(completedOn), ConfirmedBy = confirmedBy, ConfirmedVia = CommunicationChannel.Meeting };

    public static MilestoneUpdateInput Skipped(string? reason) =>
        new() { Status = MilestoneStatus.Skipped, Reason = reason };
}

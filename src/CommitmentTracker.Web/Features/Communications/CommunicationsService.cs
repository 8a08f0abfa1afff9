using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Communications;

/// <summary>
/// The deal's append-only communication log, and the post-sale touchpoints that write to it. Entries are only ever
/// added: a correction is a new entry pointing to the one it corrects.
/// </summary>
public sealed class CommunicationsService(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    LogCommunicationValidator logValidator,
    CorrectCommunicationValidator correctionValidator,
    CompleteTouchpointValidator touchpointValidator)
{
    /// <summary>Adds an entry to the deal's log, optionally about one of its promises; returns the entry's id.</summary>
    public async Task<Guid> LogAsync(Actor actor, Guid dealId, LogCommunicationInput input, CancellationToken cancellationToken = default)
    {
        await logValidator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        if (input.CommitmentId is { } commitmentId)
            deal.Commitment(commitmentId);
        var entry = CommunicationEntry.Log(
            deal.Id, input.CommitmentId, input.Channel, input.Direction, input.People, input.Summary,
            input.Moment!.Value, actor.UserId, now);
        db.CommunicationEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry.Id;
    }

    /// <summary>Writes a correction of an entry as a new entry linked to it; the corrected entry stays as it was.</summary>
    public async Task<Guid> CorrectAsync(Actor actor, Guid entryId, CorrectCommunicationInput input, CancellationToken cancellationToken = default)
    {
        await correctionValidator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        // An entry of a deal the actor cannot see looks exactly like one that does not exist.
        var original = await db.CommunicationEntries.AsNoTracking()
            .Where(e => e.Id == entryId && db.Deals.VisibleTo(db, actor).Any(d => d.Id == e.DealId))
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new RecordNotFoundException("communication entry");
        await db.FindEditableDealAsync(actor, original.DealId, cancellationToken);
        var correction = original.CorrectWith(input.Summary, actor.UserId, now);
        db.CommunicationEntries.Add(correction);
        await db.SaveChangesAsync(cancellationToken);
        return correction.Id;
    }

    /// <summary>
    /// Records what was said at a touchpoint and marks it done, in one save (one transaction): the touchpoint is never
    /// done without its entry, nor the entry written for a touchpoint left open. Returns the entry's id.
    /// </summary>
    public async Task<Guid> CompleteTouchpointAsync(Actor actor, Guid dealId, Guid touchpointId, CompleteTouchpointInput input, CancellationToken cancellationToken = default)
    {
        await touchpointValidator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        var touchpoint = deal.Touchpoints.FirstOrDefault(t => t.Id == touchpointId)
            ?? throw new DomainException("That touchpoint is not on this deal.");
        var entry = CommunicationEntry.Log(
            deal.Id, touchpoint.CommitmentId, input.Channel, CommunicationDirection.ToCustomer, input.People, input.Summary,
            now, actor.UserId, now);
        deal.CompleteTouchpoint(touchpointId, entry.Id, actor.UserId, now);
        db.CommunicationEntries.Add(entry);
        await db.SaveOrExplainConflictAsync("touchpoint", cancellationToken);
        return entry.Id;
    }
}

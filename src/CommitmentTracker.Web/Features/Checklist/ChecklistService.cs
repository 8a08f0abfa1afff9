using System.Globalization;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CommitmentTracker.Web.Features.Checklist;

/// <summary>A risk of the library offered for sharing on a deal.</summary>
public sealed record RiskOption(
    Guid Id, string Title, string Description, string UsualResponse, IReadOnlyList<CommitmentKind> AppliesTo,
    bool AppliesToDeal, bool AlreadyShared);

/// <summary>What saving a checklist answer did besides recording it.</summary>
public sealed record ChecklistAnswerSaved(bool AskedForTechnicalReview)
{
    /// <summary>The sentence that confirms the save.</summary>
    public string Message => AskedForTechnicalReview
        ? "Answer saved. Service staff were asked for a technical review: the order waits for their approval."
        : "Answer saved.";
}

/// <summary>Works a deal's expectation checklist with the customer: answers, shared risks, the acknowledgement.</summary>
public sealed class ChecklistService(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    ChecklistAnswerValidator answerValidator,
    ShareRiskValidator shareRiskValidator,
    ChecklistAcknowledgementValidator acknowledgementValidator)
{
    /// <summary>
    /// Records the answer to one item. <paramref name="seenAnsweredAt"/> is when the answer the user started from was
    /// recorded (null: they saw the item open); if someone answered it since, nothing is saved and the conflict is explained.
    /// </summary>
    /// <returns>Whether the answer asked service staff for a technical review (the technical-review item answered in words).</returns>
    public async Task<ChecklistAnswerSaved> AnswerAsync(Actor actor, Guid dealId, Guid itemId, ChecklistAnswerInput input, DateTimeOffset? seenAnsweredAt, CancellationToken cancellationToken = default)
    {
        await answerValidator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        // The answer is a row of its own: the deal's version does not move when an item is answered, so the check
        // is on the item the user looked at.
        var item = deal.Checklist.FirstOrDefault(i => i.Id == itemId);
        if (item is not null && item.AnsweredAt != seenAnsweredAt)
        {
            var by = await db.Users.Where(u => u.Id == item.AnsweredBy).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken) ?? "Someone";
            throw new ConcurrencyConflictException(item.IsAnswered
                ? $"{by} answered \"{item.Title}\" at {Components.Shared.TimeFormat.DateTime(item.AnsweredAt!.Value, TimeZoneInfo.Utc)} since you opened it: \"{item.Answer}\". Your answer was not saved. Reload to see it, then answer again."
                : $"The answer to \"{item.Title}\" was cleared since you opened it. Your answer was not saved. Reload, then answer again.");
        }
        var review = deal.AnswerChecklistItem(itemId, input.Answer, actor.UserId, now);
        await db.SaveOrExplainConflictAsync("checklist item", cancellationToken);
        return new ChecklistAnswerSaved(AskedForTechnicalReview: review is not null);
    }

    /// <summary>
    /// The active risks of the library for a deal: those that apply to the kinds of its promises first, then the others,
    /// with the ones already shared marked.
    /// </summary>
    public async Task<IReadOnlyList<RiskOption>> RiskOptionsAsync(Actor actor, Guid dealId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deal = await db.Deals.AsNoTracking().VisibleTo(db, actor).Where(d => d.Id == dealId)
            .Select(d => new
            {
                Kinds = d.Commitments.Where(c => c.Status != CommitmentStatus.Waived).Select(c => c.Kind).Distinct().ToList(),
                Shared = d.SharedRisks.Select(r => r.RiskLibraryEntryId).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new RecordNotFoundException("deal");
        var risks = await db.RiskLibrary.AsNoTracking().Where(r => !r.IsRetired).ToListAsync(cancellationToken);
        return risks
            .Select(r => new RiskOption(
                r.Id, r.Title, r.Description, r.UsualResponse, r.AppliesTo,
                AppliesToDeal: r.AppliesTo.Count == 0 || deal.Kinds.Any(r.AppliesTo.Contains),
                AlreadyShared: deal.Shared.Contains(r.Id)))
            .OrderByDescending(r => r.AppliesToDeal).ThenBy(r => r.Title, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }

    /// <summary>Attaches a risk from the library to the deal as shared with the customer (checklist item 6).</summary>
    public async Task ShareRiskAsync(Actor actor, Guid dealId, ShareRiskInput input, CancellationToken cancellationToken = default)
    {
        await shareRiskValidator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        var risk = await db.RiskLibrary.AsNoTracking().SingleOrDefaultAsync(r => r.Id == input.RiskId, cancellationToken)
            ?? throw new DomainException("That risk is not in the risk library.");
        deal.ShareRisk(risk, actor.UserId, now);
        try
        {
            await db.SaveOrExplainConflictAsync("deal", cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Someone shared the same risk at the same moment; the unique index kept one.
            throw new DomainException($"\"{risk.Title}\" was already shared on this deal.");
        }
    }

    /// <summary>
    /// Records that a contact of the deal's account acknowledged the whole checklist; refused while required items are open.
    /// <paramref name="expectedDealVersion"/> is the deal's version the user saw, when known.
    /// </summary>
    public async Task RecordAcknowledgementAsync(Actor actor, Guid dealId, ChecklistAcknowledgementInput input, uint? expectedDealVersion = null, CancellationToken cancellationToken = default)
    {
        await acknowledgementValidator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        var contact = await db.Contacts.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == input.ContactId && c.AccountId == deal.AccountId, cancellationToken)
            ?? throw new DomainException("Pick a contact of the deal's account.");
        deal.RecordChecklistAcknowledgement(new CustomerAcknowledgement(contact.Name, input.Moment!.Value, input.Channel), now);
        if (expectedDealVersion is { } version)
            db.ExpectVersion(deal, version);
        await db.SaveOrExplainConflictAsync("deal", cancellationToken);
    }
}

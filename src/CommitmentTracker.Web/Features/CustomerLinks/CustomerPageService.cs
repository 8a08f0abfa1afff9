using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.CustomerLinks;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.CustomerLinks;

/// <summary>
/// The customer's side of a customer link: whoever holds the link reads the deal in plain words and acts as the customer,
/// without signing in. A text that cannot be a token is refused without touching the database; a token is looked up by its
/// hash and compared in constant time. An expired, revoked or unknown link shows nothing and takes nothing. Every view and
/// every act is written to the audit trail as <see cref="CustomerLink.Actor"/> ("customer via link …").
/// </summary>
public sealed class CustomerPageService(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    CustomerAcknowledgeValidator acknowledgeValidator,
    CustomerAcceptValidator acceptValidator,
    CustomerCommentValidator commentValidator)
{
    /// <summary>The customer's page's route template.</summary>
    public const string Route = "/customer/{Token}";

    /// <summary>The audit action of one opening of the customer's page.</summary>
    public const string ViewedAction = "Viewed";

    public static string PathFor(string token) => $"customer/{Uri.EscapeDataString(token)}";

    /// <summary>
    /// The deal as its customer sees it. With <paramref name="recordView"/> the opening is audited: one narrow insert into the
    /// audit trail (the link's id, when, "customer via link …"), not attached to the deal so reloads do not crowd its history.
    /// </summary>
    public async Task<CustomerPageResult> OpenAsync(string? token, bool recordView, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (status, link) = await FindAsync(db, token, now, cancellationToken);
        if (link is null)
            return new CustomerPageResult(status, null);
        var deal = await LoadDealAsync(db, link.DealId, tracked: false, cancellationToken);
        var view = await ViewOfAsync(db, deal, link, now, cancellationToken);
        if (recordView)
        {
            db.ChangedBy = link.Actor;
            db.ChangedAt = now;
            db.AuditEntries.Add(new AuditEntry
            {
                EntityType = nameof(CustomerLink), EntityId = link.Id, Action = ViewedAction, ChangedBy = link.Actor, ChangedAt = db.SaveTime,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        return new CustomerPageResult(CustomerPageStatus.Shown, view);
    }

    /// <summary>The customer acknowledges the whole checklist: recorded as the customer's acknowledgement (their typed name, now, by message).</summary>
    public async Task<CustomerActResult> AcknowledgeAsync(string? token, CustomerAcknowledgeInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await acknowledgeValidator.EnsureValidAsync(input, cancellationToken);
        return await ActAsync(token, (db, deal, link, now) =>
        {
            deal.RecordChecklistAcknowledgement(new CustomerAcknowledgement(input.Name!.Trim(), now, CustomerChannel), now);
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>The customer confirms an outcome promise was reached: its acceptance step is done with their name, so the delivery gate sees it.</summary>
    public async Task<CustomerActResult> AcceptAsync(string? token, CustomerAcceptInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await acceptValidator.EnsureValidAsync(input, cancellationToken);
        return await ActAsync(token, (db, deal, link, now) =>
        {
            if (deal.Commitments.All(c => c.Id != input.CommitmentId))
                throw new DomainException("That promise is not part of this deal.");
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            deal.RecordOutcomeAcceptance(input.CommitmentId, new CustomerAcceptance(input.Name!.Trim(), today, CustomerChannel), link.Actor, now, today);
            var promise = deal.Commitment(input.CommitmentId);
            // The promise's status follows all its milestones: saved against the version loaded (as the fulfilment queue does).
            db.Entry(promise).Property(c => c.Status).IsModified = true;
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>The customer comments: a communication entry from the customer, by message, with their typed name as the people.</summary>
    public async Task<CustomerActResult> CommentAsync(string? token, CustomerCommentInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await commentValidator.EnsureValidAsync(input, cancellationToken);
        return await ActAsync(token, (db, deal, link, now) =>
        {
            var entry = CommunicationEntry.Log(deal.Id, null, CustomerChannel, CommunicationDirection.FromCustomer,
                input.Name!.Trim(), input.Comment!.Trim(), now, link.Actor, now);
            db.CommunicationEntries.Add(entry);
            // The log is its own record (append-only); the audit trail says who wrote it through which link.
            db.AuditEntries.Add(new AuditEntry
            {
                DealId = deal.Id, EntityType = nameof(CommunicationEntry), EntityId = entry.Id, Action = "Added",
                NewValue = $"Comment from {entry.People} through the customer's link", ChangedBy = link.Actor, ChangedAt = db.SaveTime,
            });
            return Task.CompletedTask;
        }, cancellationToken);
    }

    /// <summary>The channel a customer's act through the link is recorded with: the nearest existing one, a written message.</summary>
    public const CommunicationChannel CustomerChannel = CommunicationChannel.Message;

    private async Task<CustomerActResult> ActAsync(string? token, Func<AppDbContext, Deal, CustomerLink, DateTimeOffset, Task> act, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var (status, link) = await FindAsync(db, token, now, cancellationToken);
        if (link is null)
            return new CustomerActResult(status, null);
        db.ChangedBy = link.Actor;
        db.ChangedAt = now;
        var deal = await LoadDealAsync(db, link.DealId, tracked: true, cancellationToken);
        try
        {
            await act(db, deal, link, now);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DomainException ex)
        {
            return new CustomerActResult(CustomerPageStatus.Shown, ex.Message);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new CustomerActResult(CustomerPageStatus.Shown,
                "Your representative changed this page at the same moment, so nothing was saved. Please reload the page and try again.");
        }
        return new CustomerActResult(CustomerPageStatus.Shown, null);
    }

    private static async Task<(CustomerPageStatus Status, CustomerLink? Link)> FindAsync(AppDbContext db, string? token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var hash = ShareToken.Hash(token);
        if (hash is null)
            return (CustomerPageStatus.Unknown, null);
        var link = await db.CustomerLinks.AsNoTracking().Where(l => l.TokenHash == hash).SingleOrDefaultAsync(cancellationToken);
        if (link is null || !ShareToken.Matches(link.TokenHash, hash))
            return (CustomerPageStatus.Unknown, null);
        return link.IsActiveAt(now) ? (CustomerPageStatus.Shown, link) : (CustomerPageStatus.NoLongerValid, null);
    }

    private static async Task<Deal> LoadDealAsync(AppDbContext db, Guid dealId, bool tracked, CancellationToken cancellationToken)
    {
        var deals = tracked ? db.Deals : db.Deals.AsNoTracking();
        return await deals.AsSplitQuery()
            .Include(d => d.Commitments).ThenInclude(c => c.Milestones.OrderBy(m => m.Position)).ThenInclude(m => m.Updates)
            .Include(d => d.Commitments).ThenInclude(c => c.DateHistory)
            .Include(d => d.Checklist)
            .Include(d => d.Touchpoints)
            .Include(d => d.StageHistory)
            .Include(d => d.SharedRisks)
            .Include(d => d.TechnicalReviews)
            .SingleAsync(d => d.Id == dealId, cancellationToken);
    }

    /// <summary>What the page shows, and nothing else: no ids but the promises' (for the forms), no notes, reasons, risk or e-mails.</summary>
    private static async Task<CustomerDealView> ViewOfAsync(AppDbContext db, Deal deal, CustomerLink link, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == deal.AccountId).Select(a => a.Name).SingleAsync(cancellationToken);
        var rep = await db.Users.AsNoTracking().Where(u => u.Id == deal.OwnerId).Select(u => u.DisplayName).SingleOrDefaultAsync(cancellationToken) ?? "";
        var promises = deal.Commitments
            .OrderBy(c => c.PromisedDate).ThenBy(c => c.Description)
            .Select(c => new CustomerPromiseView(
                c.Id, c.Direction, c.Kind, c.Description, c.PromisedDate, c.Status is CommitmentStatus.Open or CommitmentStatus.Broken ? c.Forecast : null,
                c.CompletedOn, CustomerWording.PromiseStatus(c.Status),
                c.Milestones.Select(m => new CustomerMilestoneView(m.Title, m.PlannedDate, m.IsFinished ? null : m.ForecastDate, m.CompletedOn,
                    CustomerWording.MilestoneStatus(m.Status), m.IsCustomerAcceptance)).ToList(),
                c.Kind == CommitmentKind.Outcome && c.Direction == CommitmentDirection.Ours,
                deal.WhyCustomerCannotAccept(c),
                c.Acceptance ?? c.CustomerAcceptanceStep?.Acceptance))
            .ToList();
        var checklist = deal.Checklist.Where(CustomerWording.IsShownToCustomer).OrderBy(i => i.Position)
            .Select(i => new CustomerChecklistItemView(i.Title, i.Answer)).ToList();
        var whyNotAcknowledge = deal.IsClosed ? "This deal is closed."
            : deal.OpenRequiredItems.Any() ? "Your representative is still completing the checklist with you; you can acknowledge it once every required item is answered."
            : null;
        var road = deal.Checklist.FirstOrDefault(i => string.Equals(i.Title.Trim(), CustomerWording.RoadToDeliveryItemTitle, StringComparison.OrdinalIgnoreCase))?.Answer;
        var steps = new[] { DealStage.Verbal, DealStage.Ordered, DealStage.Delivered, DealStage.Paid }
            .Select(s => new CustomerStageStep(CustomerWording.Stage(s), deal.StageHistory.Any(h => h.To == s), deal.Stage == s)).ToList();
        return new CustomerDealView(
            deal.Title, account, rep, CustomerWording.ExpectedOutcome(deal), steps, road, promises, checklist,
            deal.ChecklistAcknowledgement, whyNotAcknowledge, link.ExpiresAt, DateOnly.FromDateTime(now.UtcDateTime));
    }
}

/// <summary>How a presented customer link came out: shown, no longer valid (expired or revoked), or never a link.</summary>
public enum CustomerPageStatus { Shown, NoLongerValid, Unknown }

public sealed record CustomerPageResult(CustomerPageStatus Status, CustomerDealView? Deal);

/// <summary>An act's outcome: the link's status, and the reason it was refused (null when it was recorded).</summary>
public sealed record CustomerActResult(CustomerPageStatus Status, string? Refusal)
{
    public bool Saved => Status == CustomerPageStatus.Shown && Refusal is null;
}

/// <summary>The deal in plain words, as its customer may see it.</summary>
public sealed record CustomerDealView(
    string Title,
    string AccountName,
    string RepName,
    string ExpectedOutcome,
    IReadOnlyList<CustomerStageStep> Stages,
    string? RoadToDelivery,
    IReadOnlyList<CustomerPromiseView> Promises,
    IReadOnlyList<CustomerChecklistItemView> Checklist,
    CustomerAcknowledgement? Acknowledgement,
    string? WhyCannotAcknowledge,
    DateTimeOffset ExpiresAt,
    DateOnly Today)
{
    public IEnumerable<CustomerPromiseView> Ours => Promises.Where(p => p.Direction == CommitmentDirection.Ours);
    public IEnumerable<CustomerPromiseView> Theirs => Promises.Where(p => p.Direction == CommitmentDirection.Theirs);
}

public sealed record CustomerStageStep(string Label, bool Reached, bool Current);

public sealed record CustomerChecklistItemView(string Title, string? Answer);

public sealed record CustomerMilestoneView(string Title, DateOnly PlannedDate, DateOnly? ForecastDate, DateOnly? CompletedOn, string Status, bool IsCustomerAcceptance);

public sealed record CustomerPromiseView(
    Guid Id, CommitmentDirection Direction, CommitmentKind Kind, string Description, DateOnly PromisedDate, DateOnly? Forecast, DateOnly? CompletedOn,
    string Status, IReadOnlyList<CustomerMilestoneView> Milestones, bool IsOutcome, string? WhyCannotAccept, CustomerAcceptance? Acceptance);

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Calendars;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Promises;

/// <summary>A user who may own a promise on a deal.</summary>
public sealed record PromiseOwnerOption(string Id, string Name, string Role, Department? Department)
{
    public override string ToString() => Name;
}

/// <summary>What the promise form offers for one deal: who may own a promise, and the standard lead times.</summary>
public sealed record PromiseFormOptions(
    IReadOnlyList<PromiseOwnerOption> OwnersOfOurs,
    IReadOnlyList<PromiseOwnerOption> OwnersOfTheirs,
    LeadTimes LeadTimes)
{
    public IReadOnlyList<PromiseOwnerOption> OwnersFor(CommitmentDirection direction) =>
        direction == CommitmentDirection.Ours ? OwnersOfOurs : OwnersOfTheirs;
}

/// <summary>An aggressive promise waiting for its manager's decision.</summary>
public sealed record PendingApproval
{
    public Guid DealId { get; init; }
    public Guid CommitmentId { get; init; }
    public uint Version { get; init; }
    public string DealTitle { get; init; } = "";
    public string AccountName { get; init; } = "";
    public string RepName { get; init; } = "";
    public string RepId { get; init; } = "";
    public CommitmentKind Kind { get; init; }
    public string Description { get; init; } = "";
    public DateOnly PromisedDate { get; init; }
    public DateOnly? NeedDate { get; init; }
    public DateTimeOffset LoggedAt { get; init; }

    /// <summary>Today plus the kind's standard lead time in working days of the rep's team: the soonest date that would not have needed approval.</summary>
    public DateOnly EarliestComfortableDate { get; init; }

    /// <summary>How many days sooner than comfortable the promised date is.</summary>
    public int DaysShort => Math.Max(0, EarliestComfortableDate.DayNumber - PromisedDate.DayNumber);
}

/// <summary>
/// Logs, renegotiates and waives a deal's promises, and lets managers decide on aggressive ones.
/// Changes to an existing promise carry the version the user saw, so a stale one is refused with who changed what.
/// </summary>
public sealed class PromisesService(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    AddPromiseValidator addValidator,
    RenegotiateValidator renegotiateValidator,
    WaiveValidator waiveValidator,
    RejectAggressiveValidator rejectValidator)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Who may own a promise on the deal, and the lead times, for the form; only for those who may add one.</summary>
    public async Task<PromiseFormOptions> FormOptionsAsync(Actor actor, Guid dealId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var dealOwnerId = await db.Deals.VisibleTo(db, actor).Where(d => d.Id == dealId).Select(d => d.OwnerId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new RecordNotFoundException("deal");
        if (!await db.Deals.EditableBy(db, actor).AnyAsync(d => d.Id == dealId, cancellationToken))
            throw new AccessDeniedException("Only the deal's rep and their manager can log promises on it.");
        return new PromiseFormOptions(
            await OwnersAsync(db, dealOwnerId, CommitmentDirection.Ours, cancellationToken),
            await OwnersAsync(db, dealOwnerId, CommitmentDirection.Theirs, cancellationToken),
            await LeadTimesAsync(db, dealOwnerId, cancellationToken));
    }

    /// <summary>Logs a promise on the deal; returns its id. After the deal left Verbal it is flagged as a late addition.</summary>
    public async Task<Guid> AddAsync(Actor actor, Guid dealId, AddPromiseInput input, CancellationToken cancellationToken = default)
    {
        await addValidator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);

        var owners = await OwnersAsync(db, deal.OwnerId, input.Direction, cancellationToken);
        if (owners.All(o => o.Id != input.OwnerId))
            throw Invalid(nameof(AddPromiseInput.OwnerId), input.Direction == CommitmentDirection.Ours
                ? "A promise of ours is owned by the deal's rep, their manager or a service user."
                : "A promise of the customer's is followed up by the deal's rep or their manager.");

        CustomerAcknowledgement? acknowledgement = null;
        if (input.AcknowledgedByContactId is { } contactId)
        {
            var contactName = await db.Contacts.Where(c => c.Id == contactId && c.AccountId == deal.AccountId)
                .Select(c => c.Name).SingleOrDefaultAsync(cancellationToken)
                ?? throw Invalid(nameof(AddPromiseInput.AcknowledgedByContactId), "That contact is not one of the customer's people.");
            acknowledgement = new CustomerAcknowledgement(contactName, now, input.AcknowledgementChannel!.Value);
        }

        var draft = new CommitmentDraft(
            input.Direction, input.Kind, input.Description, input.OwnerId!, input.Department!.Value,
            DateOnly.FromDateTime(input.PromisedDate!.Value),
            input.NeedDate is { } need ? DateOnly.FromDateTime(need) : null,
            input.AggressiveHandling == AggressiveHandling.WriteReason ? input.AggressiveReason : null,
            string.IsNullOrWhiteSpace(input.Evidence) ? null : input.Evidence.Trim());
        // The chance is computed here again, from the stored curves: the server never takes the dialog's word for it.
        var chance = await Forecasts.ForecastService.ChanceForAsync(db, deal, draft, Today, cancellationToken);
        var commitment = deal.AddCommitment(draft, await LeadTimesAsync(db, deal.OwnerId, cancellationToken), actor.UserId, now, Today, chance);
        if (acknowledgement is not null)
            commitment.RecordAcknowledgement(acknowledgement, now);
        await db.SaveOrExplainConflictAsync("deal", cancellationToken);
        return commitment.Id;
    }

    /// <summary>Agrees a new promised date with the customer; every earlier date stays in the promise's history.</summary>
    public async Task RenegotiateAsync(Actor actor, Guid dealId, Guid commitmentId, uint expectedVersion, RenegotiateInput input, CancellationToken cancellationToken = default)
    {
        await renegotiateValidator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        var today = Today;
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        await ExpectCurrentAsync(db, deal, commitmentId, expectedVersion, cancellationToken);

        var agreedOn = DateOnly.FromDateTime(input.AgreedOn!.Value);
        // Agreed today: the moment of logging. Earlier: midday UTC, so the date reads the same in every time zone.
        var agreedAt = agreedOn == today ? now : new DateTimeOffset(agreedOn.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        deal.RenegotiateCommitment(commitmentId, DateOnly.FromDateTime(input.NewDate!.Value), input.AgreedWith, agreedAt, input.Reason, actor.UserId, now, today);
        await db.SaveOrExplainConflictAsync("promise", cancellationToken);
    }

    /// <summary>Cancels a promise by agreement, with a reason; its open check-in touchpoint is no longer needed.</summary>
    public async Task WaiveAsync(Actor actor, Guid dealId, Guid commitmentId, uint expectedVersion, WaiveInput input, CancellationToken cancellationToken = default)
    {
        await waiveValidator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        await ExpectCurrentAsync(db, deal, commitmentId, expectedVersion, cancellationToken);

        deal.WaiveCommitment(commitmentId, input.Reason, actor.UserId, now);
        await db.SaveOrExplainConflictAsync("promise", cancellationToken);
    }

    /// <summary>The team's manager approves a promised date sooner than the standard lead time.</summary>
    public async Task ApproveAggressiveAsync(Actor actor, Guid dealId, Guid commitmentId, uint expectedVersion, CancellationToken cancellationToken = default)
    {
        EnsureManager(actor);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        var commitment = await ExpectCurrentAsync(db, deal, commitmentId, expectedVersion, cancellationToken);

        commitment.ApproveAggressiveDate(actor.UserId, now);
        await db.SaveOrExplainConflictAsync("promise", cancellationToken);
    }

    /// <summary>The team's manager rejects an aggressive promised date, saying why; the rep then agrees a safer date or waives it.</summary>
    public async Task RejectAggressiveAsync(Actor actor, Guid dealId, Guid commitmentId, uint expectedVersion, RejectAggressiveInput input, CancellationToken cancellationToken = default)
    {
        EnsureManager(actor);
        await rejectValidator.EnsureValidAsync(input, cancellationToken);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        var commitment = await ExpectCurrentAsync(db, deal, commitmentId, expectedVersion, cancellationToken);

        commitment.RejectAggressiveDate(actor.UserId, input.Reason, now);
        await db.SaveOrExplainConflictAsync("promise", cancellationToken);
    }

    /// <summary>The manager's team's aggressive promises waiting for a decision, soonest promised date first.</summary>
    public async Task<IReadOnlyList<PendingApproval>> PendingApprovalsAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        EnsureManager(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var leadTimes = LeadTime.ToPolicy(await db.LeadTimes.AsNoTracking().ToListAsync(cancellationToken));
        var today = Today;
        var rows = await (from c in db.Commitments.AsNoTracking()
                          join d in db.Deals.EditableBy(db, actor) on c.DealId equals d.Id
                          join a in db.Accounts on d.AccountId equals a.Id
                          join u in db.Users on d.OwnerId equals u.Id
                          where c.AggressiveApproval == AggressiveApproval.Pending
                                && (c.Status == CommitmentStatus.Open || c.Status == CommitmentStatus.Broken)
                                && d.Stage != DealStage.Lost && d.Stage != DealStage.Paid
                          orderby c.PromisedDate, c.CreatedAt
                          select new PendingApproval
                          {
                              DealId = d.Id,
                              CommitmentId = c.Id,
                              Version = EF.Property<uint>(c, AppDbContext.Version),
                              DealTitle = d.Title,
                              AccountName = a.Name,
                              RepName = u.DisplayName,
                              RepId = d.OwnerId,
                              Kind = c.Kind,
                              Description = c.Description,
                              PromisedDate = c.PromisedDate,
                              NeedDate = c.NeedDate,
                              LoggedAt = c.CreatedAt,
                          })
            .ToListAsync(cancellationToken);
        var calendars = await db.OfUsersAsync(rows.Select(r => r.RepId), cancellationToken);
        return rows.Select(r => r with
        {
            EarliestComfortableDate = (calendars.TryGetValue(r.RepId, out var calendar) ? leadTimes.On(calendar) : leadTimes).EarliestComfortableDate(r.Kind, today),
        }).ToList();
    }

    private static void EnsureManager(Actor actor)
    {
        if (!actor.IsManager)
            throw new AccessDeniedException(actor.IsAdmin
                ? "Aggressive promises are approved by the team's manager, not by administrators."
                : "Only a manager can approve or reject an aggressive promise.");
    }

    /// <summary>
    /// Declares the version of the promise the user saw. A stale one is refused before the domain sees the change,
    /// with who changed what since: the user decided on what they saw, not on what is there now.
    /// </summary>
    private static async Task<Commitment> ExpectCurrentAsync(AppDbContext db, Deal deal, Guid commitmentId, uint expectedVersion, CancellationToken cancellationToken)
    {
        var commitment = deal.Commitments.FirstOrDefault(c => c.Id == commitmentId)
            ?? throw new RecordNotFoundException("promise");
        var current = db.VersionOf(commitment);
        db.ExpectVersion(commitment, expectedVersion);
        if (current != expectedVersion)
        {
            // An update guarded by the stale version matches no row: the save fails and explains the conflict.
            db.Entry(commitment).Property(c => c.Description).IsModified = true;
            await db.SaveOrExplainConflictAsync("promise", cancellationToken);
        }
        return commitment;
    }

    /// <summary>The lead times as set, to be put on a team's calendar (imports, which plan many deals at once).</summary>
    internal static async Task<LeadTimes> LeadTimesAsync(AppDbContext db, CancellationToken cancellationToken) =>
        LeadTime.ToPolicy(await db.LeadTimes.AsNoTracking().ToListAsync(cancellationToken));

    /// <summary>The lead times in working days of the deal's rep's team calendar (the rep plans the promise with their team).</summary>
    private static async Task<LeadTimes> LeadTimesAsync(AppDbContext db, string dealOwnerId, CancellationToken cancellationToken) =>
        LeadTime.ToPolicy(await db.LeadTimes.AsNoTracking().ToListAsync(cancellationToken)).On(await db.OfUserAsync(dealOwnerId, cancellationToken));

    /// <summary>
    /// Who may own a promise: of ours, the deal's rep, their team's manager or a service user; of the customer's,
    /// the rep or the manager who follows it up. Active users only.
    /// </summary>
    internal static async Task<List<PromiseOwnerOption>> OwnersAsync(AppDbContext db, string dealOwnerId, CommitmentDirection direction, CancellationToken cancellationToken)
    {
        var teamId = await db.Users.Where(u => u.Id == dealOwnerId).Select(u => u.TeamId).SingleOrDefaultAsync(cancellationToken);
        var appointedManagerId = teamId is null ? null
            : await db.Teams.Where(t => t.Id == teamId).Select(t => t.ManagerId).SingleOrDefaultAsync(cancellationToken);
        var users = await db.Users.AsNoTracking()
            .Where(u => u.IsActive)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.TeamId,
                u.Department,
                Role = db.UserRoles.Where(ur => ur.UserId == u.Id)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name)
                    .FirstOrDefault(),
            })
            .Where(u => u.Id == dealOwnerId
                || u.Id == appointedManagerId
                || (u.Role == AppRoles.Manager && teamId != null && u.TeamId == teamId)
                || (direction == CommitmentDirection.Ours && u.Role == AppRoles.Service))
            .ToListAsync(cancellationToken);
        return users
            .OrderBy(u => u.Id == dealOwnerId ? 0 : u.Role == AppRoles.Manager ? 1 : 2).ThenBy(u => u.DisplayName)
            .Select(u => new PromiseOwnerOption(u.Id, u.DisplayName, u.Role ?? "", u.Department))
            .ToList();
    }

    private static ValidationException Invalid(string property, string message) => new([new ValidationFailure(property, message)]);
}

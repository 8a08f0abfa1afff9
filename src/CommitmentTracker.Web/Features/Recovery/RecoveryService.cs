using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Recovery;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Features.Alerts;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Recovery;

/// <summary>
/// Runs recovery plans: opening one by hand, reading one with what the page needs, and every step's action. The deal's
/// rep and their manager work a plan; acknowledging and approving compensation above budget are the manager's; service
/// staff and admins read. A plan of a deal the actor cannot see does not exist for them.
/// </summary>
public sealed class RecoveryService(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    MakeRoomValidator makeRoomValidator,
    OptionValidator optionValidator,
    TellCustomerValidator tellValidator,
    ComfortValidator comfortValidator,
    BossContactValidator bossValidator,
    CompensationValidator compensationValidator,
    CloseValidator closeValidator)
{
    private const string What = "recovery plan";

    /// <summary>Reshuffle suggestions shown in the options step.</summary>
    public const int MaxSuggestions = 5;

    // ---------- reading ----------

    public async Task<IReadOnlyList<RecoveryPlanRow>> ListAsync(Actor actor, RecoveryListFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var deals = db.Deals.VisibleTo(db, actor);
        var plans = db.RecoveryPlans.AsNoTracking().Where(p => deals.Any(d => d.Id == p.DealId));
        plans = filter switch
        {
            RecoveryListFilter.Open => plans.Where(p => p.ResolvedAt == null),
            RecoveryListFilter.Closed => plans.Where(p => p.ResolvedAt != null),
            _ => plans,
        };
        var rows = await (
            from p in plans.Include(p => p.Steps)
            join c in db.Commitments on p.CommitmentId equals c.Id
            join d in db.Deals on p.DealId equals d.Id
            join a in db.Accounts on d.AccountId equals a.Id
            orderby p.ResolvedAt != null, p.DetectedAt descending
            select new { Plan = p, c.Description, c.RiskLevel, d.Title, AccountName = a.Name, d.OwnerId })
            .Take(500).ToListAsync(cancellationToken);
        var names = await NamesAsync(db, rows.SelectMany(r => r.Plan.Steps.Select(s => s.OwnerId)).Append("").Concat(rows.Select(r => r.OwnerId)), cancellationToken);
        return rows
            .Select(r => new RecoveryPlanRow(
                r.Plan.Id, r.Plan.DealId, r.Description, r.Title, r.AccountName, r.RiskLevel, r.Plan.DetectedAt,
                r.Plan.NextStep?.Kind, r.Plan.NextStep?.DueAt, r.Plan.NextStep is { } next ? Name(names, next.OwnerId) : null,
                r.Plan.Steps.Count(s => s.IsOverdue(now)), r.Plan.ResolvedAt, r.Plan.RootCause, Name(names, r.OwnerId)))
            .OrderBy(r => r.ResolvedAt is not null)
            .ThenByDescending(r => r.OverdueSteps > 0)
            .ThenBy(r => r.NextDueAt ?? DateTimeOffset.MaxValue)
            .ThenByDescending(r => r.ResolvedAt)
            .ToList();
    }

    /// <summary>The open plan of a promise, if any, else its newest closed one; null if it never had one.</summary>
    public async Task<Guid?> PlanOfPromiseAsync(Actor actor, Guid commitmentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deals = db.Deals.VisibleTo(db, actor);
        return await db.RecoveryPlans.AsNoTracking()
            .Where(p => p.CommitmentId == commitmentId && deals.Any(d => d.Id == p.DealId))
            .OrderBy(p => p.ResolvedAt != null).ThenByDescending(p => p.DetectedAt)
            .Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<RecoveryPlanView> GetAsync(Actor actor, Guid planId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var plan = await db.RecoveryPlans.AsSplitQuery().Include(p => p.Steps).Include(p => p.Options)
            .SingleOrDefaultAsync(p => p.Id == planId && db.Deals.VisibleTo(db, actor).Any(d => d.Id == p.DealId), cancellationToken)
            ?? throw new RecordNotFoundException(What);
        var deal = await db.Deals.AsNoTracking().AsSplitQuery()
            .Include(d => d.Commitments).ThenInclude(c => c.Milestones.OrderBy(m => m.Position))
            .SingleAsync(d => d.Id == plan.DealId, cancellationToken);
        var promise = deal.Commitment(plan.CommitmentId);
        var account = await db.Accounts.AsNoTracking().Include(a => a.Contacts).SingleAsync(a => a.Id == deal.AccountId, cancellationToken);
        var canEdit = await db.Deals.EditableBy(db, actor).AnyAsync(d => d.Id == deal.Id, cancellationToken);
        var settings = await db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new RiskSettingsRecord();
        var told = plan.CustomerToldCommunicationId is { } entryId
            ? await db.CommunicationEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == entryId, cancellationToken)
            : null;

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var cannotHelp = Reshuffle.WhyItCannotHelp(promise);
        var suggestions = canEdit && !plan.IsClosed && cannotHelp is null && plan.ChosenOption?.Kind != RecoveryOptionKind.Reshuffle && promise.Direction == CommitmentDirection.Ours
            ? await SuggestionsAsync(db, actor, promise, today, cancellationToken)
            : [];
        var reshuffleWith = plan.Options.Where(o => o.ReshuffleWithCommitmentId is not null).Select(o => o.ReshuffleWithCommitmentId!.Value).ToList();
        var optionPromises = await (
            from c in db.Commitments.AsNoTracking()
            join d in db.Deals.VisibleTo(db, actor) on c.DealId equals d.Id
            where reshuffleWith.Contains(c.Id)
            select new { c.Id, Text = c.Description + " · " + d.Title }).ToDictionaryAsync(x => x.Id, x => x.Text, cancellationToken);

        var userIds = plan.Steps.Select(s => s.OwnerId)
            .Append(deal.OwnerId).Append(plan.OpenedBy).Append(plan.ManagerAcknowledgedBy).Append(plan.CompensationApprovedBy)
            .Concat(plan.Steps.Select(s => s.EscalatedTo)).OfType<string>();
        var names = await NamesAsync(db, userIds, cancellationToken);
        return new RecoveryPlanView
        {
            Plan = plan,
            Version = db.VersionOf(plan),
            Deal = deal,
            Promise = promise,
            Account = account,
            CustomerToldEntry = told,
            Suggestions = suggestions,
            OptionPromises = optionPromises,
            UserNames = names,
            CompensationBudget = settings.CompensationBudget,
            TellCustomerWithinHours = settings.TellCustomerWithinHours,
            ReshuffleCannotHelp = cannotHelp,
            DaysNeeded = Reshuffle.DaysNeeded(promise, today),
            CanEdit = canEdit && !plan.IsClosed,
            CanManage = canEdit && !plan.IsClosed && actor.IsManager,
            ActorId = actor.UserId,
            Now = clock.GetUtcNow(),
        };
    }

    private static async Task<IReadOnlyList<ReshuffleSuggestion>> SuggestionsAsync(AppDbContext db, Actor actor, Commitment promise, DateOnly today, CancellationToken cancellationToken)
    {
        // Only promises the actor may re-plan: a reshuffle changes the other deal too.
        var others = await (
            from c in db.Commitments.AsNoTracking().Include(c => c.Milestones)
            join d in db.Deals.EditableBy(db, actor) on c.DealId equals d.Id
            where c.Id != promise.Id && c.Kind == promise.Kind && c.Direction == CommitmentDirection.Ours
                  // Levels are stored by name: compare for equality, a <= would compare the names alphabetically in SQL.
                  && c.Status == CommitmentStatus.Open && (c.RiskLevel == RiskLevel.OnTrack || c.RiskLevel == RiskLevel.Watch)
                  && d.Stage != DealStage.Lost && d.Stage != DealStage.Paid
            select new { Commitment = c, d.Title, d.Value.Amount, d.Value.Currency })
            .AsSplitQuery().ToListAsync(cancellationToken);
        var byId = others.ToDictionary(o => o.Commitment.Id);
        var inputs = others.Select(o => Reshuffle.InputOf(o.Commitment, o.Amount)).OfType<ReshuffleCandidateInput>();
        return ReshuffleRanking.Candidates(Reshuffle.DaysNeeded(promise, today), promise.Kind, inputs, promise.Id)
            .Take(MaxSuggestions)
            .Select(c => new ReshuffleSuggestion(
                c, byId[c.CommitmentId].Commitment.Description, byId[c.CommitmentId].Commitment.DealId, byId[c.CommitmentId].Title,
                byId[c.CommitmentId].Commitment.PromisedDate, byId[c.CommitmentId].Currency))
            .ToList();
    }

    // ---------- opening ----------

    /// <summary>Opens a plan by hand for a promise of ours; returns the plan already open for it, if there is one.</summary>
    public async Task<Guid> OpenAsync(Actor actor, Guid commitmentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var dealId = await db.Commitments.Where(c => c.Id == commitmentId).Select(c => (Guid?)c.DealId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new RecordNotFoundException("promise");
        var deal = await db.FindEditableDealAsync(actor, dealId, cancellationToken);
        var promise = deal.Commitment(commitmentId);
        if (WhyCannotOpen(deal, promise) is { } why)
            throw new DomainException(why);
        if (await OpenPlanIdAsync(commitmentId, cancellationToken) is { } existing)
            return existing;

        // The problem was detected when the promise reached its level, if it is at risk already; otherwise now.
        var detectedAt = promise.RiskLevel is RiskLevel.AtRisk or RiskLevel.Late && promise.RiskSince is { } since && since <= now ? since : now;
        var opened = await RecoveryPlanOpening.OpenAsync(db, promise.Id, deal.Id, deal.OwnerId, promise.RiskLevel, detectedAt, now, actor.UserId, cancellationToken);
        if (opened is null)
            return await OpenPlanIdAsync(commitmentId, cancellationToken) ?? throw new ConcurrencyConflictException(
                "The promise changed while the plan was being opened. Reload and try again.");
        var plan = opened.Plan;
        var alerted = new AlertedPromise(promise.Id, deal.Id, promise.Description, promise.RiskLevel, deal.Title);
        AlertWriter.Add(db, alerted, opened.Managers.Where(m => m != actor.UserId), $"Recovery plan opened by {actor.DisplayName}: {alerted.Name}",
            "The rep expects this promise cannot be kept as it stands and opened a recovery plan. Acknowledge it on the plan.", now);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return plan.Id;
        }
        catch (DbUpdateException)
        {
            // Someone else (or the risk evaluation) opened one at the same moment: there is one plan per promise.
            return await OpenPlanIdAsync(commitmentId, cancellationToken) ?? throw new ConcurrencyConflictException(
                "The promise changed while the plan was being opened. Reload and try again.");
        }
    }

    /// <summary>
    /// Why no recovery plan can be opened by hand for the promise: it is the customer's, it is closed, or the deal is
    /// settled; null when one can (by whoever may change the deal).
    /// </summary>
    public static string? WhyCannotOpen(Deal deal, Commitment promise) =>
        promise.Direction != CommitmentDirection.Ours ? "Recovery plans are for our promises; a late promise of the customer's is handled on the deal."
        : promise.IsClosed ? "This promise is closed, so there is nothing left to recover."
        : deal.IsClosed ? $"This deal is {deal.Stage.ToString().ToLowerInvariant()}, so there is nothing left to recover."
        : null;

    private async Task<Guid?> OpenPlanIdAsync(Guid commitmentId, CancellationToken cancellationToken)
    {
        await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await fresh.RecoveryPlans.AsNoTracking().Where(p => p.CommitmentId == commitmentId && p.ResolvedAt == null)
            .Select(p => (Guid?)p.Id).FirstOrDefaultAsync(cancellationToken);
    }

    // ---------- the steps ----------

    public Task SetNotesAsync(Actor actor, Guid planId, uint version, RecoveryStepKind step, string? notes, CancellationToken cancellationToken = default) =>
        WorkAsync(actor, planId, version, w => w.Plan.SetNotes(step, notes), cancellationToken);

    public async Task RecordMakeRoomAsync(Actor actor, Guid planId, uint version, MakeRoomInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await makeRoomValidator.EnsureValidAsync(input, cancellationToken);
        await WorkAsync(actor, planId, version, async w =>
        {
            var needDate = await w.Db.Commitments.Where(c => c.Id == w.Plan.CommitmentId).Select(c => c.NeedDate).SingleAsync(cancellationToken);
            w.Plan.RecordMakeRoom(DateOnly.FromDateTime(input.ForecastDate!.Value), needDate, w.Now);
            if (!string.IsNullOrWhiteSpace(input.Notes))
                w.Plan.SetNotes(RecoveryStepKind.MakeRoom, input.Notes);
        }, cancellationToken);
    }

    public async Task AddOptionAsync(Actor actor, Guid planId, uint version, OptionInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await optionValidator.EnsureValidAsync(input, cancellationToken);
        await WorkAsync(actor, planId, version, async w =>
        {
            Guid? other = null;
            if (input.Kind == RecoveryOptionKind.Reshuffle)
            {
                // Only a promise the actor could re-plan: the same kind, ours, on a deal they may change.
                var kind = await w.Db.Commitments.Where(c => c.Id == w.Plan.CommitmentId).Select(c => c.Kind).SingleAsync(cancellationToken);
                other = await (
                    from c in w.Db.Commitments
                    join d in w.Db.Deals.EditableBy(w.Db, actor) on c.DealId equals d.Id
                    where c.Id == input.ReshuffleWithCommitmentId && c.Direction == CommitmentDirection.Ours && c.Kind == kind
                    select (Guid?)c.Id).SingleOrDefaultAsync(cancellationToken)
                    ?? throw new RecordNotFoundException("promise to reshuffle with");
            }
            w.Plan.AddOption(input.Kind, input.Description!, w.Now, other);
        }, cancellationToken);
    }

    /// <summary>
    /// Chooses an option. A reshuffle is carried out in the same transaction: both promises re-planned (and so
    /// re-evaluated), the swap noted on both, and a touchpoint for the other customer; or nothing at all.
    /// </summary>
    public Task ChooseOptionAsync(Actor actor, Guid planId, uint version, Guid optionId, CancellationToken cancellationToken = default) =>
        WorkAsync(actor, planId, version, async w =>
        {
            w.Plan.ChooseOption(optionId, w.Now);
            var option = w.Plan.ChosenOption!;
            if (option.Kind == RecoveryOptionKind.Reshuffle)
            {
                var otherId = option.ReshuffleWithCommitmentId!.Value;
                var ours = (await w.Db.FindEditableDealAsync(actor, w.Plan.DealId, cancellationToken)).Commitment(w.Plan.CommitmentId);
                var otherDealId = await w.Db.Commitments.Where(c => c.Id == otherId).Select(c => (Guid?)c.DealId).SingleOrDefaultAsync(cancellationToken)
                    ?? throw new RecordNotFoundException("promise to reshuffle with");
                var otherDeal = await w.Db.FindEditableDealAsync(actor, otherDealId, cancellationToken);
                Reshuffle.Swap(ours, otherDeal, otherId, Reshuffle.DaysNeeded(ours, w.Today), actor.UserId, w.Now, w.Today);
            }
        }, cancellationToken);

    public Task AcknowledgeAsync(Actor actor, Guid planId, uint version, CancellationToken cancellationToken = default) =>
        WorkAsync(actor, planId, version, w =>
        {
            EnsureManager(actor, "Only the team's manager acknowledges the alert.");
            w.Plan.AcknowledgeByManager(actor.UserId, w.Now);
        }, cancellationToken);

    /// <summary>Step 4: logs the call or email in the deal's communication log and completes the step with it, in one save.</summary>
    public async Task TellCustomerAsync(Actor actor, Guid planId, uint version, TellCustomerInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await tellValidator.EnsureValidAsync(input, cancellationToken);
        await WorkAsync(actor, planId, version, w =>
        {
            var entry = CommunicationEntry.Log(w.Plan.DealId, w.Plan.CommitmentId, input.Channel, CommunicationDirection.ToCustomer,
                input.People!, input.Summary!, w.Now, actor.UserId, w.Now);
            w.Db.CommunicationEntries.Add(entry);
            w.Plan.TellCustomer(entry.Id, w.Now);
        }, cancellationToken);
    }

    public async Task RecordComfortAsync(Actor actor, Guid planId, uint version, ComfortInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await comfortValidator.EnsureValidAsync(input, cancellationToken);
        await WorkAsync(actor, planId, version, w => w.Plan.RecordComfort(input.OfferedMeanwhile!, input.ManagerContact!, w.Now), cancellationToken);
    }

    /// <summary>Contacting the customer's boss: refused unless the named contact of this account gave permission (recorded on the contact).</summary>
    public async Task ContactCustomersBossAsync(Actor actor, Guid planId, uint version, BossContactInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await bossValidator.EnsureValidAsync(input, cancellationToken);
        await WorkAsync(actor, planId, version, async w =>
        {
            var accountId = await w.Db.Deals.Where(d => d.Id == w.Plan.DealId).Select(d => d.AccountId).SingleAsync(cancellationToken);
            var contact = await w.Db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == input.PermissionFromContactId && c.AccountId == accountId, cancellationToken)
                ?? throw new DomainException("That contact does not belong to this customer.");
            w.Plan.ContactCustomersBoss(contact.MayContactTheirManager, $"With the permission of {contact.Name}: {input.Note!.Trim()}", w.Now);
        }, cancellationToken);
    }

    /// <summary>Records on the contact that they allow us to speak to their manager (asked during the recovery); audited with the account.</summary>
    public Task RecordContactPermissionAsync(Actor actor, Guid planId, uint version, Guid contactId, CancellationToken cancellationToken = default) =>
        WorkAsync(actor, planId, version, async w =>
        {
            var accountId = await w.Db.Deals.Where(d => d.Id == w.Plan.DealId).Select(d => d.AccountId).SingleAsync(cancellationToken);
            var account = await w.Db.Accounts.Include(a => a.Contacts).SingleAsync(a => a.Id == accountId, cancellationToken);
            account.Contact(contactId).SetPermissionToContactManager(true);
        }, cancellationToken);

    public Task PresentSolutionAsync(Actor actor, Guid planId, uint version, bool accepted, CancellationToken cancellationToken = default) =>
        WorkAsync(actor, planId, version, w => w.Plan.PresentSolution(accepted, w.Now), cancellationToken);

    public Task ApologiseAsync(Actor actor, Guid planId, uint version, bool customerForgave, CancellationToken cancellationToken = default) =>
        WorkAsync(actor, planId, version, w => w.Plan.Apologise(customerForgave, w.Now), cancellationToken);

    /// <summary>Records the compensation against the budget from the settings; returns the warnings to show.</summary>
    public async Task<IReadOnlyList<string>> CompensateAsync(Actor actor, Guid planId, uint version, CompensationInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await compensationValidator.EnsureValidAsync(input, cancellationToken);
        IReadOnlyList<string> warnings = [];
        await WorkAsync(actor, planId, version, async w =>
        {
            var settings = await w.Db.RiskSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken) ?? new RiskSettingsRecord();
            warnings = w.Plan.Compensate(input.Item!, input.FaceValue!.Value, input.CostToUs!.Value, input.EstimatedLoss!.Value, settings.CompensationBudget, w.Now);
            if (w.Plan.CompensationAwaitsApproval && !actor.IsManager)
            {
                // The manager approves above budget: tell them at once (bell and mail).
                var about = await AlertWriter.PromiseAsync(w.Db, w.Plan.CommitmentId, cancellationToken);
                var owner = w.Plan.Step(RecoveryStepKind.Compensate).OwnerId;
                var managers = await w.Db.ManagersOfUsersTeamAsync(owner, cancellationToken);
                AlertWriter.Add(w.Db, about, managers.Count > 0 ? managers : [owner],
                    $"Compensation above budget to approve: {about.Name}",
                    $"{actor.DisplayName} recorded \"{input.Item}\" costing us {input.CostToUs:N0}, above the budget of {settings.CompensationBudget:N0}. Approve it on the plan, or ask for a smaller one.",
                    w.Now);
            }
        }, cancellationToken);
        return warnings;
    }

    public Task ApproveCompensationAsync(Actor actor, Guid planId, uint version, CancellationToken cancellationToken = default) =>
        WorkAsync(actor, planId, version, w =>
        {
            EnsureManager(actor, "Compensation above budget is approved by the team's manager.");
            w.Plan.ApproveCompensation(actor.UserId, w.Now);
        }, cancellationToken);

    public async Task CloseAsync(Actor actor, Guid planId, uint version, CloseInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        await closeValidator.EnsureValidAsync(input, cancellationToken);
        await WorkAsync(actor, planId, version, w => w.Plan.Close(input.RootCause!.Value, input.Department!.Value, input.Lesson!, w.Now), cancellationToken);
    }

    // ---------- plumbing ----------

    private sealed record Work(AppDbContext Db, RecoveryPlan Plan, DateTimeOffset Now, DateOnly Today);

    private Task WorkAsync(Actor actor, Guid planId, uint version, Action<Work> action, CancellationToken cancellationToken) =>
        WorkAsync(actor, planId, version, w =>
        {
            action(w);
            return Task.CompletedTask;
        }, cancellationToken);

    /// <summary>
    /// Loads the plan for a change by the actor (not visible: not found; visible but not theirs: refused), applies the
    /// change against the version the user saw, and saves everything in one transaction.
    /// </summary>
    private async Task WorkAsync(Actor actor, Guid planId, uint version, Func<Work, Task> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var plan = await db.RecoveryPlans.AsSplitQuery().Include(p => p.Steps).Include(p => p.Options)
            .SingleOrDefaultAsync(p => p.Id == planId && db.Deals.VisibleTo(db, actor).Any(d => d.Id == p.DealId), cancellationToken)
            ?? throw new RecordNotFoundException(What);
        if (!await db.Deals.EditableBy(db, actor).AnyAsync(d => d.Id == plan.DealId, cancellationToken))
            throw new AccessDeniedException("Only the deal's rep and their manager work its recovery plan.");
        db.ExpectVersion(plan, version);
        await action(new Work(db, plan, now, DateOnly.FromDateTime(now.UtcDateTime)));
        // Every change goes through the plan's row, so two people working the same plan never overwrite each other.
        db.Entry(plan).Property(p => p.Level).IsModified = true;
        await db.SaveOrExplainConflictAsync(What, cancellationToken);
    }

    private static void EnsureManager(Actor actor, string message)
    {
        if (!actor.IsManager)
            throw new AccessDeniedException(message);
    }

    private static async Task<IReadOnlyDictionary<string, string>> NamesAsync(AppDbContext db, IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Where(i => !string.IsNullOrEmpty(i)).Distinct().ToList();
        return await db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
    }

    private static string Name(IReadOnlyDictionary<string, string> names, string id) => names.TryGetValue(id, out var name) ? name : "someone";
}

public enum RecoveryListFilter { Open, Closed, All }

/// <summary>One plan in the list: what is next, by when, and whether anything is overdue.</summary>
public sealed record RecoveryPlanRow(
    Guid PlanId, Guid DealId, string Promise, string DealTitle, string AccountName, RiskLevel Level, DateTimeOffset DetectedAt,
    RecoveryStepKind? NextStep, DateTimeOffset? NextDueAt, string? NextOwner, int OverdueSteps, DateTimeOffset? ResolvedAt,
    RootCause? RootCause, string RepName);

/// <summary>A promise that could give up the days needed, with what the user needs to judge it.</summary>
public sealed record ReshuffleSuggestion(
    ReshuffleCandidate Candidate, string Promise, Guid DealId, string DealTitle, DateOnly PromisedDate, string Currency);

/// <summary>Everything the guided page shows of one plan.</summary>
public sealed class RecoveryPlanView
{
    public required RecoveryPlan Plan { get; init; }
    public required uint Version { get; init; }
    public required Deal Deal { get; init; }
    public required Commitment Promise { get; init; }
    public required Account Account { get; init; }
    public CommunicationEntry? CustomerToldEntry { get; init; }
    public required IReadOnlyList<ReshuffleSuggestion> Suggestions { get; init; }

    /// <summary>For reshuffle options: the other promise and its deal, in words.</summary>
    public required IReadOnlyDictionary<Guid, string> OptionPromises { get; init; }

    public required IReadOnlyDictionary<string, string> UserNames { get; init; }
    public required decimal CompensationBudget { get; init; }
    public required int TellCustomerWithinHours { get; init; }

    /// <summary>The actor may work the plan (the deal's rep or their manager, and the plan is open).</summary>
    public required bool CanEdit { get; init; }

    /// <summary>The actor is the team's manager: acknowledges and approves.</summary>
    public required bool CanManage { get; init; }

    public required DateTimeOffset Now { get; init; }

    /// <summary>Who is looking: the page speaks of "your" steps.</summary>
    public string ActorId { get; init; } = "";

    public string NameOf(string? userId) => userId is not null && UserNames.TryGetValue(userId, out var name) ? name : "someone";

    /// <summary>The days the promise needs from a reshuffle.</summary>
    public required int DaysNeeded { get; init; }

    /// <summary>Why no reshuffle is offered for this promise (a blocker), or null.</summary>
    public string? ReshuffleCannotHelp { get; init; }

    public IEnumerable<Contact> ContactsWithPermission => Account.Contacts.Where(c => c.MayContactTheirManager);
}

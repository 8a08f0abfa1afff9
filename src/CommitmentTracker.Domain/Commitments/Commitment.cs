using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Commitments;

/// <summary>A promise: ours to the customer, or the customer's to us. Status follows its milestones.</summary>
public sealed class Commitment : IHasDomainEvents
{
    private readonly List<Milestone> _milestones = [];
    private readonly List<IDomainEvent> _domainEvents = [];
    private readonly List<PromisedDateChange> _dateHistory = [];
    private List<RiskReason> _riskReasons = [];

    private Commitment() { }

    internal Commitment(Guid dealId, string dealOwnerId, CommitmentDraft draft, LeadTimes leadTimes, bool isLateAddition, string createdBy, DateTimeOffset now, DateOnly today, ForecastChance? chance = null)
    {
        Guard.Defined(draft.Direction, "Direction");
        Guard.Defined(draft.Kind, "Kind");
        Guard.Defined(draft.Department, "Department");
        if (draft.Direction == CommitmentDirection.Theirs && draft.Department != Department.Customer)
            throw new DomainException("A commitment of the customer's belongs to the Customer department.");
        if (draft.Direction == CommitmentDirection.Ours && draft.Department == Department.Customer)
            throw new DomainException("A commitment of ours belongs to one of our departments, not Customer.");
        if (draft.PromisedDate < today)
            throw new DomainException("The promised date cannot be in the past.");
        if (draft.NeedDate is { } need && need < today)
            throw new DomainException("The customer's need date cannot be in the past.");

        Id = Guid.NewGuid();
        DealId = dealId;
        DealOwnerId = dealOwnerId;
        Direction = draft.Direction;
        Kind = draft.Kind;
        Description = Guard.Required(draft.Description, "Description", FieldLengths.Text);
        OwnerId = Guard.Required(draft.OwnerId, "Owner", FieldLengths.UserId);
        Department = draft.Department;
        PromisedDate = draft.PromisedDate;
        OriginalPromisedDate = draft.PromisedDate;
        NeedDate = draft.NeedDate;
        Status = CommitmentStatus.Open;
        IsLateAddition = isLateAddition;
        CreatedAt = now;
        CreatedBy = createdBy;
        Evidence = Guard.Optional(draft.Evidence, "Evidence", FieldLengths.Text);

        var reason = Guard.Optional(draft.AggressiveReason, "Reason for the aggressive date", FieldLengths.Text);
        var insideLeadTime = leadTimes.IsAggressive(Kind, PromisedDate, today);
        var unlikely = chance is { IsAggressive: true };
        if (Direction == CommitmentDirection.Ours && chance is not null)
            ForecastProbability = Math.Round((decimal)Math.Clamp(chance.Probability, 0, 1), 3, MidpointRounding.AwayFromZero);
        IsAggressive = Direction == CommitmentDirection.Ours && (insideLeadTime || unlikely);
        AggressiveCause = !IsAggressive ? null
            : insideLeadTime && unlikely ? Commitments.AggressiveCause.Both
            : insideLeadTime ? Commitments.AggressiveCause.LeadTime
            : Commitments.AggressiveCause.LowChance;
        (AggressiveApproval, AggressiveReason) = IsAggressive
            ? reason is null ? (AggressiveApproval.Pending, null) : (AggressiveApproval.ReasonGiven, reason)
            : (AggressiveApproval.NotNeeded, (string?)null);
    }

    public Guid Id { get; private set; }
    public Guid DealId { get; private set; }

    /// <summary>
    /// The rep who owns the deal (a deal's owner never changes): team-wide lists and figures start from a team's reps and
    /// read their promises through indexes on this, without joining every deal of the team.
    /// </summary>
    public string DealOwnerId { get; private set; } = "";

    public CommitmentDirection Direction { get; private set; }
    public CommitmentKind Kind { get; private set; }
    public string Description { get; private set; } = "";
    public string OwnerId { get; private set; } = "";
    public Department Department { get; private set; }

    /// <summary>What we told the customer (the current agreed date).</summary>
    public DateOnly PromisedDate { get; private set; }

    /// <summary>The date first promised, before any renegotiation.</summary>
    public DateOnly OriginalPromisedDate { get; private set; }

    /// <summary>The customer's real deadline, when known.</summary>
    public DateOnly? NeedDate { get; private set; }

    public CustomerAcknowledgement? Acknowledgement { get; private set; }
    public CommitmentStatus Status { get; private set; }
    public DateOnly? CompletedOn { get; private set; }
    public CustomerAcceptance? Acceptance { get; private set; }
    public string? WaivedReason { get; private set; }
    public string? WaivedBy { get; private set; }
    public DateTimeOffset? WaivedAt { get; private set; }
    public bool IsLateAddition { get; private set; }
    public bool IsAggressive { get; private set; }
    public AggressiveApproval AggressiveApproval { get; private set; }
    public string? AggressiveReason { get; private set; }

    /// <summary>Why the date counted as aggressive when the promise was made; null when it did not.</summary>
    public AggressiveCause? AggressiveCause { get; private set; }

    /// <summary>
    /// The history's chance, when the promise was made, that its date holds (0.8 = 80%); null for the customer's promises
    /// and when there was too little history. The dashboard's calibration compares it with what happened.
    /// </summary>
    public decimal? ForecastProbability { get; private set; }
    public string? AggressiveDecidedBy { get; private set; }
    public DateTimeOffset? AggressiveDecidedAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";

    /// <summary>The words the promise was made in (e.g. the sentence of a logged email it was taken from); null when typed in.</summary>
    public string? Evidence { get; private set; }

    public IReadOnlyList<Milestone> Milestones => _milestones;

    /// <summary>Every date this promise ever had, oldest first.</summary>
    public IReadOnlyList<PromisedDateChange> DateHistory => _dateHistory;

    /// <summary>Whether a buffer means anything for this promise: only for ours (the customer's obligations have none).</summary>
    public bool HasBuffer => Buffer.AppliesTo(Direction);

    /// <summary>Need date minus promised date; null without a need date, and for the customer's obligations.</summary>
    public int? BufferDays => HasBuffer ? Buffer.Days(PromisedDate, NeedDate) : null;

    /// <summary>The buffer warning of a promise of ours; never one for the customer's obligations.</summary>
    public string? BufferWarning => HasBuffer ? Buffer.Warning(PromisedDate, NeedDate) : null;

    /// <summary>When the delivery is now expected: the latest expected date of the unfinished milestones; null without any.</summary>
    public DateOnly? Forecast => _milestones.Where(m => !m.IsFinished).Select(m => (DateOnly?)m.ExpectedDate).Max();

    /// <summary>Days the promise has slipped through renegotiation.</summary>
    public int SlipDays => PromisedDate.DayNumber - OriginalPromisedDate.DayNumber;

    /// <summary>The stored outcome of the last risk evaluation, so lists and dashboards read it without evaluating.</summary>
    public RiskLevel RiskLevel { get; private set; } = RiskLevel.OnTrack;

    /// <summary>Why the promise is at its risk level, worst first; empty when on track.</summary>
    public IReadOnlyList<RiskReason> RiskReasons => _riskReasons;

    /// <summary>When the promise reached its current risk level; null until first evaluated.</summary>
    public DateTimeOffset? RiskSince { get; private set; }

    /// <summary>When the stored assessment (level or reasons) last changed; an evaluation that finds the same leaves the row alone.</summary>
    public DateTimeOffset? RiskEvaluatedAt { get; private set; }

    /// <summary>
    /// The first day on which time alone could change the assessment (a date passing, a milestone going stale); the
    /// periodic sweep looks only at promises whose day has come. Null when time cannot change it (closed, or the customer's).
    /// </summary>
    public DateOnly? RiskReviewOn { get; private set; }

    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    public void ClearDomainEvents() => _domainEvents.Clear();

    public bool IsClosed => Status is CommitmentStatus.Kept or CommitmentStatus.KeptLate or CommitmentStatus.Waived;

    /// <summary>Why the promise can no longer be changed (kept, kept late or waived); null while it is open or broken.</summary>
    public string? WhyCannotChange() => IsClosed ? $"This promise is {StatusLabel(Status)}; it can no longer be changed." : null;

    /// <summary>Why a new date cannot be agreed now; null while the promise is open.</summary>
    public string? WhyCannotRenegotiate() => Status switch
    {
        CommitmentStatus.Open => null,
        CommitmentStatus.Broken => "The promised date has already passed: this promise is broken. Agree a new date before the old one passes.",
        _ => $"A {StatusLabel(Status)} promise cannot be renegotiated.",
    };

    /// <summary>A waived promise's milestones are closed; any other promise's milestones take updates, a finished one to reopen it.</summary>
    public bool TakesMilestoneUpdates => Status != CommitmentStatus.Waived;

    /// <summary>Ours, finished in a way that lets the deal be called delivered.</summary>
    public bool SatisfiesDelivery => Status switch
    {
        CommitmentStatus.Waived => true,
        CommitmentStatus.Kept or CommitmentStatus.KeptLate => Kind != CommitmentKind.Outcome || Acceptance is not null,
        _ => false,
    };

    public void Describe(string description, string ownerId, DateOnly? needDate)
    {
        EnsureNotClosed();
        var text = Guard.Required(description, "Description", FieldLengths.Text);
        OwnerId = Guard.Required(ownerId, "Owner", FieldLengths.UserId);
        Description = text;
        NeedDate = needDate;
    }

    public void RecordAcknowledgement(CustomerAcknowledgement acknowledgement, DateTimeOffset now)
    {
        Guard.Required(acknowledgement.ContactName, "Who acknowledged", FieldLengths.Name);
        if (acknowledgement.At > now.AddMinutes(5))
            throw new DomainException("An acknowledgement cannot be dated in the future.");
        Acknowledgement = acknowledgement;
    }

    public void ApproveAggressiveDate(string managerId, DateTimeOffset now)
    {
        if (AggressiveApproval != AggressiveApproval.Pending)
            throw new DomainException("This promise is not waiting for approval.");
        AggressiveApproval = AggressiveApproval.Approved;
        AggressiveDecidedBy = managerId;
        AggressiveDecidedAt = now;
    }

    public void RejectAggressiveDate(string managerId, string reason, DateTimeOffset now)
    {
        if (AggressiveApproval != AggressiveApproval.Pending)
            throw new DomainException("This promise is not waiting for approval.");
        AggressiveReason = Guard.Required(reason, "Reason for rejecting", FieldLengths.Text);
        AggressiveApproval = AggressiveApproval.Rejected;
        AggressiveDecidedBy = managerId;
        AggressiveDecidedAt = now;
    }

    /// <summary>Agrees a new promised date with the customer before the old one passed; the old date stays in the history.</summary>
    public void Renegotiate(DateOnly newDate, string agreedWith, DateTimeOffset agreedAt, string reason, string byUserId, DateTimeOffset now, DateOnly today)
    {
        if (WhyCannotRenegotiate() is { } refusal)
            throw new DomainException(refusal);
        if (today > PromisedDate)
            throw new DomainException("The promised date has already passed; a renegotiation must be agreed before it.");
        if (newDate == PromisedDate)
            throw new DomainException("The new date is the same as the current promised date.");
        if (newDate < today)
            throw new DomainException("The new promised date cannot be in the past.");
        var with = Guard.Required(agreedWith, "Who agreed the new date", FieldLengths.Name);
        var why = Guard.Required(reason, "Reason", FieldLengths.Text);
        if (agreedAt > now.AddMinutes(5))
            throw new DomainException("The agreement cannot be dated in the future.");
        _dateHistory.Add(new PromisedDateChange(Id, PromisedDate, newDate, with, agreedAt, why, byUserId, now));
        PromisedDate = newDate;
    }

    public void Waive(string reason, string byUserId, DateTimeOffset now)
    {
        EnsureNotClosed();
        WaivedReason = Guard.Required(reason, "Reason for waiving", FieldLengths.Text);
        WaivedBy = byUserId;
        WaivedAt = now;
        Status = CommitmentStatus.Waived;
        foreach (var milestone in _milestones)
            milestone.SkipForWaivedPromise(byUserId, now);
    }

    /// <summary>Marks a promise without milestones done on the given date.</summary>
    public void Complete(DateOnly completedOn, DateOnly today, CustomerAcceptance? acceptance = null, DateTimeOffset? now = null)
    {
        EnsureNotClosed();
        if (_milestones.Count > 0)
            throw new DomainException("This promise is completed through its milestones: finish the last one.");
        if (completedOn > today)
            throw new DomainException("A completion date cannot be in the future.");
        if (Kind == CommitmentKind.Outcome && Direction == CommitmentDirection.Ours && acceptance is null)
            throw new DomainException("An outcome promise is done only when the customer confirms the result was reached.");
        Acceptance = acceptance;
        var before = Status;
        SetCompleted(completedOn);
        RecordStatusChange(before, now, today);
    }

    /// <summary>The step of an outcome promise where the customer confirms the result, if it has one.</summary>
    public Milestone? CustomerAcceptanceStep => _milestones.LastOrDefault(m => m.IsCustomerAcceptance);

    /// <summary>
    /// Why the customer cannot confirm this promise's outcome themselves now, or null when they can: only an outcome we
    /// promised, not waived or already confirmed, and (when it has milestones) once every step before the acceptance is finished.
    /// </summary>
    public string? WhyCustomerCannotAccept()
    {
        if (Kind != CommitmentKind.Outcome || Direction != CommitmentDirection.Ours)
            return "Only an outcome we promised is confirmed by the customer.";
        if (Status == CommitmentStatus.Waived)
            return "This promise was cancelled by agreement.";
        if (Acceptance is not null || CustomerAcceptanceStep is { Status: MilestoneStatus.Done })
            return "This outcome has already been confirmed.";
        if (_milestones.Count == 0)
            return null;
        if (CustomerAcceptanceStep is not { } step)
            return "This promise has no confirmation step: please tell your representative instead.";
        if (_milestones.Any(m => m != step && !m.IsFinished))
            return "The steps before your confirmation are not finished yet.";
        return null;
    }

    /// <summary>
    /// Records the customer's confirmation that the outcome was reached, as their own act: the acceptance step is marked done
    /// with <paramref name="acceptance"/> (or, without milestones, the promise is completed with it), so the promise is kept
    /// and the Ordered -> Delivered gate sees the acceptance.
    /// </summary>
    public void AcceptOutcome(CustomerAcceptance acceptance, string byActor, DateTimeOffset now, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(acceptance);
        if (WhyCustomerCannotAccept() is { } why)
            throw new DomainException(why);
        Guard.Required(acceptance.ConfirmedBy, "Your name", FieldLengths.Name);
        if (acceptance.ConfirmedOn > today)
            throw new DomainException("A confirmation cannot be dated in the future.");
        if (CustomerAcceptanceStep is not { } step)
        {
            Complete(acceptance.ConfirmedOn, today, acceptance, now);
            return;
        }
        UpdateMilestone(step.Id, new MilestoneChange(MilestoneStatus.Done, step.ForecastDate, acceptance.ConfirmedOn,
            Note: $"Confirmed by {acceptance.ConfirmedBy} through the customer's link.", Acceptance: acceptance), byActor, now, today);
    }

    /// <summary>
    /// Moves an open promise whose date passed to Broken (and one whose milestones are all done to Kept); returns whether it
    /// changed. A promise that settles records <see cref="PromiseStatusChanged"/> at <paramref name="now"/> (midnight UTC of
    /// <paramref name="today"/> when only the day is known).
    /// </summary>
    public bool RefreshStatus(DateOnly today, DateTimeOffset? now = null)
    {
        var before = Status;
        var changed = RefreshStatusCore(today);
        if (changed)
            RecordStatusChange(before, now, today);
        return changed;
    }

    private bool RefreshStatusCore(DateOnly today)
    {
        var before = Status;
        if (Status == CommitmentStatus.Waived)
            return false;
        if (_milestones.Count > 0)
        {
            var done = _milestones.Where(m => m.Status == MilestoneStatus.Done).ToList();
            if (done.Count > 0 && _milestones.All(m => m.IsFinished))
            {
                var acceptance = _milestones.LastOrDefault(m => m.IsCustomerAcceptance)?.Acceptance;
                if (Kind != CommitmentKind.Outcome || Direction == CommitmentDirection.Theirs || acceptance is not null)
                {
                    // A copy: an owned value must not be shared between the milestone and the promise. Replaced only when it
                    // differs: a new instance of the same value would rewrite the row (and its version) at every evaluation.
                    if (Acceptance != acceptance)
                        Acceptance = acceptance is null ? null : acceptance with { };
                    SetCompleted(done.Max(m => m.CompletedOn!.Value));
                    return Status != before;
                }
            }
            CompletedOn = null;
            Acceptance = null;
            Status = CommitmentStatus.Open;
        }
        if (Status is CommitmentStatus.Open or CommitmentStatus.Broken)
            Status = today > PromisedDate ? CommitmentStatus.Broken : CommitmentStatus.Open;
        return Status != before;
    }

    public Milestone AddMilestone(string title, string? assigneeId, DateOnly plannedDate, bool isCustomerAcceptance = false)
    {
        EnsureNotClosed();
        if (isCustomerAcceptance && _milestones.Any(m => m.IsCustomerAcceptance))
            throw new DomainException("This promise already has a customer-acceptance milestone.");
        if (!isCustomerAcceptance && Kind == CommitmentKind.Outcome && _milestones.Any(m => m.IsCustomerAcceptance))
        {
            // Customer acceptance stays last on an outcome promise: insert before it.
            var acceptance = _milestones.Single(m => m.IsCustomerAcceptance);
            var inserted = new Milestone(Id, Department, acceptance.Position, title, assigneeId, plannedDate, false);
            acceptance.Position++;
            _milestones.Insert(_milestones.IndexOf(acceptance), inserted);
            return inserted;
        }
        var milestone = new Milestone(Id, Department, _milestones.Count + 1, title, assigneeId, plannedDate, isCustomerAcceptance);
        _milestones.Add(milestone);
        return milestone;
    }

    /// <summary>Plans the milestones from the kind's template: planned dates are offsets from the promised date, never before today.</summary>
    public IReadOnlyList<Milestone> PlanFromTemplate(MilestoneTemplate template, string? assigneeId, DateOnly today)
    {
        EnsureNotClosed();
        if (template.Kind != Kind)
            throw new DomainException($"That is the {template.Kind.ToString().ToLowerInvariant()} plan; this promise is {Kind.ToString().ToLowerInvariant()}.");
        if (_milestones.Count > 0)
            throw new DomainException("This promise already has a milestone plan: edit it instead.");
        var planned = new List<Milestone>();
        foreach (var step in template.Steps)
        {
            var date = PromisedDate.AddDays(step.OffsetDays);
            planned.Add(AddMilestone(step.Title, assigneeId, date < today ? today : date, step.IsCustomerAcceptance));
        }
        return planned;
    }

    public void PlanMilestone(Guid milestoneId, string title, string? assigneeId, DateOnly plannedDate) =>
        FindMilestone(milestoneId).Plan(title, assigneeId, plannedDate);

    public void RemoveMilestone(Guid milestoneId, DateOnly today)
    {
        var milestone = FindMilestone(milestoneId);
        if (milestone.Updates.Count > 0)
            throw new DomainException($"\"{milestone.Title}\" has recorded updates; skip it with a reason instead of removing it.");
        _milestones.Remove(milestone);
        Renumber();
        RefreshStatus(today);
    }

    public void MoveMilestone(Guid milestoneId, int newPosition)
    {
        var milestone = FindMilestone(milestoneId);
        if (newPosition < 1 || newPosition > _milestones.Count)
            throw new DomainException("That position is outside the plan.");
        if (Kind == CommitmentKind.Outcome && _milestones.Any(m => m.IsCustomerAcceptance)
            && (milestone.IsCustomerAcceptance ? newPosition != _milestones.Count : newPosition == _milestones.Count))
            throw new DomainException("The customer's acceptance is the last step of an outcome promise.");
        _milestones.Remove(milestone);
        _milestones.Insert(newPosition - 1, milestone);
        Renumber();
    }

    /// <summary>Records a milestone update (status, forecast, note) and lets the promise's status follow.</summary>
    public void UpdateMilestone(Guid milestoneId, MilestoneChange change, string byUserId, DateTimeOffset now, DateOnly today)
    {
        if (!TakesMilestoneUpdates)
            throw new DomainException("This promise was waived; its milestones are closed.");
        FindMilestone(milestoneId).Apply(change, byUserId, now, today);
        RefreshStatus(today, now);
    }

    /// <summary>
    /// Moves the forecast of every unfinished milestone by <paramref name="days"/> (earlier when negative, never before
    /// today), recording the change and <paramref name="note"/> in each milestone's history.
    /// </summary>
    public void ShiftForecast(int days, string note, string byUserId, DateTimeOffset now, DateOnly today)
    {
        if (IsClosed)
            throw new DomainException("This promise is closed; its dates can no longer be re-planned.");
        var unfinished = _milestones.Where(m => !m.IsFinished).ToList();
        if (unfinished.Count == 0)
            throw new DomainException("This promise has no unfinished milestone whose dates could be re-planned.");
        var text = Guard.Required(note, "Note", FieldLengths.Text);
        foreach (var milestone in unfinished)
        {
            var moved = milestone.ExpectedDate.AddDays(days);
            milestone.Apply(
                new MilestoneChange(milestone.Status, moved < today ? today : moved, Reason: milestone.StatusReason, Note: text),
                byUserId, now, today);
        }
        RefreshStatus(today, now);
    }

    /// <summary>
    /// Stores a risk assessment; the level keeps its start time while it stays the same. An assessment equal to the stored
    /// one changes nothing (no new row version for pages left open). A rise into AtRisk or Late is recorded as
    /// <see cref="PromiseRose"/>. <paramref name="reviewOn"/> is when time alone could change it next.
    /// </summary>
    public RiskChange ApplyRisk(RiskAssessment assessment, DateTimeOffset now, DateOnly? reviewOn = null)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        Guard.Defined(assessment.Level, "Risk level");
        var change = RiskChange.Between(RiskLevel, assessment.Level);
        RiskReviewOn = reviewOn;
        if (!change.LevelChanged && RiskSince is not null && _riskReasons.SequenceEqual(assessment.Reasons))
            return change;
        if (change.LevelChanged || RiskSince is null)
            RiskSince = now;
        RiskLevel = assessment.Level;
        _riskReasons = [.. assessment.Reasons];
        RiskEvaluatedAt = now;
        if (change.RoseToAlertLevel)
            _domainEvents.Add(new PromiseRose(Id, DealId, OwnerId, Description, change.OldLevel, change.NewLevel, _riskReasons, now));
        return change;
    }

    public Milestone FindMilestone(Guid milestoneId) =>
        _milestones.FirstOrDefault(m => m.Id == milestoneId)
        ?? throw new DomainException("That milestone does not belong to this promise.");

    public static string StatusLabel(CommitmentStatus status) => status switch
    {
        CommitmentStatus.KeptLate => "kept late",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>Records a promise settling into kept, kept late or broken (not a reopening, nor kept turning kept late).</summary>
    private void RecordStatusChange(CommitmentStatus before, DateTimeOffset? now, DateOnly today)
    {
        if (Status == before || Status is not (CommitmentStatus.Kept or CommitmentStatus.KeptLate or CommitmentStatus.Broken))
            return;
        if (before is CommitmentStatus.Kept or CommitmentStatus.KeptLate && Status is CommitmentStatus.Kept or CommitmentStatus.KeptLate)
            return;
        _domainEvents.Add(new PromiseStatusChanged(Id, DealId, before, Status, now ?? new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)));
    }

    private void SetCompleted(DateOnly completedOn)
    {
        CompletedOn = completedOn;
        Status = completedOn <= PromisedDate ? CommitmentStatus.Kept : CommitmentStatus.KeptLate;
    }

    private void Renumber()
    {
        for (var i = 0; i < _milestones.Count; i++)
            _milestones[i].Position = i + 1;
    }

    private void EnsureNotClosed()
    {
        if (WhyCannotChange() is { } why)
            throw new DomainException(why);
    }
}

/// <summary>A renegotiated promised date: the old and new date, agreed with whom and when.</summary>
public sealed class PromisedDateChange
{
    private PromisedDateChange() { }

    internal PromisedDateChange(Guid commitmentId, DateOnly oldDate, DateOnly newDate, string agreedWith, DateTimeOffset agreedAt, string reason, string byUserId, DateTimeOffset at)
    {
        Id = Guid.NewGuid();
        CommitmentId = commitmentId;
        OldDate = oldDate;
        NewDate = newDate;
        AgreedWith = agreedWith;
        AgreedAt = agreedAt;
        Reason = reason;
        ByUserId = byUserId;
        At = at;
    }

    public Guid Id { get; private set; }
    public Guid CommitmentId { get; private set; }
    public DateOnly OldDate { get; private set; }
    public DateOnly NewDate { get; private set; }
    public string AgreedWith { get; private set; } = "";
    public DateTimeOffset AgreedAt { get; private set; }
    public string Reason { get; private set; } = "";
    public string ByUserId { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}

using CommitmentTracker.Domain.Risk;

namespace CommitmentTracker.Domain.Recovery;

/// <summary>
/// The seven-step playbook for one promise of ours that reached AtRisk or Late: make room, options, alert the manager,
/// tell the customer, comfort, apologise, compensate; closed with a root cause, the department and the lesson.
/// </summary>
public sealed class RecoveryPlan : IHasDomainEvents
{
    private static readonly RecoveryStepKind[] StepOrder = Enum.GetValues<RecoveryStepKind>();

    private readonly List<RecoveryStep> _steps = [];
    private readonly List<RecoveryOption> _options = [];
    private readonly List<IDomainEvent> _domainEvents = [];

    private RecoveryPlan() { }

    public Guid Id { get; private set; }
    public Guid CommitmentId { get; private set; }
    public Guid DealId { get; private set; }
    public RiskLevel Level { get; private set; }
    public DateTimeOffset DetectedAt { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }

    /// <summary>Who opened the plan by hand; null when it opened itself at detection.</summary>
    public string? OpenedBy { get; private set; }

    // Make room
    public DateOnly? ForecastDate { get; private set; }
    public DateOnly? NeedDate { get; private set; }

    /// <summary>Whether the customer's need date still covers the forecast; null until recorded.</summary>
    public bool? BufferAbsorbsSlip { get; private set; }

    // Alert the manager
    public DateTimeOffset ManagerAlertedAt { get; private set; }
    public string? ManagerAcknowledgedBy { get; private set; }
    public DateTimeOffset? ManagerAcknowledgedAt { get; private set; }

    // Tell the customer
    public Guid? CustomerToldCommunicationId { get; private set; }
    public DateTimeOffset? CustomerToldAt { get; private set; }

    // Comfort
    public string? OfferedMeanwhile { get; private set; }
    public string? ManagerContact { get; private set; }
    public string? BossContactNote { get; private set; }
    public DateTimeOffset? BossContactedAt { get; private set; }

    // Apologise
    public DateTimeOffset? SolutionPresentedAt { get; private set; }
    public bool? SolutionAccepted { get; private set; }
    public bool? CustomerForgave { get; private set; }

    // Compensate
    public Compensation? Compensation { get; private set; }
    public string? CompensationApprovedBy { get; private set; }
    public DateTimeOffset? CompensationApprovedAt { get; private set; }

    // Close
    public RootCause? RootCause { get; private set; }
    public Department? RootCauseDepartment { get; private set; }
    public string? Lesson { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }

    public IReadOnlyList<RecoveryStep> Steps => _steps;
    public IReadOnlyList<RecoveryOption> Options => _options;
    public RecoveryOption? ChosenOption => _options.SingleOrDefault(o => o.IsChosen);
    public bool IsClosed => ResolvedAt is not null;

    /// <summary>The plan's opening and closing, until the save hands them on.</summary>
    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    public void ClearDomainEvents() => _domainEvents.Clear();

    /// <summary>Compensation above budget that waits for the manager.</summary>
    public bool CompensationAwaitsApproval =>
        Compensation is { ExceedsBudget: true } && CompensationApprovedAt is null;

    public TimeSpan DetectionToManagerAlerted => ManagerAlertedAt - DetectedAt;
    public TimeSpan? DetectionToCustomerTold => CustomerToldAt - DetectedAt;
    public TimeSpan? DetectionToResolved => ResolvedAt - DetectedAt;

    public RecoveryStep Step(RecoveryStepKind kind)
    {
        Guard.Defined(kind, "Step");
        return _steps.Single(s => s.Kind == kind);
    }

    /// <summary>The first step not done yet, in playbook order; null when every step is done.</summary>
    public RecoveryStep? NextStep => _steps.OrderBy(s => s.Position).FirstOrDefault(s => !s.IsDone);

    /// <summary>
    /// The step a user should work next: a manager acknowledges the alert first, then works the open steps in playbook
    /// order; anyone else gets the first open step they own. Null when there is none (or the plan is closed).
    /// </summary>
    public RecoveryStep? NextStepFor(string userId, bool isManager)
    {
        if (IsClosed)
            return null;
        var open = _steps.OrderBy(s => s.Position).Where(s => !s.IsDone).ToList();
        return isManager
            ? open.FirstOrDefault(s => s.Kind == RecoveryStepKind.AlertManager) ?? open.FirstOrDefault()
            : open.FirstOrDefault(s => s.OwnerId == userId);
    }

    /// <summary>
    /// Opens a plan for a promise of ours at <paramref name="level"/> (AtRisk or Late), detected at
    /// <paramref name="detectedAt"/>. The manager is alerted now; the step is done when they acknowledge. Opened by hand
    /// (<paramref name="openedBy"/> given), a plan may start at any level: the rep may know before the milestones say so.
    /// </summary>
    public static RecoveryPlan Open(Guid commitmentId, Guid dealId, DateTimeOffset detectedAt, RiskLevel level, RecoverySettings settings, DateTimeOffset now, string? openedBy = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Guard.Defined(level, "Risk level");
        if (openedBy is null && level is not (RiskLevel.AtRisk or RiskLevel.Late))
            throw new DomainException("A recovery plan opens by itself only for a promise that is at risk or late.");
        if (commitmentId == Guid.Empty || dealId == Guid.Empty)
            throw new DomainException("A recovery plan needs the promise and its deal.");
        if (detectedAt > now.AddMinutes(5))
            throw new DomainException("The detection time cannot be in the future.");
        if (settings.TellCustomerWithinHours is < 1 or > 24 * 14)
            throw new DomainException("The customer must be told within between 1 hour and 14 days.");

        var plan = new RecoveryPlan
        {
            Id = Guid.NewGuid(),
            CommitmentId = commitmentId,
            DealId = dealId,
            Level = level,
            DetectedAt = detectedAt,
            OpenedAt = now,
            OpenedBy = openedBy is null ? null : Guard.Required(openedBy, "Opened by", FieldLengths.UserId),
            ManagerAlertedAt = now,
        };
        foreach (var kind in StepOrder)
        {
            if (!settings.Steps.TryGetValue(kind, out var assignment))
                throw new DomainException($"The recovery settings give no owner for the step {Label(kind)}.");
            var owner = Guard.Required(assignment.OwnerId, $"Owner of the step {Label(kind)}", FieldLengths.UserId);
            if (assignment.DueAfter < TimeSpan.Zero)
                throw new DomainException($"The step {Label(kind)} cannot be due before the problem was detected.");
            plan._steps.Add(new RecoveryStep(plan.Id, kind, owner, settings.DueAt(kind, assignment, detectedAt)));
        }
        plan._domainEvents.Add(new RecoveryPlanOpened(plan.Id, commitmentId, dealId, level, now));
        return plan;
    }

    public void AssignStep(RecoveryStepKind kind, string ownerId)
    {
        EnsureOpen();
        Step(kind).Assign(Guard.Required(ownerId, "Owner", FieldLengths.UserId));
    }

    public void SetNotes(RecoveryStepKind kind, string? notes)
    {
        EnsureOpen();
        Step(kind).SetNotes(Guard.Optional(notes, "Notes", FieldLengths.Text));
    }

    // ---------- 1. Make room ----------

    /// <summary>Records the forecast against the customer's need date; returns whether the buffer absorbs the slip.</summary>
    public bool RecordMakeRoom(DateOnly forecast, DateOnly? needDate, DateTimeOffset now)
    {
        EnsureOpen();
        ForecastDate = forecast;
        NeedDate = needDate;
        BufferAbsorbsSlip = needDate is { } need && forecast <= need;
        Step(RecoveryStepKind.MakeRoom).MarkDone(now);
        return BufferAbsorbsSlip.Value;
    }

    // ---------- 2. Options ----------

    public RecoveryOption AddOption(RecoveryOptionKind kind, string description, DateTimeOffset now, Guid? reshuffleWithCommitmentId = null)
    {
        EnsureOpen();
        Guard.Defined(kind, "Kind of option");
        var text = Guard.Required(description, "Description of the option", FieldLengths.Text);
        if (kind == RecoveryOptionKind.Reshuffle && (reshuffleWithCommitmentId is null || reshuffleWithCommitmentId == Guid.Empty))
            throw new DomainException("A reshuffle option needs the other promise whose slack it takes.");
        if (kind != RecoveryOptionKind.Reshuffle && reshuffleWithCommitmentId is not null)
            throw new DomainException("Only a reshuffle option takes another promise.");
        if (reshuffleWithCommitmentId == CommitmentId)
            throw new DomainException("A promise cannot be reshuffled with itself.");
        if (reshuffleWithCommitmentId is not null && _options.Any(o => o.ReshuffleWithCommitmentId == reshuffleWithCommitmentId))
            throw new DomainException("A reshuffle with that promise is already an option.");
        var option = new RecoveryOption(Id, kind, text, reshuffleWithCommitmentId, now);
        _options.Add(option);
        return option;
    }

    /// <summary>Chooses exactly one option; another can be chosen instead until a solution was accepted.</summary>
    public void ChooseOption(Guid optionId, DateTimeOffset now)
    {
        EnsureOpen();
        var option = _options.SingleOrDefault(o => o.Id == optionId)
            ?? throw new DomainException("That option is not part of this plan.");
        if (SolutionAccepted == true)
            throw new DomainException("The customer already accepted the chosen solution; it can no longer be changed.");
        if (ChosenOption is { Kind: RecoveryOptionKind.Reshuffle } reshuffle && reshuffle.Id != option.Id && SolutionAccepted != false)
            throw new DomainException("The reshuffle was carried out: both promises were re-planned, so the choice stands unless the customer refuses it.");
        if (option.IsChosen)
            throw new DomainException("That option is already the chosen one.");
        foreach (var other in _options)
            other.IsChosen = false;
        option.IsChosen = true;
        // A new choice has not been presented yet.
        SolutionPresentedAt = null;
        SolutionAccepted = null;
        Step(RecoveryStepKind.Options).MarkDone(now);
    }

    // ---------- 3. Alert the manager ----------

    public void AcknowledgeByManager(string managerId, DateTimeOffset now)
    {
        EnsureOpen();
        if (ManagerAcknowledgedAt is not null)
            throw new DomainException("The manager already acknowledged this plan.");
        ManagerAcknowledgedBy = Guard.Required(managerId, "Manager", FieldLengths.UserId);
        ManagerAcknowledgedAt = now;
        Step(RecoveryStepKind.AlertManager).MarkDone(now);
    }

    // ---------- 4. Tell the customer ----------

    /// <summary>Done only with the logged communication in which the customer was told.</summary>
    public void TellCustomer(Guid communicationEntryId, DateTimeOffset now)
    {
        EnsureOpen();
        if (communicationEntryId == Guid.Empty)
            throw new DomainException("Log the call or email in which the customer was told, then link it here.");
        if (CustomerToldAt is not null)
            throw new DomainException("The customer was already told.");
        CustomerToldCommunicationId = communicationEntryId;
        CustomerToldAt = now;
        Step(RecoveryStepKind.TellCustomer).MarkDone(now);
    }

    // ---------- 5. Comfort ----------

    /// <summary>What is offered meanwhile and the manager's own contact with the customer.</summary>
    public void RecordComfort(string offeredMeanwhile, string managerContact, DateTimeOffset now)
    {
        EnsureOpen();
        var offered = Guard.Required(offeredMeanwhile, "What is offered meanwhile", FieldLengths.Text);
        ManagerContact = Guard.Required(managerContact, "The manager's contact with the customer", FieldLengths.Text);
        OfferedMeanwhile = offered;
        Step(RecoveryStepKind.Comfort).MarkDone(now);
    }

    /// <summary>
    /// Records contacting the customer's boss. Pass the contact's <c>MayContactTheirManager</c>: without the customer's
    /// recorded permission we never go over their head.
    /// </summary>
    public void ContactCustomersBoss(bool contactGavePermission, string note, DateTimeOffset now)
    {
        EnsureOpen();
        if (!contactGavePermission)
            throw new DomainException("The customer has not given permission to contact their manager. Ask them first and record it on the contact.");
        BossContactNote = Guard.Required(note, "Note on the contact with the customer's manager", FieldLengths.Text);
        BossContactedAt = now;
    }

    // ---------- 6. Apologise ----------

    /// <summary>Records presenting the chosen option to the customer and whether they accepted it.</summary>
    public void PresentSolution(bool accepted, DateTimeOffset now)
    {
        EnsureOpen();
        if (ChosenOption is null)
            throw new DomainException("Choose an option before presenting a solution to the customer.");
        if (SolutionAccepted == true)
            throw new DomainException("The customer already accepted the solution.");
        SolutionPresentedAt = now;
        SolutionAccepted = accepted;
    }

    /// <summary>An apology before a solution was presented and accepted sounds hollow, so it is refused.</summary>
    public void Apologise(bool customerForgave, DateTimeOffset now)
    {
        EnsureOpen();
        if (SolutionAccepted != true)
            throw new DomainException(SolutionPresentedAt is null
                ? "Apologise only after a solution was presented and accepted: an early apology sounds hollow."
                : "The customer has not accepted the solution yet. Apologise once they accept one.");
        CustomerForgave = customerForgave;
        Step(RecoveryStepKind.Apologise).MarkDone(now);
    }

    // ---------- 7. Compensate ----------

    /// <summary>
    /// Records the compensation and returns warnings for the user. Within <paramref name="budget"/> (the customer
    /// acquisition cost) it counts as done at once; above it, it waits for the manager's approval. Recording another
    /// while the plan is open replaces it (a mistaken entry, or a better offer) and asks for approval afresh.
    /// </summary>
    public IReadOnlyList<string> Compensate(string item, decimal faceValue, decimal costToUs, decimal estimatedLoss, decimal budget, DateTimeOffset now)
    {
        EnsureOpen();
        var what = Guard.Required(item, "Compensation item", FieldLengths.Title);
        if (faceValue <= 0)
            throw new DomainException("The face value of the compensation must be more than zero.");
        if (costToUs < 0 || estimatedLoss < 0 || budget < 0)
            throw new DomainException("Cost to us, estimated loss and budget cannot be negative.");

        var compensation = new Compensation(what, faceValue, costToUs, estimatedLoss, budget);
        var warnings = new List<string>();
        if (CompensationBudget.FallsShortOfLoss(faceValue, estimatedLoss))
            warnings.Add($"The face value {faceValue:0.##} does not exceed the customer's estimated loss {estimatedLoss:0.##}: compensate beyond the loss.");
        if (compensation.ExceedsBudget)
            warnings.Add($"The cost to us {costToUs:0.##} is above the budget {budget:0.##} (customer acquisition cost): the manager must approve it.");

        Compensation = compensation;
        CompensationApprovedBy = null;
        CompensationApprovedAt = null;
        if (compensation.ExceedsBudget)
            Step(RecoveryStepKind.Compensate).MarkNotDone();
        else
            Step(RecoveryStepKind.Compensate).MarkDone(now);
        return warnings;
    }

    public void ApproveCompensation(string managerId, DateTimeOffset now)
    {
        EnsureOpen();
        if (!CompensationAwaitsApproval)
            throw new DomainException("No compensation above budget is waiting for approval.");
        CompensationApprovedBy = Guard.Required(managerId, "Manager", FieldLengths.UserId);
        CompensationApprovedAt = now;
        Step(RecoveryStepKind.Compensate).MarkDone(now);
    }

    // ---------- Close ----------

    public void Close(RootCause rootCause, Department department, string lesson, DateTimeOffset now)
    {
        EnsureOpen();
        if (CompensationAwaitsApproval)
            throw new DomainException("The compensation above budget waits for the manager's approval: approve it, or record a smaller one, before closing.");
        Guard.Defined(rootCause, "Root cause");
        Guard.Defined(department, "Department");
        Lesson = Guard.Required(lesson, "The lesson (what changes so it does not happen again)", FieldLengths.Text);
        RootCause = rootCause;
        RootCauseDepartment = department;
        ResolvedAt = now;
        _domainEvents.Add(new RecoveryPlanClosed(Id, CommitmentId, DealId, rootCause, department, now));
    }

    // ---------- Escalation ----------

    /// <summary>Steps past their due time, not done and not escalated yet, in playbook order; none once closed.</summary>
    public IReadOnlyList<RecoveryStep> StepsToEscalate(DateTimeOffset now) =>
        IsClosed ? [] : _steps.OrderBy(s => s.Position).Where(s => s.IsOverdue(now) && s.EscalatedAt is null).ToList();

    /// <summary>Records that an overdue step was escalated to the next manager up (or an admin); once per step.</summary>
    public void MarkEscalated(RecoveryStepKind kind, string to, DateTimeOffset now)
    {
        EnsureOpen();
        var step = Step(kind);
        if (step.EscalatedAt is not null)
            throw new DomainException($"The step {Label(kind)} was already escalated.");
        if (!step.IsOverdue(now))
            throw new DomainException($"The step {Label(kind)} is not overdue.");
        step.MarkEscalated(Guard.Required(to, "Escalated to", FieldLengths.UserId), now);
    }

    private void EnsureOpen()
    {
        if (IsClosed)
            throw new DomainException("This recovery plan is closed.");
    }

    public static string Label(RecoveryStepKind kind) => kind switch
    {
        RecoveryStepKind.MakeRoom => "Make room",
        RecoveryStepKind.Options => "Options",
        RecoveryStepKind.AlertManager => "Alert the manager",
        RecoveryStepKind.TellCustomer => "Tell the customer",
        RecoveryStepKind.Comfort => "Comfort",
        RecoveryStepKind.Apologise => "Apologise",
        RecoveryStepKind.Compensate => "Compensate",
        _ => kind.ToString(),
    };

    public static string Label(Recovery.RootCause cause) => cause switch
    {
        Recovery.RootCause.BadTechnicalInformation => "Bad technical information",
        Recovery.RootCause.PoorCommunication => "Poor communication",
        Recovery.RootCause.UnexpectedDeliveryProblem => "Unexpected delivery problem",
        Recovery.RootCause.UnrealisticExpectations => "Unrealistic expectations",
        Recovery.RootCause.Dishonesty => "Dishonesty",
        Recovery.RootCause.CustomerSideDelay => "Customer-side delay",
        _ => "Other",
    };

    public static string Label(RecoveryOptionKind kind) => kind switch
    {
        RecoveryOptionKind.AnotherSource => "Another source",
        RecoveryOptionKind.LoanOrDemoUnit => "Loan or demo unit",
        RecoveryOptionKind.PartialDelivery => "Partial delivery",
        RecoveryOptionKind.Reshuffle => "Reshuffle",
        _ => "Other",
    };
}

namespace CommitmentTracker.Domain.Commitments;

/// <summary>Where a delivery step stands.</summary>
public enum MilestoneStatus { NotStarted, InProgress, Blocked, Done, Skipped }

/// <summary>A change service staff make to a milestone in one go.</summary>
public sealed record MilestoneChange(
    MilestoneStatus Status,
    DateOnly? ForecastDate,
    DateOnly? CompletedOn = null,
    string? Reason = null,
    string? Note = null,
    CustomerAcceptance? Acceptance = null);

/// <summary>One step of delivering a promise, kept current by service staff.</summary>
public sealed class Milestone
{
    private readonly List<MilestoneUpdate> _updates = [];

    private Milestone() { }

    internal Milestone(Guid commitmentId, Department department, int position, string title, string? assigneeId, DateOnly plannedDate, bool isCustomerAcceptance)
    {
        Id = Guid.NewGuid();
        CommitmentId = commitmentId;
        Department = department;
        Position = position;
        Title = Guard.Required(title, "Milestone title", FieldLengths.Title);
        AssigneeId = assigneeId;
        PlannedDate = plannedDate;
        IsCustomerAcceptance = isCustomerAcceptance;
        Status = MilestoneStatus.NotStarted;
    }

    public Guid Id { get; private set; }
    public Guid CommitmentId { get; private set; }

    /// <summary>The department of its promise (which never changes), so the fulfilment queue reads it without the promise.</summary>
    public Department Department { get; private set; }
    public int Position { get; internal set; }
    public string Title { get; private set; } = "";
    public string? AssigneeId { get; private set; }
    public DateOnly PlannedDate { get; private set; }
    public DateOnly? ForecastDate { get; private set; }
    public DateOnly? CompletedOn { get; private set; }
    public MilestoneStatus Status { get; private set; }

    /// <summary>Why it is blocked or skipped.</summary>
    public string? StatusReason { get; private set; }

    /// <summary>The last step of an outcome promise: the customer confirms the result was reached.</summary>
    public bool IsCustomerAcceptance { get; private set; }

    public CustomerAcceptance? Acceptance { get; private set; }
    public DateTimeOffset? LastUpdatedAt { get; private set; }
    public string? LastUpdatedBy { get; private set; }
    public IReadOnlyList<MilestoneUpdate> Updates => _updates;

    public bool IsFinished => Status is MilestoneStatus.Done or MilestoneStatus.Skipped;

    /// <summary>The date the step is expected to finish: its forecast if one was given, else its plan.</summary>
    public DateOnly ExpectedDate => CompletedOn ?? ForecastDate ?? PlannedDate;

    internal void Plan(string title, string? assigneeId, DateOnly plannedDate)
    {
        Title = Guard.Required(title, "Milestone title", FieldLengths.Title);
        AssigneeId = assigneeId;
        PlannedDate = plannedDate;
    }

    /// <summary>Its promise was waived: an unfinished milestone will not be done, and leaves the fulfilment queue.</summary>
    internal void SkipForWaivedPromise(string byUserId, DateTimeOffset now)
    {
        if (IsFinished)
            return;
        var oldStatus = Status;
        Status = MilestoneStatus.Skipped;
        StatusReason = WaivedPromiseReason;
        LastUpdatedAt = now;
        LastUpdatedBy = byUserId;
        _updates.Add(new MilestoneUpdate(Id, byUserId, now, oldStatus, Status, ForecastDate, ForecastDate, WaivedPromiseReason));
    }

    /// <summary>Why the milestones of a waived promise are skipped.</summary>
    public const string WaivedPromiseReason = "The promise was waived.";

    internal void Apply(MilestoneChange change, string byUserId, DateTimeOffset now, DateOnly today)
    {
        Guard.Defined(change.Status, "Milestone status");
        var reason = Guard.Optional(change.Reason, "Reason", FieldLengths.Text);
        var note = Guard.Optional(change.Note, "Note", FieldLengths.Text);
        DateOnly? completedOn = null;
        CustomerAcceptance? acceptance = null;
        switch (change.Status)
        {
            case MilestoneStatus.Blocked when reason is null:
                throw new DomainException($"Say why \"{Title}\" is blocked.");
            case MilestoneStatus.Skipped when reason is null:
                throw new DomainException($"Say why \"{Title}\" is skipped.");
            case MilestoneStatus.Skipped when IsCustomerAcceptance:
                throw new DomainException("The customer's acceptance cannot be skipped. If the customer agreed to drop the outcome, waive the promise instead.");
            case MilestoneStatus.Done:
                completedOn = change.CompletedOn ?? throw new DomainException($"Give the date \"{Title}\" was completed.");
                if (completedOn > today)
                    throw new DomainException("A completion date cannot be in the future.");
                if (IsCustomerAcceptance)
                {
                    acceptance = change.Acceptance ?? throw new DomainException("Record who at the customer confirmed the outcome, when and how.");
                    Guard.Required(acceptance.ConfirmedBy, "Who confirmed", FieldLengths.Name);
                }
                break;
        }

        var oldStatus = Status;
        var oldForecast = ForecastDate;
        Status = change.Status;
        ForecastDate = change.ForecastDate;
        CompletedOn = completedOn;
        Acceptance = acceptance;
        StatusReason = change.Status is MilestoneStatus.Blocked or MilestoneStatus.Skipped ? reason : null;
        LastUpdatedAt = now;
        LastUpdatedBy = byUserId;
        _updates.Add(new MilestoneUpdate(Id, byUserId, now, oldStatus, Status, oldForecast, ForecastDate, note ?? reason));
    }
}

/// <summary>One recorded change of a milestone's status or forecast: who, when, old and new values, note.</summary>
public sealed class MilestoneUpdate
{
    private MilestoneUpdate() { }

    internal MilestoneUpdate(Guid milestoneId, string byUserId, DateTimeOffset at, MilestoneStatus oldStatus, MilestoneStatus newStatus, DateOnly? oldForecast, DateOnly? newForecast, string? note)
    {
        Id = Guid.NewGuid();
        MilestoneId = milestoneId;
        ByUserId = byUserId;
        At = at;
        OldStatus = oldStatus;
        NewStatus = newStatus;
        OldForecast = oldForecast;
        NewForecast = newForecast;
        Note = note;
    }

    public Guid Id { get; private set; }
    public Guid MilestoneId { get; private set; }
    public string ByUserId { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    public MilestoneStatus OldStatus { get; private set; }
    public MilestoneStatus NewStatus { get; private set; }
    public DateOnly? OldForecast { get; private set; }
    public DateOnly? NewForecast { get; private set; }
    public string? Note { get; private set; }
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using FluentValidation;

namespace CommitmentTracker.Web.Features.Promises;

/// <summary>What the rep chooses for a promised date sooner than the kind's standard lead time.</summary>
public enum AggressiveHandling
{
    /// <summary>The promise waits for the manager's approval.</summary>
    AskManager,

    /// <summary>The rep writes why the date is safe to promise.</summary>
    WriteReason,
}

/// <summary>The form logging a promise, ours or the customer's.</summary>
public sealed class AddPromiseInput
{
    public CommitmentDirection Direction { get; set; } = CommitmentDirection.Ours;
    public CommitmentKind Kind { get; set; } = CommitmentKind.Delivery;
    public string Description { get; set; } = "";
    public string? OwnerId { get; set; }
    public Department? Department { get; set; }
    public DateTime? PromisedDate { get; set; }
    public DateTime? NeedDate { get; set; }

    /// <summary>The account's contact who acknowledged the promise, when they did.</summary>
    public Guid? AcknowledgedByContactId { get; set; }

    public CommunicationChannel? AcknowledgementChannel { get; set; }
    public AggressiveHandling AggressiveHandling { get; set; } = AggressiveHandling.AskManager;
    public string? AggressiveReason { get; set; }

    /// <summary>The words the promise was made in, when it is taken from a logged email; kept on the promise as its evidence.</summary>
    public string? Evidence { get; set; }

    /// <summary>A fresh form for a promise of ours or of the customer's, owned by the deal's rep.</summary>
    public static AddPromiseInput For(CommitmentDirection direction, string dealOwnerId) => new()
    {
        Direction = direction,
        Kind = direction == CommitmentDirection.Ours ? CommitmentKind.Delivery : CommitmentKind.Other,
        OwnerId = dealOwnerId,
        Department = direction == CommitmentDirection.Ours ? Domain.Department.Sales : Domain.Department.Customer,
    };
}

/// <summary>The form agreeing a new promised date with the customer.</summary>
public sealed class RenegotiateInput
{
    public DateTime? NewDate { get; set; }

    /// <summary>Who at the customer agreed the new date: a contact of the account, or a name typed in.</summary>
    public string AgreedWith { get; set; } = "";

    public DateTime? AgreedOn { get; set; }
    public string Reason { get; set; } = "";
}

/// <summary>The form cancelling a promise by agreement.</summary>
public sealed class WaiveInput
{
    public string Reason { get; set; } = "";

    /// <summary>The user confirms the promise is cancelled by agreement, not dropped.</summary>
    public bool Confirmed { get; set; }
}

/// <summary>The manager's reason for refusing an aggressive promised date.</summary>
public sealed class RejectAggressiveInput
{
    public string Reason { get; set; } = "";
}

/// <summary>Validates a promise being logged; the same rules serve the form and the server.</summary>
public sealed class AddPromiseValidator : ModelValidator<AddPromiseInput>
{
    public AddPromiseValidator(TimeProvider clock)
    {
        RuleFor(x => x.Direction).IsInEnum();
        RuleFor(x => x.Kind).IsInEnum().WithMessage("Pick what kind of promise this is.");
        RuleFor(x => x.Description).NotEmpty().WithMessage("Describe what is promised.")
            .MaximumLength(FieldLengths.Text).WithMessage($"Keep the description under {FieldLengths.Text} characters.");
        RuleFor(x => x.OwnerId).NotEmpty().WithMessage("Pick who owns this promise.");
        RuleFor(x => x.Department).NotNull().WithMessage("Pick the department that keeps this promise.")
            .Must((x, d) => d is null || (x.Direction == CommitmentDirection.Theirs) == (d == Domain.Department.Customer))
            .WithMessage(x => x.Direction == CommitmentDirection.Theirs
                ? "A promise of the customer's belongs to the Customer department."
                : "A promise of ours belongs to one of our departments, not Customer.");
        RuleFor(x => x.PromisedDate).NotNull().WithMessage("Enter the promised date.")
            .Must(d => d is null || DateOnly.FromDateTime(d.Value) >= Today(clock))
            .WithMessage("The promised date cannot be in the past.");
        RuleFor(x => x.NeedDate)
            .Must(d => d is null || DateOnly.FromDateTime(d.Value) >= Today(clock))
            .WithMessage("The customer's need date cannot be in the past.");
        RuleFor(x => x.AcknowledgementChannel).NotNull().When(x => x.AcknowledgedByContactId is not null)
            .WithMessage("Say how the customer acknowledged the promise.");
        RuleFor(x => x.AggressiveReason).NotEmpty()
            .When(x => x.Direction == CommitmentDirection.Ours && x.AggressiveHandling == AggressiveHandling.WriteReason)
            .WithMessage("Write why this date is safe to promise, or ask your manager to approve it.")
            .MaximumLength(FieldLengths.Text);
        RuleFor(x => x.Evidence).MaximumLength(FieldLengths.Text).WithMessage($"The evidence is kept up to {FieldLengths.Text} characters.");
    }

    internal static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

/// <summary>Validates a renegotiation; the domain then checks it against the promise's current date.</summary>
public sealed class RenegotiateValidator : ModelValidator<RenegotiateInput>
{
    public RenegotiateValidator(TimeProvider clock)
    {
        RuleFor(x => x.NewDate).NotNull().WithMessage("Enter the new promised date.")
            .Must(d => d is null || DateOnly.FromDateTime(d.Value) >= AddPromiseValidator.Today(clock))
            .WithMessage("The new promised date cannot be in the past.");
        RuleFor(x => x.AgreedWith).NotEmpty().WithMessage("Say who at the customer agreed the new date.")
            .MaximumLength(FieldLengths.Name);
        RuleFor(x => x.AgreedOn).NotNull().WithMessage("Enter when the new date was agreed.")
            .Must(d => d is null || DateOnly.FromDateTime(d.Value) <= AddPromiseValidator.Today(clock))
            .WithMessage("The agreement cannot be dated in the future.");
        RuleFor(x => x.Reason).NotEmpty().WithMessage("Say why the date moves.")
            .MaximumLength(FieldLengths.Text);
    }
}

/// <summary>Validates a waiver: a reason, and the confirmation that it was agreed.</summary>
public sealed class WaiveValidator : ModelValidator<WaiveInput>
{
    public WaiveValidator()
    {
        RuleFor(x => x.Reason).NotEmpty().WithMessage("Say why the promise is waived.")
            .MaximumLength(FieldLengths.Text);
        RuleFor(x => x.Confirmed).Equal(true).WithMessage("Confirm that the promise is cancelled by agreement with the customer.");
    }
}

/// <summary>Validates a manager's rejection of an aggressive date.</summary>
public sealed class RejectAggressiveValidator : ModelValidator<RejectAggressiveInput>
{
    public RejectAggressiveValidator()
    {
        RuleFor(x => x.Reason).NotEmpty().WithMessage("Say why the date is rejected, so the rep can agree a safer one.")
            .MaximumLength(FieldLengths.Text);
    }
}

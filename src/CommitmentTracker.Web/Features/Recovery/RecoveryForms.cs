using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Recovery;
using FluentValidation;

namespace CommitmentTracker.Web.Features.Recovery;

/// <summary>Step 1: the forecast the user agrees with (the milestones' forecast by default).</summary>
public sealed class MakeRoomInput
{
    public DateTime? ForecastDate { get; set; }
    public string? Notes { get; set; }
}

public sealed class MakeRoomValidator : ModelValidator<MakeRoomInput>
{
    public MakeRoomValidator()
    {
        RuleFor(x => x.ForecastDate).NotNull().WithMessage("Give the date the delivery is now expected.");
        RuleFor(x => x.Notes).MaximumLength(FieldLengths.Text);
    }
}

/// <summary>Step 2: one option considered; a reshuffle names the other promise.</summary>
public sealed class OptionInput
{
    public RecoveryOptionKind Kind { get; set; } = RecoveryOptionKind.AnotherSource;
    public string? Description { get; set; }
    public Guid? ReshuffleWithCommitmentId { get; set; }
}

public sealed class OptionValidator : ModelValidator<OptionInput>
{
    public OptionValidator()
    {
        RuleFor(x => x.Kind).IsInEnum();
        RuleFor(x => x.Description).NotEmpty().WithMessage("Describe the option: what would be done, by whom, by when.")
            .MaximumLength(FieldLengths.Text);
        RuleFor(x => x.ReshuffleWithCommitmentId).NotNull().When(x => x.Kind == RecoveryOptionKind.Reshuffle)
            .WithMessage("Pick the promise whose slack the reshuffle takes.");
    }
}

/// <summary>Step 4: the call or email in which the customer was told; logged in the communication log.</summary>
public sealed class TellCustomerInput
{
    public CommunicationChannel Channel { get; set; } = CommunicationChannel.Phone;
    public string? People { get; set; }
    public string? Summary { get; set; }
}

public sealed class TellCustomerValidator : ModelValidator<TellCustomerInput>
{
    public TellCustomerValidator()
    {
        RuleFor(x => x.Channel).IsInEnum();
        RuleFor(x => x.People).NotEmpty().WithMessage("Who did you speak to?").MaximumLength(FieldLengths.Name);
        RuleFor(x => x.Summary).NotEmpty().WithMessage("Write what you told the customer: the situation and the options.")
            .MaximumLength(FieldLengths.Text);
    }
}

/// <summary>Step 5: what is offered meanwhile and the manager's own contact.</summary>
public sealed class ComfortInput
{
    public string? OfferedMeanwhile { get; set; }
    public string? ManagerContact { get; set; }
}

public sealed class ComfortValidator : ModelValidator<ComfortInput>
{
    public ComfortValidator()
    {
        RuleFor(x => x.OfferedMeanwhile).NotEmpty().WithMessage("Say what the customer gets meanwhile (a loan unit, extra support, a weekly call).")
            .MaximumLength(FieldLengths.Text);
        RuleFor(x => x.ManagerContact).NotEmpty().WithMessage("Record the manager's own contact with the customer.")
            .MaximumLength(FieldLengths.Text);
    }
}

/// <summary>Step 5, optional: contacting the customer's boss, with the permission of a named contact.</summary>
public sealed class BossContactInput
{
    public Guid? PermissionFromContactId { get; set; }
    public string? Note { get; set; }
}

public sealed class BossContactValidator : ModelValidator<BossContactInput>
{
    public BossContactValidator()
    {
        RuleFor(x => x.PermissionFromContactId).NotNull().WithMessage("Pick the contact who gave permission.");
        RuleFor(x => x.Note).NotEmpty().WithMessage("Note what was said to their manager.").MaximumLength(FieldLengths.Text);
    }
}

/// <summary>Step 7: what we give beyond the loss.</summary>
public sealed class CompensationInput
{
    public string? Item { get; set; }
    public decimal? FaceValue { get; set; }
    public decimal? CostToUs { get; set; }
    public decimal? EstimatedLoss { get; set; }
}

public sealed class CompensationValidator : ModelValidator<CompensationInput>
{
    public CompensationValidator()
    {
        RuleFor(x => x.Item).NotEmpty().WithMessage("Name the item, e.g. \"Two extra training days\".").MaximumLength(FieldLengths.Title);
        RuleFor(x => x.FaceValue).NotNull().WithMessage("Give the face value to the customer.")
            .GreaterThan(0).WithMessage("The face value must be more than zero.").LessThan(1_000_000_000m).WithMessage("That amount is too large.");
        RuleFor(x => x.CostToUs).NotNull().WithMessage("Give what it costs us.")
            .GreaterThanOrEqualTo(0).WithMessage("The cost cannot be negative.").LessThan(1_000_000_000m).WithMessage("That amount is too large.");
        RuleFor(x => x.EstimatedLoss).NotNull().WithMessage("Estimate the customer's loss (0 if none).")
            .GreaterThanOrEqualTo(0).WithMessage("The loss cannot be negative.").LessThan(1_000_000_000m).WithMessage("That amount is too large.");
    }
}

/// <summary>Closing: why it happened, where, and what changes.</summary>
public sealed class CloseInput
{
    public RootCause? RootCause { get; set; }
    public Department? Department { get; set; }
    public string? Lesson { get; set; }
}

public sealed class CloseValidator : ModelValidator<CloseInput>
{
    public CloseValidator()
    {
        RuleFor(x => x.RootCause).NotNull().WithMessage("Pick the root cause.").IsInEnum();
        RuleFor(x => x.Department).NotNull().WithMessage("Pick the department where it went wrong.").IsInEnum();
        RuleFor(x => x.Lesson).NotEmpty().WithMessage("Write the lesson: what changes so it does not happen again.")
            .MaximumLength(FieldLengths.Text);
    }
}

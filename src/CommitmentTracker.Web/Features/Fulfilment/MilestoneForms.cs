using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Components.Shared;
using FluentValidation;

namespace CommitmentTracker.Web.Features.Fulfilment;

/// <summary>The quick fulfilment update: status, forecast, note (and what each status needs).</summary>
public sealed class MilestoneUpdateInput
{
    public MilestoneStatus Status { get; set; } = MilestoneStatus.InProgress;
    public DateTime? ForecastDate { get; set; }
    public DateTime? CompletedOn { get; set; }
    public string? Reason { get; set; }
    public string? Note { get; set; }

    /// <summary>For the customer-acceptance step: who at the customer confirmed the outcome, and how.</summary>
    public string? ConfirmedBy { get; set; }
    public CommunicationChannel ConfirmedVia { get; set; } = CommunicationChannel.Email;

    public bool IsCustomerAcceptance { get; set; }

    /// <summary>This update as it applies to one milestone (customer acceptance needs more).</summary>
    public MilestoneUpdateInput For(Milestone milestone) => new()
    {
        Status = Status,
        ForecastDate = ForecastDate,
        CompletedOn = CompletedOn,
        Reason = Reason,
        Note = Note,
        ConfirmedBy = ConfirmedBy,
        ConfirmedVia = ConfirmedVia,
        IsCustomerAcceptance = milestone.IsCustomerAcceptance,
    };

    public MilestoneChange ToChange() => new(
        Status,
        ForecastDate is { } f ? DateOnly.FromDateTime(f) : null,
        Status == MilestoneStatus.Done && CompletedOn is { } c ? DateOnly.FromDateTime(c) : null,
        Reason,
        Note,
        Status == MilestoneStatus.Done && IsCustomerAcceptance && CompletedOn is { } on
            ? new CustomerAcceptance(ConfirmedBy ?? "", DateOnly.FromDateTime(on), ConfirmedVia)
            : null);
}

/// <summary>Validates a fulfilment update, in the dialog and again on the server.</summary>
public sealed class MilestoneUpdateValidator : ModelValidator<MilestoneUpdateInput>
{
    public MilestoneUpdateValidator(TimeProvider clock)
    {
        RuleFor(x => x.Status).IsInEnum();
        RuleFor(x => x.Reason).NotEmpty().When(x => x.Status is MilestoneStatus.Blocked).WithMessage("Say what blocks it.")
            .MaximumLength(FieldLengths.Text);
        RuleFor(x => x.Reason).NotEmpty().When(x => x.Status is MilestoneStatus.Skipped).WithMessage("Say why it is skipped.");
        RuleFor(x => x.CompletedOn).NotNull().When(x => x.Status == MilestoneStatus.Done).WithMessage("Enter the date it was completed.")
            .Must(d => d is null || DateOnly.FromDateTime(d.Value) <= TimeFormat.LatestToday(clock.GetUtcNow()))
            .WithMessage("A completion date cannot be in the future.");
        RuleFor(x => x.ConfirmedBy).NotEmpty().When(x => x.Status == MilestoneStatus.Done && x.IsCustomerAcceptance)
            .WithMessage("Record who at the customer confirmed the outcome.").MaximumLength(FieldLengths.Name);
        RuleFor(x => x.Status).NotEqual(MilestoneStatus.Skipped).When(x => x.IsCustomerAcceptance)
            .WithMessage("The customer's acceptance cannot be skipped.");
        RuleFor(x => x.Note).MaximumLength(FieldLengths.Text);
    }
}

/// <summary>Fulfilment settings (section "Fulfilment").</summary>
public sealed class FulfilmentOptions
{
    public const string Section = "Fulfilment";

    /// <summary>An in-progress milestone with no update for this many days is stale.</summary>
    public int StaleAfterDays { get; set; } = 5;
}

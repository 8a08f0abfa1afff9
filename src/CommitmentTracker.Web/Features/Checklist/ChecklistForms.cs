using CommitmentTracker.Domain;
using CommitmentTracker.Web.Components.Shared;
using FluentValidation;

namespace CommitmentTracker.Web.Features.Checklist;

/// <summary>The answer to one checklist item, as agreed with the customer.</summary>
public sealed class ChecklistAnswerInput
{
    public string Answer { get; set; } = "";
}

/// <summary>A risk from the library to share with the customer.</summary>
public sealed class ShareRiskInput
{
    public Guid? RiskId { get; set; }
}

/// <summary>The customer's acknowledgement of the whole checklist: who, when, how.</summary>
public sealed class ChecklistAcknowledgementInput
{
    /// <summary>One of the account's contacts.</summary>
    public Guid? ContactId { get; set; }

    public CommunicationChannel Channel { get; set; } = CommunicationChannel.Meeting;

    /// <summary>The day the customer acknowledged it, in <see cref="TimeZone"/>.</summary>
    public DateTime? On { get; set; }

    /// <summary>The time of day, on the clock of <see cref="TimeZone"/>.</summary>
    public TimeSpan? At { get; set; }

    /// <summary>The moment of the acknowledgement, or null while the date or time is missing.</summary>
    public DateTimeOffset? Moment => On is { } day && At is { } time && TextRules.IsTimeOfDay(time)
        ? TimeFormat.FromLocal(day.Date + time, TimeZoneIds.TryFind(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc) : null;

    /// <summary>The IANA zone the day and time were entered in (the user's); empty means UTC. Converted to UTC on the server.</summary>
    public string? TimeZone { get; set; }
}

/// <summary>Validates an answer to a checklist item.</summary>
public sealed class ChecklistAnswerValidator : ModelValidator<ChecklistAnswerInput>
{
    public ChecklistAnswerValidator()
    {
        RuleFor(x => x.Answer).NotEmpty().WithMessage("Write down what was agreed with the customer.")
            .MaximumLength(FieldLengths.Text).WithMessage($"Keep the answer under {FieldLengths.Text} characters.");
    }
}

/// <summary>Validates the choice of a risk to share.</summary>
public sealed class ShareRiskValidator : ModelValidator<ShareRiskInput>
{
    public ShareRiskValidator()
    {
        RuleFor(x => x.RiskId).NotNull().WithMessage("Pick a risk from the library.");
    }
}

/// <summary>Validates the customer's acknowledgement of the checklist.</summary>
public sealed class ChecklistAcknowledgementValidator : ModelValidator<ChecklistAcknowledgementInput>
{
    public ChecklistAcknowledgementValidator(TimeProvider clock)
    {
        RuleFor(x => x.ContactId).NotNull().WithMessage("Pick who at the customer acknowledged the checklist.");
        RuleFor(x => x.Channel).IsInEnum().WithMessage("Pick how the customer acknowledged it.");
        RuleFor(x => x.On).NotNull().WithMessage("Enter the day the customer acknowledged it.")
            .Must((x, _) => x.Moment is not { } moment || moment <= clock.GetUtcNow().AddMinutes(5))
            .WithMessage("An acknowledgement cannot be dated in the future.");
        RuleFor(x => x.At).NotNull().WithMessage("Enter the time.");
        RuleFor(x => x.TimeZone).Must(TimeZoneIds.IsValid).When(x => !string.IsNullOrEmpty(x.TimeZone)).WithMessage(TimeZoneIds.Unknown);
    }
}

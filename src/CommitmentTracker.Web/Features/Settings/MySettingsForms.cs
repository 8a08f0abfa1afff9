using CommitmentTracker.Web.Components.Shared;
using FluentValidation;

namespace CommitmentTracker.Web.Features.Settings;

/// <summary>What a user changes about themselves: the time zone they read and enter times in.</summary>
public sealed class MySettingsInput
{
    /// <summary>An IANA id, e.g. Europe/Berlin.</summary>
    public string? TimeZone { get; set; }
}

/// <summary>Validates the settings form; the same rules serve the form and the server.</summary>
public sealed class MySettingsValidator : ModelValidator<MySettingsInput>
{
    public MySettingsValidator() =>
        RuleFor(x => x.TimeZone).NotEmpty().WithMessage("Pick your time zone.")
            .Must(TimeZoneIds.IsValid).When(x => !string.IsNullOrWhiteSpace(x.TimeZone)).WithMessage(TimeZoneIds.Unknown);
}

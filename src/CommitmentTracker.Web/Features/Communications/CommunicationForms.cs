using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Communications;
using CommitmentTracker.Web.Components.Shared;
using FluentValidation;

namespace CommitmentTracker.Web.Features.Communications;

/// <summary>A communication with the customer (or about them) to add to a deal's log.</summary>
public sealed class LogCommunicationInput
{
    /// <summary>The promise it was about, if any.</summary>
    public Guid? CommitmentId { get; set; }

    public CommunicationChannel Channel { get; set; } = CommunicationChannel.Phone;
    public CommunicationDirection Direction { get; set; } = CommunicationDirection.ToCustomer;

    /// <summary>Who took part, on both sides.</summary>
    public string People { get; set; } = "";

    public string Summary { get; set; } = "";

    /// <summary>The day it happened, in <see cref="TimeZone"/>.</summary>
    public DateTime? OccurredOn { get; set; }

    /// <summary>The time of day, on the clock of <see cref="TimeZone"/>.</summary>
    public TimeSpan? OccurredAt { get; set; }

    /// <summary>When it happened, or null while the day or time is missing.</summary>
    public DateTimeOffset? Moment => OccurredOn is { } day && OccurredAt is { } time && TextRules.IsTimeOfDay(time)
        ? TimeFormat.FromLocal(day.Date + time, TimeZoneIds.TryFind(TimeZone, out var zone) ? zone : TimeZoneInfo.Utc) : null;

    /// <summary>The IANA zone the day and time were entered in (the user's); empty means UTC. Converted to UTC on the server.</summary>
    public string? TimeZone { get; set; }
}

/// <summary>A correction of an entry: what should have been recorded. The entry itself stays as it was.</summary>
public sealed class CorrectCommunicationInput
{
    public string Summary { get; set; } = "";
}

/// <summary>What was said when a post-sale touchpoint was done.</summary>
public sealed class CompleteTouchpointInput
{
    public CommunicationChannel Channel { get; set; } = CommunicationChannel.Phone;
    public string People { get; set; } = "";
    public string Summary { get; set; } = "";
}

internal static class CommunicationRules
{
    public static void People<T>(this AbstractValidator<T> v, System.Linq.Expressions.Expression<Func<T, string>> people) =>
        v.RuleFor(people).NotEmpty().WithMessage("Say who took part: the customer's people and ours.")
            .MaximumLength(FieldLengths.Name).WithMessage($"Keep the people under {FieldLengths.Name} characters.");

    public static void Summary<T>(this AbstractValidator<T> v, System.Linq.Expressions.Expression<Func<T, string>> summary) =>
        v.RuleFor(summary).NotEmpty().WithMessage("Write what was said: this is the record the company stands behind.")
            .MaximumLength(FieldLengths.Text).WithMessage($"Keep the summary under {FieldLengths.Text} characters.");
}

/// <summary>Validates a communication logged on a deal.</summary>
public sealed class LogCommunicationValidator : ModelValidator<LogCommunicationInput>
{
    public LogCommunicationValidator(TimeProvider clock)
    {
        RuleFor(x => x.Channel).IsInEnum().WithMessage("Pick the channel.");
        RuleFor(x => x.Direction).IsInEnum().WithMessage("Pick the direction.");
        this.People(x => x.People);
        this.Summary(x => x.Summary);
        RuleFor(x => x.OccurredOn).NotNull().WithMessage("Enter the day it happened.")
            .Must((x, _) => x.Moment is not { } moment || moment <= clock.GetUtcNow().AddMinutes(5))
            .WithMessage("A communication cannot be logged in the future.");
        RuleFor(x => x.OccurredAt).NotNull().WithMessage("Enter the time it happened.");
        RuleFor(x => x.TimeZone).Must(TimeZoneIds.IsValid).When(x => !string.IsNullOrEmpty(x.TimeZone)).WithMessage(TimeZoneIds.Unknown);
    }
}

/// <summary>Validates a correction of a communication entry.</summary>
public sealed class CorrectCommunicationValidator : ModelValidator<CorrectCommunicationInput>
{
    public CorrectCommunicationValidator() => this.Summary(x => x.Summary);
}

/// <summary>Validates what was said at a touchpoint.</summary>
public sealed class CompleteTouchpointValidator : ModelValidator<CompleteTouchpointInput>
{
    public CompleteTouchpointValidator()
    {
        RuleFor(x => x.Channel).IsInEnum().WithMessage("Pick the channel.");
        this.People(x => x.People);
        this.Summary(x => x.Summary);
    }
}

/// <summary>Words for the log's values, as the pages show them.</summary>
public static class CommunicationLabels
{
    public static string Of(CommunicationDirection direction) => direction switch
    {
        CommunicationDirection.ToCustomer => "to the customer",
        CommunicationDirection.FromCustomer => "from the customer",
        _ => "internal",
    };

    public static string Of(CommunicationChannel channel) => channel.ToString().ToLowerInvariant();
}

/// <summary>A person offered as a suggestion for the People field: a contact of the account.</summary>
public sealed record PersonSuggestion(string Name, string Note)
{
    public static IReadOnlyList<PersonSuggestion> From(IEnumerable<Domain.Accounts.Contact> contacts) =>
        contacts.OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase)
            .Select(c => new PersonSuggestion(c.Name, c.Role == Domain.Accounts.ContactRole.BuyersBoss ? "buyer's boss" : c.Role.ToString().ToLowerInvariant()))
            .ToList();

    /// <summary>The names in a People text, as typed between commas.</summary>
    public static IReadOnlyList<string> Names(string? people) =>
        (people ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Adds the name to the People text, or takes it out when it is there already.</summary>
    public static string Toggle(string? people, string name)
    {
        var names = Names(people).ToList();
        var removed = names.RemoveAll(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) > 0;
        if (!removed)
            names.Add(name);
        return string.Join(", ", names);
    }
}

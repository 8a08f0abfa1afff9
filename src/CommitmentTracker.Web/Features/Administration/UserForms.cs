using System.Linq.Expressions;
using CommitmentTracker.Domain;
using CommitmentTracker.Web.Security;
using FluentValidation;

namespace CommitmentTracker.Web.Features.Administration;

/// <summary>The form creating a user who can sign in.</summary>
public sealed class NewUserInput
{
    public string DisplayName { get; set; } = "";
    public string Email { get; set; } = "";
    public string Role { get; set; } = AppRoles.Rep;
    public Guid? TeamId { get; set; }
    public Department? Department { get; set; } = Domain.Department.Sales;

    /// <summary>The first password, set by the admin and passed on to the user.</summary>
    public string Password { get; set; } = "";
}

/// <summary>The form changing a user's role, team and department, and their time zone.</summary>
public sealed class UserAssignmentInput
{
    public string Role { get; set; } = AppRoles.Rep;
    public Guid? TeamId { get; set; }
    public Department? Department { get; set; }

    /// <summary>The user's IANA time zone; empty leaves it unknown (their browser's is taken at their next sign-in).</summary>
    public string? TimeZone { get; set; }
}

/// <summary>The form an admin uses to set a new password for a user.</summary>
public sealed class PasswordResetInput
{
    public string NewPassword { get; set; } = "";
}

/// <summary>The form creating or editing a team: its name and its manager.</summary>
public sealed class TeamInput
{
    public string Name { get; set; } = "";

    /// <summary>The user id of the manager to appoint, or null for none.</summary>
    public string? ManagerId { get; set; }
}

/// <summary>Rules shared by the user forms.</summary>
internal static class UserRules
{
    /// <summary>
    /// The password rule of sign-in: at least <see cref="PasswordRules.MinimumLength"/> characters and Identity's
    /// default mix (upper and lower case, a digit, a symbol), so the form says what Identity would refuse.
    /// </summary>
    public static void StrongPassword<T>(this IRuleBuilderInitial<T, string> rule) => rule
        .Cascade(CascadeMode.Stop)
        .NotEmpty().WithMessage("Enter a password.")
        .MinimumLength(PasswordRules.MinimumLength).WithMessage($"The password must be at least {PasswordRules.MinimumLength} characters long.")
        .Must(p => p.Any(char.IsUpper)).WithMessage("The password needs an upper-case letter.")
        .Must(p => p.Any(char.IsLower)).WithMessage("The password needs a lower-case letter.")
        .Must(p => p.Any(char.IsDigit)).WithMessage("The password needs a digit.")
        .Must(p => p.Any(c => !char.IsLetterOrDigit(c))).WithMessage("The password needs a symbol, such as - or !.");

    public static void Assignment<T>(this AbstractValidator<T> v, Expression<Func<T, string>> role,
        Expression<Func<T, Guid?>> team, Expression<Func<T, Department?>> department)
    {
        var roleOf = role.Compile();
        v.RuleFor(role).Must(r => AppRoles.All.Contains(r)).WithMessage("Pick a role.");
        v.RuleFor(team).NotNull().When(x => roleOf(x) is AppRoles.Rep or AppRoles.Manager)
            .WithMessage("Reps and managers belong to a team: pick one.");
        v.RuleFor(department).NotNull().When(x => roleOf(x) == AppRoles.Service)
            .WithMessage("Service staff work in a department: pick one.")
            .Must(d => d is null || (Enum.IsDefined(d.Value) && d != Domain.Department.Customer))
            .WithMessage("Pick one of our departments.");
    }
}

/// <summary>Validates a new user; the same rules serve the form and the server.</summary>
public sealed class NewUserValidator : ModelValidator<NewUserInput>
{
    public NewUserValidator()
    {
        RuleFor(x => x.DisplayName).NotEmpty().WithMessage("Enter the person's name.").MaximumLength(FieldLengths.Name);
        RuleFor(x => x.Email).NotEmpty().WithMessage("Enter the email address the person signs in with.")
            .EmailAddress().WithMessage("That email address is not valid.")
            .MaximumLength(256);
        this.Assignment(x => x.Role, x => x.TeamId, x => x.Department);
        RuleFor(x => x.Password).StrongPassword();
    }
}

/// <summary>Validates a change of role, team and department.</summary>
public sealed class UserAssignmentValidator : ModelValidator<UserAssignmentInput>
{
    public UserAssignmentValidator()
    {
        this.Assignment(x => x.Role, x => x.TeamId, x => x.Department);
        RuleFor(x => x.TimeZone).Must(Components.Shared.TimeZoneIds.IsValid).When(x => !string.IsNullOrWhiteSpace(x.TimeZone))
            .WithMessage(Components.Shared.TimeZoneIds.Unknown);
    }
}

/// <summary>Validates a password set by an admin.</summary>
public sealed class PasswordResetValidator : ModelValidator<PasswordResetInput>
{
    public PasswordResetValidator() => RuleFor(x => x.NewPassword).StrongPassword();
}

/// <summary>Validates a team's name.</summary>
public sealed class TeamValidator : ModelValidator<TeamInput>
{
    public TeamValidator() =>
        RuleFor(x => x.Name).NotEmpty().WithMessage("Give the team a name.").MaximumLength(FieldLengths.Name);
}

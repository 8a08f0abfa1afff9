using CommitmentTracker.Domain;
using CommitmentTracker.Domain.CustomerLinks;
using FluentValidation;

namespace CommitmentTracker.Web.Features.CustomerLinks;

/// <summary>What the rep chooses when creating a customer's link: how long it works.</summary>
public sealed class CreateCustomerLinkInput
{
    public int ExpiryDays { get; set; } = CustomerLink.DefaultExpiryDays;
}

public sealed class CreateCustomerLinkValidator : ModelValidator<CreateCustomerLinkInput>
{
    public CreateCustomerLinkValidator() =>
        RuleFor(x => x.ExpiryDays).InclusiveBetween(1, CustomerLink.MaxExpiryDays)
            .WithMessage($"Choose when the link expires: after 1 to {CustomerLink.MaxExpiryDays} days.");
}

/// <summary>What the customer types to acknowledge the checklist.</summary>
public sealed class CustomerAcknowledgeInput
{
    public string? Name { get; set; }
}

/// <summary>What the customer types to confirm an outcome promise was reached.</summary>
public sealed class CustomerAcceptInput
{
    public Guid CommitmentId { get; set; }
    public string? Name { get; set; }
}

/// <summary>A comment the customer writes on their page; it becomes a communication entry from the customer.</summary>
public sealed class CustomerCommentInput
{
    public string? Name { get; set; }
    public string? Comment { get; set; }
}

/// <summary>The rules and messages of the customer's forms, in words a customer reads.</summary>
internal static class CustomerFormRules
{
    public const int CommentLength = 2000;

    public const string NameRequired = "Type your name, so we know who confirmed it.";

    public static readonly string NameTooLong = $"Keep your name to {FieldLengths.Name} characters.";

    public static void Name<T>(AbstractValidator<T> v, System.Linq.Expressions.Expression<Func<T, string?>> name) =>
        v.RuleFor(name).Must(n => !string.IsNullOrWhiteSpace(n)).WithMessage(NameRequired)
            .MaximumLength(FieldLengths.Name).WithMessage(NameTooLong);
}

public sealed class CustomerAcknowledgeValidator : ModelValidator<CustomerAcknowledgeInput>
{
    public CustomerAcknowledgeValidator() => CustomerFormRules.Name(this, x => x.Name);
}

public sealed class CustomerAcceptValidator : ModelValidator<CustomerAcceptInput>
{
    public CustomerAcceptValidator()
    {
        CustomerFormRules.Name(this, x => x.Name);
        RuleFor(x => x.CommitmentId).NotEmpty().WithMessage("Choose the outcome you confirm.");
    }
}

public sealed class CustomerCommentValidator : ModelValidator<CustomerCommentInput>
{
    public CustomerCommentValidator()
    {
        CustomerFormRules.Name(this, x => x.Name);
        RuleFor(x => x.Comment).Must(c => !string.IsNullOrWhiteSpace(c)).WithMessage("Write your comment before sending it.")
            .MaximumLength(CustomerFormRules.CommentLength)
            .WithMessage($"Keep your comment to {CustomerFormRules.CommentLength} characters; send a second one for more.");
    }
}

/// <summary>A link just created: the token is shown once and never again.</summary>
public sealed record CustomerLinkCreated(Guid Id, string Token, DateTimeOffset ExpiresAt)
{
    /// <summary>The link's path within the app (append it to the app's public address).</summary>
    public string Path => CustomerPageService.PathFor(Token);
}

/// <summary>One of a deal's customer links for the deal page: who made it, when it expires, when the customer last opened it.</summary>
public sealed record CustomerLinkRow(
    Guid Id, string CreatedByName, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, CustomerLinkState State,
    DateTimeOffset? RevokedAt, string? RevokedByName, DateTimeOffset? LastOpenedAt, int Views);

/// <summary>The deal's customer links, and whether the user may create and revoke them.</summary>
public sealed record CustomerLinksView(IReadOnlyList<CustomerLinkRow> Links, bool CanManage);

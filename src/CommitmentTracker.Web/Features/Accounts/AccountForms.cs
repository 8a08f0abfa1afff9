using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using FluentValidation;

namespace CommitmentTracker.Web.Features.Accounts;

/// <summary>The form adding or editing a contact of an account.</summary>
public sealed class ContactInput
{
    public string Name { get; set; } = "";
    public ContactRole Role { get; set; } = ContactRole.Buyer;
    public string? Email { get; set; }
    public string? Phone { get; set; }

    /// <summary>The vendor never goes over the buyer's head without the buyer's permission.</summary>
    public bool MayContactTheirManager { get; set; }

    public static ContactInput From(ContactRow contact) => new()
    {
        Name = contact.Name,
        Role = contact.Role,
        Email = contact.Email,
        Phone = contact.Phone,
        MayContactTheirManager = contact.MayContactTheirManager,
    };
}

/// <summary>Validates a contact; the same rules serve the dialog and the server (the domain checks them once more).</summary>
public sealed class ContactValidator : ModelValidator<ContactInput>
{
    public ContactValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Enter the contact's name.").MaximumLength(FieldLengths.Name);
        RuleFor(x => x.Role).IsInEnum().WithMessage("Pick the contact's role.");
        RuleFor(x => x.Email).MaximumLength(FieldLengths.Name)
            .Must(e => string.IsNullOrWhiteSpace(e) || Contact.LooksLikeEmail(e.Trim()))
            .WithMessage("That email address is not valid: it looks like name@company.com.");
        RuleFor(x => x.Phone).MaximumLength(FieldLengths.ShortText)
            .Matches(@"^[0-9+()./\- ]*$").When(x => !string.IsNullOrWhiteSpace(x.Phone))
            .WithMessage("A phone number has digits, spaces and + ( ) - . / only.");
    }
}

/// <summary>Words for contact roles, as the customer's people are called in the product.</summary>
public static class ContactRoles
{
    public static string Label(ContactRole role) => role switch
    {
        ContactRole.BuyersBoss => "Buyer's boss",
        _ => role.ToString(),
    };
}

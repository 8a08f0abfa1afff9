using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Components.Shared;
using FluentValidation;

namespace CommitmentTracker.Web.Features.Deals;

/// <summary>A contact typed while creating an account.</summary>
public sealed class NewContactInput
{
    public string Name { get; set; } = "";
    public ContactRole Role { get; set; } = ContactRole.Buyer;
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public bool MayContactTheirManager { get; set; }
}

/// <summary>The form of a deal logged at close.</summary>
public sealed class NewDealInput
{
    /// <summary>An existing account, or null to create <see cref="NewAccountName"/>.</summary>
    public Guid? AccountId { get; set; }
    public string? NewAccountName { get; set; }
    public string? NewAccountIndustry { get; set; }
    public List<NewContactInput> NewContacts { get; set; } = [];

    /// <summary>The rep who owns the deal; a manager may log it for a rep of the team. Null: the signed-in user.</summary>
    public string? OwnerId { get; set; }

    public string Title { get; set; } = "";
    public decimal? Value { get; set; }
    public string Currency { get; set; } = "EUR";
    public string ExpectedOutcome { get; set; } = "";
    public DateTime? CloseDate { get; set; } = DateTime.Today;
}

/// <summary>The form editing a deal's header.</summary>
public sealed class DealDetailsInput
{
    public string Title { get; set; } = "";
    public decimal? Value { get; set; }
    public string Currency { get; set; } = "EUR";
    public string ExpectedOutcome { get; set; } = "";
    public DateTime? CloseDate { get; set; }
}

/// <summary>The form of a stage move: what the move needs (PO reference, payment, lost reason).</summary>
public sealed class StageMoveInput
{
    public DealStage Target { get; set; }
    public string? PurchaseOrderReference { get; set; }
    public DateTime? PaymentDate { get; set; }
    public string? PaymentReference { get; set; }
    public LostReason? LostReason { get; set; }
    public string? LostNote { get; set; }
}

/// <summary>Currencies offered in the forms.</summary>
public static class Currencies
{
    public static IReadOnlyList<string> Common { get; } = ["EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CAD", "AUD", "JPY"];
}

internal static class DealRules
{
    /// <summary>A date that must be given and cannot lie after today (the close or payment happened already).</summary>
    public static void NotInTheFuture<T>(this AbstractValidator<T> v, System.Linq.Expressions.Expression<Func<T, DateTime?>> date, TimeProvider clock, string missing, string future) =>
        v.RuleFor(date).NotNull().WithMessage(missing)
            .Must(d => d is null || DateOnly.FromDateTime(d.Value) <= TimeFormat.LatestToday(clock.GetUtcNow()))
            .WithMessage(future);

    public static void Money<T>(this AbstractValidator<T> v, System.Linq.Expressions.Expression<Func<T, decimal?>> value, System.Linq.Expressions.Expression<Func<T, string>> currency)
    {
        v.RuleFor(value).NotNull().WithMessage("Enter the deal's value.")
            .GreaterThanOrEqualTo(0).WithMessage("The value cannot be negative.")
            .LessThan(1_000_000_000_000m).WithMessage("That value is too large.");
        v.RuleFor(currency).NotEmpty().WithMessage("Pick a currency.")
            .Matches("^[A-Z]{3}$").WithMessage("Currency must be a three-letter code such as EUR.");
    }
}

/// <summary>Validates a deal logged at close; the same rules serve the form and the server.</summary>
public sealed class NewDealValidator : ModelValidator<NewDealInput>
{
    public NewDealValidator(TimeProvider clock)
    {
        RuleFor(x => x.NewAccountName).NotEmpty().When(x => x.AccountId is null)
            .WithMessage("Pick the customer's account, or type the name of a new one.")
            .MaximumLength(FieldLengths.Name);
        RuleFor(x => x.NewAccountIndustry).MaximumLength(FieldLengths.ShortText);
        RuleForEach(x => x.NewContacts).ChildRules(c =>
        {
            c.RuleFor(x => x.Name).NotEmpty().WithMessage("Each contact needs a name.").MaximumLength(FieldLengths.Name);
            c.RuleFor(x => x.Email).EmailAddress().When(x => !string.IsNullOrWhiteSpace(x.Email)).WithMessage("That email address is not valid.");
        }).When(x => x.AccountId is null);
        RuleFor(x => x.Title).NotEmpty().WithMessage("Give the deal a title.").MaximumLength(FieldLengths.Title);
        this.Money(x => x.Value, x => x.Currency);
        RuleFor(x => x.ExpectedOutcome).NotEmpty().WithMessage("Write down the outcome the customer expects, in their words.")
            .MaximumLength(FieldLengths.Text);
        this.NotInTheFuture(x => x.CloseDate, clock, "Enter the close date.", "The close date cannot be in the future: log the deal when it closes.");
    }
}

/// <summary>Validates the deal header form.</summary>
public sealed class DealDetailsValidator : ModelValidator<DealDetailsInput>
{
    public DealDetailsValidator(TimeProvider clock)
    {
        RuleFor(x => x.Title).NotEmpty().WithMessage("Give the deal a title.").MaximumLength(FieldLengths.Title);
        this.Money(x => x.Value, x => x.Currency);
        RuleFor(x => x.ExpectedOutcome).NotEmpty().WithMessage("Write down the outcome the customer expects, in their words.")
            .MaximumLength(FieldLengths.Text);
        this.NotInTheFuture(x => x.CloseDate, clock, "Enter the close date.", "The close date cannot be in the future.");
    }
}

/// <summary>Validates what a stage move needs; the domain then checks the gate itself.</summary>
public sealed class StageMoveValidator : ModelValidator<StageMoveInput>
{
    public StageMoveValidator(TimeProvider clock)
    {
        RuleFor(x => x.PurchaseOrderReference).NotEmpty().When(x => x.Target == DealStage.Ordered)
            .WithMessage("Enter the purchase-order reference: a promise of an order is not an order.")
            .MaximumLength(FieldLengths.Reference);
        RuleFor(x => x.PaymentDate).NotNull().When(x => x.Target == DealStage.Paid).WithMessage("Enter the date the payment cleared.")
            .Must(d => d is null || DateOnly.FromDateTime(d.Value) <= TimeFormat.LatestToday(clock.GetUtcNow()))
            .WithMessage("The payment date cannot be in the future.");
        RuleFor(x => x.PaymentReference).NotEmpty().When(x => x.Target == DealStage.Paid).WithMessage("Enter the payment reference.")
            .MaximumLength(FieldLengths.Reference);
        RuleFor(x => x.LostReason).NotNull().When(x => x.Target == DealStage.Lost).WithMessage("Pick why the deal was lost.");
        RuleFor(x => x.LostNote).NotEmpty().When(x => x.Target == DealStage.Lost && x.LostReason == Domain.Deals.LostReason.Other)
            .WithMessage("Say why the deal was lost.").MaximumLength(FieldLengths.Text);
    }
}

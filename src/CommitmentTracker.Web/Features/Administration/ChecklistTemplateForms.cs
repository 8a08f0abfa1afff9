using CommitmentTracker.Domain;
using FluentValidation;

namespace CommitmentTracker.Web.Features.Administration;

/// <summary>The form of one checklist item: the question, how to answer it, and whether it gates the order.</summary>
public sealed class ChecklistItemInput
{
    public string Title { get; set; } = "";
    public string Guidance { get; set; } = "";
    public bool Required { get; set; } = true;

    public ChecklistItemInput Copy() => new() { Title = Title, Guidance = Guidance, Required = Required };
}

/// <summary>The edited checklist, saved as a new version.</summary>
public sealed class ChecklistTemplateInput
{
    public List<ChecklistItemInput> Items { get; set; } = [];
}

/// <summary>Validates one checklist item.</summary>
public sealed class ChecklistItemValidator : ModelValidator<ChecklistItemInput>
{
    public ChecklistItemValidator()
    {
        RuleFor(x => x.Title).NotEmpty().WithMessage("Give the item a short title.").MaximumLength(FieldLengths.Title);
        RuleFor(x => x.Guidance).NotEmpty().WithMessage("Say what the rep agrees with the customer for this item.")
            .MaximumLength(FieldLengths.Text);
    }
}

/// <summary>Validates a whole checklist before it becomes a new version.</summary>
public sealed class ChecklistTemplateValidator : ModelValidator<ChecklistTemplateInput>
{
    public ChecklistTemplateValidator()
    {
        RuleFor(x => x.Items).NotEmpty().WithMessage("The checklist needs at least one item.");
        RuleForEach(x => x.Items).SetValidator(new ChecklistItemValidator());
        RuleFor(x => x.Items)
            .Must(items => items.GroupBy(i => i.Title.Trim(), StringComparer.OrdinalIgnoreCase).All(g => g.Count() == 1))
            .WithMessage(x => $"Two items are titled \"{x.Items.GroupBy(i => i.Title.Trim(), StringComparer.OrdinalIgnoreCase).First(g => g.Count() > 1).Key}\": give each item its own title.");
    }
}

namespace CommitmentTracker.Domain.Commitments;

/// <summary>One step of a milestone plan template: a title and its planned date as an offset from the promised date.</summary>
public sealed record MilestoneTemplateStep(string Title, int OffsetDays, bool IsCustomerAcceptance = false);

/// <summary>The standard milestone plan of one kind of promise (Admin), e.g. Delivery: order parts -> build -> ship -> install -> acceptance.</summary>
public sealed class MilestoneTemplate
{
    private List<MilestoneTemplateStep> _steps = [];

    private MilestoneTemplate() { }

    public MilestoneTemplate(CommitmentKind kind, IEnumerable<MilestoneTemplateStep> steps)
    {
        Guard.Defined(kind, "Kind");
        Kind = kind;
        Replace(steps);
    }

    public CommitmentKind Kind { get; private set; }
    public IReadOnlyList<MilestoneTemplateStep> Steps => _steps;

    public void Replace(IEnumerable<MilestoneTemplateStep> steps)
    {
        var list = steps.Select(s => s with { Title = Guard.Required(s.Title, "Step title", FieldLengths.Title) }).ToList();
        if (list.Count == 0)
            throw new DomainException("A milestone plan needs at least one step.");
        if (list.Count > 30)
            throw new DomainException("A milestone plan has at most 30 steps.");
        var duplicate = list.GroupBy(s => s.Title, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DomainException($"The plan has two steps titled \"{duplicate.Key}\".");
        if (list.Count(s => s.IsCustomerAcceptance) > 1)
            throw new DomainException("A plan has at most one customer-acceptance step.");
        if (list.Take(list.Count - 1).Any(s => s.IsCustomerAcceptance))
            throw new DomainException("Customer acceptance is the last step of a plan.");
        if (Kind == CommitmentKind.Outcome && !list[^1].IsCustomerAcceptance)
            throw new DomainException("An outcome plan ends with the customer's acceptance: the customer confirms the result was reached.");
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].OffsetDays < list[i - 1].OffsetDays)
                throw new DomainException($"\"{list[i].Title}\" is planned before \"{list[i - 1].Title}\": steps are in date order.");
        }
        _steps = list;
    }

    /// <summary>The plans every installation starts with.</summary>
    public static IReadOnlyList<MilestoneTemplate> Defaults { get; } =
    [
        new(CommitmentKind.Delivery, [new("Order parts", -20), new("Build and configure", -10), new("Ship", -3), new("Install", -1), new("Customer acceptance", 0, true)]),
        new(CommitmentKind.Installation, [new("Site survey", -14), new("Prepare site", -7), new("Install", -2), new("Customer acceptance", 0, true)]),
        new(CommitmentKind.Training, [new("Agree agenda and attendees", -10), new("Prepare material", -5), new("Hold sessions", 0)]),
        new(CommitmentKind.Support, [new("Set up support contract", -5), new("Introduce the support team", 0)]),
        new(CommitmentKind.Outcome, [new("Agree how the result is measured", -30), new("Baseline measured", -20), new("Result measured", -3), new("Customer acceptance", 0, true)]),
        new(CommitmentKind.Other, [new("Do the work", -3), new("Confirm with the customer", 0)]),
    ];
}

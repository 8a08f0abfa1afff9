namespace CommitmentTracker.Domain.Checklists;

/// <summary>
/// One version of the expectation checklist. Versions are immutable once saved: editing the checklist
/// makes a new version, so checklists already agreed with customers are never rewritten.
/// </summary>
public sealed class ChecklistTemplate
{
    private readonly List<ChecklistTemplateItem> _items = [];

    private ChecklistTemplate() { }

    public Guid Id { get; private set; }
    public int Version { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";

    /// <summary>Only the newest version is active; new deals get it.</summary>
    public bool IsActive { get; private set; }

    public IReadOnlyList<ChecklistTemplateItem> Items => _items;

    public static ChecklistTemplate Create(int version, IEnumerable<ChecklistTemplateItemDraft> items, string createdBy, DateTimeOffset now)
    {
        if (version < 1)
            throw new DomainException("A checklist version starts at 1.");
        var drafts = items.ToList();
        if (drafts.Count == 0)
            throw new DomainException("A checklist needs at least one item.");
        var template = new ChecklistTemplate
        {
            Id = Guid.NewGuid(),
            Version = version,
            CreatedAt = now,
            CreatedBy = createdBy,
            IsActive = true,
        };
        var position = 1;
        foreach (var draft in drafts)
            template._items.Add(new ChecklistTemplateItem(position++, draft));
        var duplicate = template._items.GroupBy(i => i.Title, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new DomainException($"The checklist has two items titled \"{duplicate.Key}\".");
        return template;
    }

    /// <summary>Saving an edited checklist makes a new version and retires this one.</summary>
    public ChecklistTemplate Revise(IEnumerable<ChecklistTemplateItemDraft> items, string createdBy, DateTimeOffset now)
    {
        if (!IsActive)
            throw new DomainException("Only the current checklist version can be revised.");
        var next = Create(Version + 1, items, createdBy, now);
        IsActive = false;
        return next;
    }

    /// <summary>The ten items of DESIGN.md that every new installation starts with.</summary>
    public static IReadOnlyList<ChecklistTemplateItemDraft> DefaultItems { get; } =
    [
        new("Outcome", "The result the customer expects from the investment is written down in their words.", true),
        new("Customer's part", "What the customer must provide beyond money (people, time, data, access, decisions) is recorded as commitments of theirs.", true),
        new("Follow-up", "Training, support and follow-up contact are agreed, with named people on both sides who know what is expected of them.", true),
        new("Dates with room", "Each delivery date matches the customer's real need, with buffer.", true),
        new("Money", "How overruns and changes are handled; the contingency is agreed up front.", true),
        new("Honest risks", "What can go wrong was shared, from the risk library, with how we respond. No promise of perfection.", true),
        new("Technical review", "Service staff reviewed the solution before it was promised.", true),
        new("Road to delivery", "The customer knows the steps from order to shipment and who contacts them when.", true),
        new("Decision comfort", "The customer is confident in the decision; the next check-in is scheduled.", false),
        new("Self-check", "The rep noted what in their own conduct could cause trouble on this deal.", false),
    ];
}

/// <summary>What an admin types for one checklist item.</summary>
public sealed record ChecklistTemplateItemDraft(string Title, string Guidance, bool Required);

/// <summary>One question of a checklist version.</summary>
public sealed class ChecklistTemplateItem
{
    private ChecklistTemplateItem() { }

    internal ChecklistTemplateItem(int position, ChecklistTemplateItemDraft draft)
    {
        Id = Guid.NewGuid();
        Position = position;
        Title = Guard.Required(draft.Title, "Item title", FieldLengths.Title);
        Guidance = Guard.Optional(draft.Guidance, "Item guidance", FieldLengths.Text) ?? "";
        Required = draft.Required;
    }

    public Guid Id { get; private set; }
    public int Position { get; private set; }
    public string Title { get; private set; } = "";
    public string Guidance { get; private set; } = "";
    public bool Required { get; private set; }
}

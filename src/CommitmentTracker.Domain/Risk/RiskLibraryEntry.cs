using CommitmentTracker.Domain.Commitments;

namespace CommitmentTracker.Domain.Risk;

/// <summary>A known way a delivery goes wrong, with the usual response; shared with customers at close.</summary>
public sealed class RiskLibraryEntry
{
    private RiskLibraryEntry() { }

    public Guid Id { get; private set; }
    public string Title { get; private set; } = "";
    public string Description { get; private set; } = "";
    public string UsualResponse { get; private set; } = "";

    /// <summary>The commitment kinds this risk applies to; empty means all kinds.</summary>
    public List<CommitmentKind> AppliesTo { get; private set; } = [];

    public bool IsRetired { get; private set; }

    public static RiskLibraryEntry Create(string title, string description, string usualResponse, IEnumerable<CommitmentKind> appliesTo)
    {
        var entry = new RiskLibraryEntry { Id = Guid.NewGuid() };
        entry.Update(title, description, usualResponse, appliesTo);
        return entry;
    }

    public void Update(string title, string description, string usualResponse, IEnumerable<CommitmentKind> appliesTo)
    {
        // Check everything before changing anything: a refused update leaves the entry as it was.
        (Title, Description, UsualResponse) = (
            Guard.Required(title, "Title", FieldLengths.Title),
            Guard.Required(description, "Description", FieldLengths.Text),
            Guard.Required(usualResponse, "Usual response", FieldLengths.Text));
        AppliesTo = appliesTo.Distinct().Order().ToList();
    }

    public bool AppliesToKind(CommitmentKind kind) => AppliesTo.Count == 0 || AppliesTo.Contains(kind);

    /// <summary>Retired entries stay on the deals that shared them but are not offered again.</summary>
    public void Retire() => IsRetired = true;
}

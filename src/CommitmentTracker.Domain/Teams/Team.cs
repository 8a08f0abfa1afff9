namespace CommitmentTracker.Domain.Teams;

/// <summary>A manager and their reps; the unit of access for managers.</summary>
public sealed class Team
{
    private Team() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>The user id of the team's manager, if one is appointed.</summary>
    public string? ManagerId { get; private set; }

    public static Team Create(string name, string? managerId) => new()
    {
        Id = Guid.NewGuid(),
        Name = Guard.Required(name, "Team name", FieldLengths.Name),
        ManagerId = managerId,
    };

    public void Rename(string name) => Name = Guard.Required(name, "Team name", FieldLengths.Name);

    public void AppointManager(string? managerId) => ManagerId = managerId;
}

namespace CommitmentTracker.Domain.Accounts;

/// <summary>The customer company, with its people.</summary>
public sealed class Account
{
    private readonly List<Contact> _contacts = [];

    private Account() { }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string? Industry { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public IReadOnlyList<Contact> Contacts => _contacts;

    public static Account Create(string name, string? industry, DateTimeOffset now) => new()
    {
        Id = Guid.NewGuid(),
        Name = Guard.Required(name, "Account name", FieldLengths.Name),
        Industry = Guard.Optional(industry, "Industry", FieldLengths.ShortText),
        CreatedAt = now,
    };

    public void Rename(string name, string? industry)
    {
        (Name, Industry) = (
            Guard.Required(name, "Account name", FieldLengths.Name),
            Guard.Optional(industry, "Industry", FieldLengths.ShortText));
    }

    public Contact AddContact(string name, ContactRole role, string? email, string? phone, bool mayContactTheirManager)
    {
        var trimmed = Guard.Required(name, "Contact name", FieldLengths.Name);
        if (_contacts.Any(c => string.Equals(c.Name, trimmed, StringComparison.OrdinalIgnoreCase)))
            throw new DomainException($"{Name} already has a contact named {trimmed}.");
        var contact = new Contact(Id, trimmed, role, email, phone, mayContactTheirManager);
        _contacts.Add(contact);
        return contact;
    }

    public Contact Contact(Guid contactId) =>
        _contacts.FirstOrDefault(c => c.Id == contactId)
        ?? throw new DomainException("That contact does not belong to this account.");
}

/// <summary>The part a contact plays in the customer's buying decision.</summary>
public enum ContactRole { Buyer, User, Approver, BuyersBoss }

/// <summary>A person at the customer.</summary>
public sealed class Contact
{
    private Contact() { }

    internal Contact(Guid accountId, string name, ContactRole role, string? email, string? phone, bool mayContactTheirManager)
    {
        Guard.Defined(role, "Contact role");
        Id = Guid.NewGuid();
        AccountId = accountId;
        Name = name;
        Role = role;
        Email = Guard.Optional(email, "Email", FieldLengths.Name);
        Phone = Guard.Optional(phone, "Phone", FieldLengths.ShortText);
        MayContactTheirManager = mayContactTheirManager;
    }

    public Guid Id { get; private set; }
    public Guid AccountId { get; private set; }
    public string Name { get; private set; } = "";
    public ContactRole Role { get; private set; }
    public string? Email { get; private set; }
    public string? Phone { get; private set; }

    /// <summary>The vendor never goes over the buyer's head without the buyer's permission.</summary>
    public bool MayContactTheirManager { get; private set; }

    public void SetPermissionToContactManager(bool allowed) => MayContactTheirManager = allowed;
}

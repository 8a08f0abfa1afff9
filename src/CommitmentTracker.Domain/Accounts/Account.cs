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
        var trimmed = UniqueContactName(name, except: null);
        var contact = new Contact(Id, trimmed, role, email, phone, mayContactTheirManager);
        _contacts.Add(contact);
        return contact;
    }

    /// <summary>
    /// Changes a contact's details. Names stay unique within the account (acknowledgements and communications name people
    /// by them); a refused change leaves the contact as it was.
    /// </summary>
    public Contact UpdateContact(Guid contactId, string name, ContactRole role, string? email, string? phone, bool mayContactTheirManager)
    {
        var contact = Contact(contactId);
        contact.Update(UniqueContactName(name, except: contact), role, email, phone, mayContactTheirManager);
        return contact;
    }

    private string UniqueContactName(string name, Contact? except)
    {
        var trimmed = Guard.Required(name, "Contact name", FieldLengths.Name);
        if (_contacts.Any(c => c != except && string.Equals(c.Name, trimmed, StringComparison.OrdinalIgnoreCase)))
            throw new DomainException($"{Name} already has a contact named {trimmed}.");
        return trimmed;
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
        Id = Guid.NewGuid();
        AccountId = accountId;
        Update(name, role, email, phone, mayContactTheirManager);
    }

    /// <summary>Checks everything before changing anything, so a refused update changes nothing.</summary>
    internal void Update(string name, ContactRole role, string? email, string? phone, bool mayContactTheirManager)
    {
        Guard.Defined(role, "Contact role");
        var checkedEmail = Guard.Optional(email, "Email", FieldLengths.Name);
        if (checkedEmail is not null && !LooksLikeEmail(checkedEmail))
            throw new DomainException($"{checkedEmail} is not a valid email address.");
        var checkedPhone = Guard.Optional(phone, "Phone", FieldLengths.ShortText);
        (Name, Role, Email, Phone, MayContactTheirManager) = (name, role, checkedEmail, checkedPhone, mayContactTheirManager);
    }

    /// <summary>One @ with text on both sides and no spaces: the shape every address has (delivery proves the rest).</summary>
    public static bool LooksLikeEmail(string email) =>
        email.Count(ch => ch == '@') == 1 && email.IndexOf('@') is > 0 and var at && at < email.Length - 1 && !email.Any(char.IsWhiteSpace);

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

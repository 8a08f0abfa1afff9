namespace CommitmentTracker.Domain;

/// <summary>The departments a commitment can belong to; Customer is for the customer's own obligations.</summary>
public enum Department { Sales, Service, Fulfilment, Finance, Product, Customer }

/// <summary>How something was said to or heard from the customer.</summary>
public enum CommunicationChannel { Phone, Email, Meeting, Message, Letter }

/// <summary>Limits shared by the domain and the database schema.</summary>
public static class FieldLengths
{
    public const int Name = 200;
    public const int Title = 200;
    public const int ShortText = 100;
    public const int Reference = 100;
    public const int Text = 4000;
    public const int UserId = 450;
    public const int Currency = 3;
}

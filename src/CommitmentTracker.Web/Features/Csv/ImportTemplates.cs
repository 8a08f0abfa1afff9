namespace CommitmentTracker.Web.Features.Csv;

/// <summary>What can be imported from a CSV file.</summary>
public enum ImportKind { Accounts, Deals, Promises }

/// <summary>One column of an import file: its header, whether it must be filled, and what it takes.</summary>
public sealed record ImportColumn(string Name, bool Required, string Meaning, string Example);

/// <summary>
/// The documented columns of each import (the downloadable templates, the import page's help and the README say the same).
/// Headers are matched ignoring case, spaces and punctuation; other columns (the extra ones of an export) are ignored.
/// </summary>
public static class ImportTemplates
{
    public const string Account = "Account";
    public const string Name = "Name";
    public const string Industry = "Industry";
    public const string Title = "Title";
    public const string Value = "Value";
    public const string Currency = "Currency";
    public const string ExpectedOutcome = "Expected outcome";
    public const string CloseDate = "Close date";
    public const string OwnerEmail = "Owner email";
    public const string Deal = "Deal";
    public const string Direction = "Direction";
    public const string Kind = "Kind";
    public const string Description = "Description";
    public const string PromisedDate = "Promised date";
    public const string NeedDate = "Need date";
    public const string Department = "Department";
    public const string AggressiveReason = "Aggressive reason";

    public static IReadOnlyList<ImportColumn> Columns(ImportKind kind) => kind switch
    {
        ImportKind.Accounts =>
        [
            new(Name, true, "The customer company's name; unique (ignoring case).", "Nordwind Logistics"),
            new(Industry, false, "Up to 100 characters.", "Logistics"),
        ],
        ImportKind.Deals =>
        [
            new(Account, true, "The account's name; an account not found is created (as the New deal form does).", "Nordwind Logistics"),
            new(Industry, false, "The industry of an account the import creates.", "Logistics"),
            new(Title, true, "The deal's title.", "Scanner rollout, 40 depots"),
            new(Value, true, "A number; a dot (or, in a semicolon file, a comma) before the decimals.", "125000.00"),
            new(Currency, false, "Three letters; EUR when empty.", "EUR"),
            new(ExpectedOutcome, true, "The result the customer expects, in their words.", "Every parcel scanned at the gate, no paper lists"),
            new(CloseDate, true, "When the deal closed: year-month-day, not in the future.", "2026-02-27"),
            new(OwnerEmail, false, "The owning rep's email: empty for you; a manager may name a rep of their team.", ""),
        ],
        ImportKind.Promises =>
        [
            new(Account, true, "The deal's account, by name.", "Nordwind Logistics"),
            new(Deal, true, "The deal's title (one of your deals, or your team's; unique on the account).", "Scanner rollout, 40 depots"),
            new(Direction, false, "Ours (we promise the customer) or Theirs (the customer's part); Ours when empty.", "Ours"),
            new(Kind, true, "Delivery, Installation, Training, Support, Outcome or Other.", "Delivery"),
            new(Description, true, "What is promised.", "Deliver 400 scanners to the central depot"),
            new(PromisedDate, true, "The date told to the customer: year-month-day, not in the past.", "2026-06-30"),
            new(NeedDate, false, "The customer's real deadline: year-month-day.", "2026-07-15"),
            new(Department, false, "Sales, Service, Fulfilment, Finance or Product for ours (Sales when empty); Customer for theirs.", "Fulfilment"),
            new(OwnerEmail, false, "Who keeps it: empty for the deal's rep; else the rep's manager or a service user (ours).", ""),
            new(AggressiveReason, false, "For a date sooner than the kind's lead time: why it is safe. Empty: it waits for the manager's approval.", ""),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A template file: the header and one example row, with a byte-order mark for Excel.</summary>
    public static byte[] File(ImportKind kind)
    {
        var columns = Columns(kind);
        return CsvFiles.Write([[.. columns.Select(c => c.Name)], [.. columns.Select(c => c.Example)]]);
    }
}

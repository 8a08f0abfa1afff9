using System.Globalization;
using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Calendars;
using CommitmentTracker.Web.Features.Deals;
using CommitmentTracker.Web.Features.Promises;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Col = CommitmentTracker.Web.Features.Csv.ImportTemplates;

namespace CommitmentTracker.Web.Features.Csv;

/// <summary>What to do when some rows of a file are invalid.</summary>
public enum ImportMode
{
    /// <summary>Nothing is imported when any row is invalid.</summary>
    AllOrNothing,

    /// <summary>The valid rows are imported; the invalid ones are reported and left out.</summary>
    ValidRowsOnly,
}

/// <summary>How the rows were written: through the domain (one aggregate at a time) or by PostgreSQL COPY.</summary>
public enum ImportPath { Domain, Copy }

/// <summary>What is wrong with one row: its number as a spreadsheet shows it (the header is row 1), the column, the message.</summary>
public sealed record ImportError(int Row, string? Column, string Message);

/// <summary>The outcome of a preview (nothing stored) or an import.</summary>
public sealed record ImportResult
{
    public ImportKind Kind { get; init; }
    public ImportMode Mode { get; init; }

    /// <summary>True when rows were stored; a preview never stores, a refused import neither.</summary>
    public bool Committed { get; init; }

    /// <summary>A problem with the whole file (no header, a missing column); no row was looked at.</summary>
    public string? FileError { get; init; }

    public int RowCount { get; init; }

    /// <summary>Rows that are (preview) or were (import) stored.</summary>
    public int ValidRows { get; init; }

    public IReadOnlyList<ImportError> Errors { get; init; } = [];
    public ImportPath Path { get; init; }

    /// <summary>Accounts a deal import creates, by name.</summary>
    public IReadOnlyList<string> NewAccounts { get; init; } = [];

    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary>The first rows as read, for the preview.</summary>
    public IReadOnlyList<CsvRow> FirstRows { get; init; } = [];

    public string Delimiter { get; init; } = ",";

    /// <summary>The rows with an error (a row may have several).</summary>
    public int InvalidRows => Errors.Select(e => e.Row).Distinct().Count();
}

/// <summary>
/// Imports accounts, deals and promises from CSV. Every row is checked by the same FluentValidation validators and domain
/// methods the forms use, under the same access rules; the whole file is written in one transaction, so a refused import
/// changes nothing. A preview is the same run, rolled back. Accounts above <see cref="BulkThreshold"/> rows go through
/// PostgreSQL COPY into a staging table and one INSERT … SELECT (with their audit entries); deals and promises always go
/// through the domain, because a new deal gets its checklist and touchpoints and a new promise its risk, date history and
/// lead-time check there. See docs/decisions/0038-csv-import-and-export.md.
/// </summary>
public sealed class CsvImportService(
    IDbContextFactory<AppDbContext> dbFactory,
    TimeProvider clock,
    NewDealValidator dealValidator,
    AddPromiseValidator promiseValidator)
{
    /// <summary>From this many account rows the COPY path is used.</summary>
    public const int BulkThreshold = 1000;

    /// <summary>The first rows shown in a preview.</summary>
    public const int PreviewRows = 10;

    /// <summary>Aggregates saved per round trip (then the change tracker is cleared, so memory stays flat).</summary>
    private const int SaveBatch = 100;

    /// <summary>Runs the import and rolls it back: the per-row errors and counts the import would give, storing nothing.</summary>
    public Task<ImportResult> PreviewAsync(Actor actor, ImportKind kind, Stream file, ImportMode mode, CancellationToken cancellationToken = default) =>
        RunAsync(actor, kind, file, mode, commit: false, cancellationToken);

    /// <summary>Imports the file: all rows or nothing, or only the valid rows, as <paramref name="mode"/> says.</summary>
    public Task<ImportResult> ImportAsync(Actor actor, ImportKind kind, Stream file, ImportMode mode, CancellationToken cancellationToken = default) =>
        RunAsync(actor, kind, file, mode, commit: true, cancellationToken);

    private async Task<ImportResult> RunAsync(Actor actor, ImportKind kind, Stream file, ImportMode mode, bool commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(file);
        EnsureMayImport(actor, kind);
        var table = CsvFiles.Read(file);
        var result = new ImportResult
        {
            Kind = kind,
            Mode = mode,
            Headers = table.Headers,
            RowCount = table.Rows.Count,
            FirstRows = table.Rows.Take(PreviewRows).ToList(),
            Delimiter = table.Delimiter,
        };
        var missing = Col.Columns(kind).Where(c => c.Required && !table.Has(c.Name)).Select(c => c.Name).ToList();
        if (table.Headers.Count == 0)
            return result with { FileError = "The file is empty: the first row must name the columns." };
        if (missing.Count > 0)
            return result with
            {
                FileError = $"The file has no column {string.Join(", ", missing)}. Its columns are: {string.Join(", ", table.Headers)}. Download the template to see the expected ones.",
            };
        if (table.Rows.Count == 0)
            return result with { FileError = "The file has a header but no rows." };

        var now = clock.GetUtcNow();
        await using var probe = await dbFactory.CreateForAsync(actor, now, cancellationToken);
        var strategy = probe.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var db = await dbFactory.CreateForAsync(actor, now, ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var run = new Run(table, mode, now);
            foreach (var row in table.MalformedRows)
                run.Error(row, null, "A quote is out of place in this row: a field with a comma, quote or line break must be in double quotes, and a quote inside it doubled (\"\").");
            switch (kind)
            {
                case ImportKind.Accounts:
                    await ImportAccountsAsync(db, run, ct);
                    break;
                case ImportKind.Deals:
                    await ImportDealsAsync(db, actor, run, ct);
                    break;
                default:
                    await ImportPromisesAsync(db, actor, run, ct);
                    break;
            }
            var errors = run.Errors.OrderBy(e => e.Row).ThenBy(e => e.Column).ToList();
            var stored = commit && (mode == ImportMode.ValidRowsOnly || errors.Count == 0) && run.Written > 0;
            if (stored)
                await transaction.CommitAsync(ct);
            else
                await transaction.RollbackAsync(ct);
            return result with
            {
                Committed = stored,
                Errors = errors,
                ValidRows = run.Written,
                Path = run.Path,
                NewAccounts = run.NewAccounts,
            };
        }, cancellationToken);
    }

    private static void EnsureMayImport(Actor actor, ImportKind kind)
    {
        if (kind == ImportKind.Accounts ? actor.IsService : !actor.IsRep && !actor.IsManager)
            throw new AccessDeniedException(kind == ImportKind.Accounts
                ? "Accounts are imported by reps, managers and administrators."
                : "Deals and promises are imported by reps and their managers: they own what they import.");
    }

    // ---- Accounts -------------------------------------------------------------------------------------------------

    private async Task ImportAccountsAsync(AppDbContext db, Run run, CancellationToken cancellationToken)
    {
        var accounts = new List<Account>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var names = run.Table.Rows.Select(r => run.Table.Get(r, Col.Name)).OfType<string>().Select(n => n.ToLowerInvariant()).Distinct().ToList();
        var existing = (await db.Accounts.Where(a => names.Contains(a.Name.ToLower())).Select(a => a.Name).ToListAsync(cancellationToken))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var row in run.ValidRows())
        {
            var input = new NewDealInput { NewAccountName = run.Table.Get(row, Col.Name), NewAccountIndustry = run.Table.Get(row, Col.Industry) };
            if (!await run.ValidateAsync(dealValidator, input, row, DealColumns, cancellationToken,
                    nameof(NewDealInput.NewAccountName), nameof(NewDealInput.NewAccountIndustry)))
                continue;
            var name = input.NewAccountName!.Trim();
            if (existing.Contains(name))
            {
                run.Error(row.Row, Col.Name, $"An account named {name} already exists.");
                continue;
            }
            if (seen.TryGetValue(name, out var first))
            {
                run.Error(row.Row, Col.Name, $"Row {first} already has an account named {name}.");
                continue;
            }
            if (run.Domain(row, () => Account.Create(name, input.NewAccountIndustry, run.Now)) is not { } account)
                continue;
            seen[name] = row.Row;
            accounts.Add(account);
        }

        if (run.Mode == ImportMode.AllOrNothing && run.Errors.Count > 0)
            return;
        if (accounts.Count >= BulkThreshold)
        {
            run.Path = ImportPath.Copy;
            await CopyAccountsAsync(db, accounts, cancellationToken);
        }
        else
        {
            foreach (var batch in accounts.Chunk(SaveBatch))
            {
                db.Accounts.AddRange(batch);
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
            }
        }
        run.Written = accounts.Count;
    }

    /// <summary>
    /// The bulk path: binary COPY into a staging table that disappears at commit, then one INSERT … SELECT into the accounts
    /// and one into the audit trail (what the save interceptor would have written for each new account), in the import's
    /// transaction. The rows were built by <see cref="Account.Create"/>, so the domain's rules were applied to each.
    /// </summary>
    private static async Task CopyAccountsAsync(AppDbContext db, IReadOnlyList<Account> accounts, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.ExecuteSqlRawAsync(
            "CREATE TEMP TABLE account_import (id uuid NOT NULL, name text NOT NULL, industry text, created_at timestamptz NOT NULL) ON COMMIT DROP",
            cancellationToken);
        await using (var importer = await connection.BeginBinaryImportAsync(
            "COPY account_import (id, name, industry, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var account in accounts)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(account.Id, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(account.Name, NpgsqlDbType.Text, cancellationToken);
                if (account.Industry is null)
                    await importer.WriteNullAsync(cancellationToken);
                else
                    await importer.WriteAsync(account.Industry, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(account.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
            }
            await importer.CompleteAsync(cancellationToken);
        }
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO accounts (id, name, industry, created_at) SELECT id, name, industry, created_at FROM account_import",
            cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"""
            INSERT INTO audit_entries (deal_id, entity_type, entity_id, action, field, old_value, new_value, changed_by, changed_at)
            SELECT NULL, 'Account', id, 'Added', NULL, NULL, name, {db.ChangedBy}, {db.ChangedAt} FROM account_import
            """, cancellationToken);
    }

    // ---- Deals ----------------------------------------------------------------------------------------------------

    private static readonly Dictionary<string, string> DealColumns = new()
    {
        [nameof(NewDealInput.NewAccountName)] = Col.Account,
        [nameof(NewDealInput.NewAccountIndustry)] = Col.Industry,
        [nameof(NewDealInput.Title)] = Col.Title,
        [nameof(NewDealInput.Value)] = Col.Value,
        [nameof(NewDealInput.Currency)] = Col.Currency,
        [nameof(NewDealInput.ExpectedOutcome)] = Col.ExpectedOutcome,
        [nameof(NewDealInput.CloseDate)] = Col.CloseDate,
    };

    private async Task ImportDealsAsync(AppDbContext db, Actor actor, Run run, CancellationToken cancellationToken)
    {
        var owners = await OwnersByEmailAsync(db, actor, cancellationToken);
        var template = await db.ChecklistTemplates.AsNoTracking().Include(t => t.Items).SingleAsync(t => t.IsActive, cancellationToken);
        var accountNames = run.Table.Rows.Select(r => run.Table.Get(r, Col.Account)).OfType<string>().Select(n => n.ToLowerInvariant()).Distinct().ToList();
        var accounts = (await db.Accounts.AsNoTracking().Where(a => accountNames.Contains(a.Name.ToLower())).Select(a => new { a.Id, a.Name }).ToListAsync(cancellationToken))
            .GroupBy(a => a.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var pending = 0;
        foreach (var row in run.ValidRows())
        {
            var accountName = run.Table.Get(row, Col.Account);
            var input = new NewDealInput
            {
                NewAccountName = accountName,
                NewAccountIndustry = run.Table.Get(row, Col.Industry),
                Title = run.Table.Get(row, Col.Title) ?? "",
                Value = run.Decimal(row, Col.Value),
                Currency = run.Table.Get(row, Col.Currency)?.ToUpperInvariant() ?? "EUR",
                ExpectedOutcome = run.Table.Get(row, Col.ExpectedOutcome) ?? "",
                CloseDate = run.Date(row, Col.CloseDate),
            };
            var ownerId = run.Owner(row, owners, actor);
            if (!await run.ValidateAsync(dealValidator, input, row, DealColumns, cancellationToken) || ownerId is null)
                continue;

            var name = accountName!.Trim();
            Account? created = null;
            if (!accounts.TryGetValue(name, out var accountId))
            {
                created = run.Domain(row, () => Domain.Accounts.Account.Create(name, input.NewAccountIndustry, run.Now));
                if (created is null)
                    continue;
                accountId = created.Id;
            }
            var deal = run.Domain(row, () => Deal.Create(accountId, input.Title, ownerId, Money.Of(input.Value!.Value, input.Currency),
                input.ExpectedOutcome, DateOnly.FromDateTime(input.CloseDate!.Value), template, run.Now, run.Today));
            if (deal is null)
                continue;
            if (created is not null)
            {
                db.Accounts.Add(created);
                accounts[name] = created.Id;
                run.NewAccounts.Add(created.Name);
            }
            db.Deals.Add(deal);
            run.Written++;
            if (++pending == SaveBatch)
            {
                await SaveBatchAsync(db, cancellationToken);
                pending = 0;
            }
        }
        await SaveBatchAsync(db, cancellationToken);
    }

    /// <summary>Who the actor may name as a deal's owner, by email: a rep themself; a manager the active members of their team.</summary>
    private static async Task<Dictionary<string, string>> OwnersByEmailAsync(AppDbContext db, Actor actor, CancellationToken cancellationToken)
    {
        var users = db.Users.AsNoTracking().Where(u => u.IsActive && u.NormalizedEmail != null);
        users = actor.IsManager && actor.TeamId is { } team ? users.Where(u => u.TeamId == team || u.Id == actor.UserId) : users.Where(u => u.Id == actor.UserId);
        return await users.ToDictionaryAsync(u => u.NormalizedEmail!, u => u.Id, cancellationToken);
    }

    // ---- Promises -------------------------------------------------------------------------------------------------

    private static readonly Dictionary<string, string> PromiseColumns = new()
    {
        [nameof(AddPromiseInput.Direction)] = Col.Direction,
        [nameof(AddPromiseInput.Kind)] = Col.Kind,
        [nameof(AddPromiseInput.Description)] = Col.Description,
        [nameof(AddPromiseInput.OwnerId)] = Col.OwnerEmail,
        [nameof(AddPromiseInput.Department)] = Col.Department,
        [nameof(AddPromiseInput.PromisedDate)] = Col.PromisedDate,
        [nameof(AddPromiseInput.NeedDate)] = Col.NeedDate,
        [nameof(AddPromiseInput.AggressiveReason)] = Col.AggressiveReason,
    };

    private async Task ImportPromisesAsync(AppDbContext db, Actor actor, Run run, CancellationToken cancellationToken)
    {
        var leadTimes = await PromisesService.LeadTimesAsync(db, cancellationToken);
        var titles = run.Table.Rows.Select(r => run.Table.Get(r, Col.Deal)).OfType<string>().Select(t => t.ToLowerInvariant()).Distinct().ToList();
        var candidates = await (from d in db.Deals.AsNoTracking().EditableBy(db, actor)
                                join a in db.Accounts on d.AccountId equals a.Id
                                where titles.Contains(d.Title.ToLower())
                                select new { d.Id, d.Title, Account = a.Name, d.OwnerId }).ToListAsync(cancellationToken);
        var dealsByKey = candidates.ToLookup(c => (c.Account.ToLowerInvariant(), c.Title.ToLowerInvariant()));
        // Lead times count working days of each deal's rep's team, as on the deal's page.
        var calendars = await db.OfUsersAsync(candidates.Select(c => c.OwnerId), cancellationToken);
        var emails = await db.Users.AsNoTracking().Where(u => u.IsActive && u.NormalizedEmail != null)
            .Select(u => new { u.NormalizedEmail, u.Id }).ToListAsync(cancellationToken);
        var userByEmail = emails.ToDictionary(u => u.NormalizedEmail!, u => u.Id);
        var ownersCache = new Dictionary<(string, CommitmentDirection), HashSet<string>>();

        // Rows are checked in file order; each deal is loaded once, when its first promise comes, and saved in batches.
        var loaded = new Dictionary<Guid, Deal>();
        foreach (var row in run.ValidRows())
        {
            var account = run.Table.Get(row, Col.Account) ?? "";
            var title = run.Table.Get(row, Col.Deal) ?? "";
            var matches = dealsByKey[(account.ToLowerInvariant(), title.ToLowerInvariant())].ToList();
            if (matches.Count == 0)
            {
                run.Error(row.Row, Col.Deal, $"No deal titled \"{title}\" on the account \"{account}\" that you may change.");
                continue;
            }
            if (matches.Count > 1)
            {
                run.Error(row.Row, Col.Deal, $"{matches.Count} deals on {account} are titled \"{title}\": give them different titles, or add this promise on the deal's page.");
                continue;
            }
            var match = matches[0];
            var direction = run.Enum<CommitmentDirection>(row, Col.Direction, CommitmentDirection.Ours);
            var input = new AddPromiseInput
            {
                Direction = direction ?? CommitmentDirection.Ours,
                Kind = run.Enum<CommitmentKind>(row, Col.Kind, null) ?? (CommitmentKind)(-1),
                Description = run.Table.Get(row, Col.Description) ?? "",
                Department = run.Enum<Domain.Department>(row, Col.Department, null)
                    ?? (run.Table.Get(row, Col.Department) is null ? (direction == CommitmentDirection.Theirs ? Domain.Department.Customer : Domain.Department.Sales) : null),
                PromisedDate = run.Date(row, Col.PromisedDate),
                NeedDate = run.Date(row, Col.NeedDate),
                AggressiveReason = run.Table.Get(row, Col.AggressiveReason),
            };
            input.AggressiveHandling = string.IsNullOrWhiteSpace(input.AggressiveReason) ? AggressiveHandling.AskManager : AggressiveHandling.WriteReason;
            var email = run.Table.Get(row, Col.OwnerEmail);
            if (email is null)
                input.OwnerId = match.OwnerId;
            else if (userByEmail.TryGetValue(email.ToUpperInvariant(), out var ownerId))
                input.OwnerId = ownerId;
            else
            {
                run.Error(row.Row, Col.OwnerEmail, $"No active user has the email {email}.");
                continue;
            }
            if (!await run.ValidateAsync(promiseValidator, input, row, PromiseColumns, cancellationToken))
                continue;
            if (!ownersCache.TryGetValue((match.OwnerId, input.Direction), out var allowed))
                ownersCache[(match.OwnerId, input.Direction)] = allowed =
                    (await PromisesService.OwnersAsync(db, match.OwnerId, input.Direction, cancellationToken)).Select(o => o.Id).ToHashSet();
            if (!allowed.Contains(input.OwnerId!))
            {
                run.Error(row.Row, Col.OwnerEmail, input.Direction == CommitmentDirection.Ours
                    ? "A promise of ours is owned by the deal's rep, their manager or a service user."
                    : "A promise of the customer's is followed up by the deal's rep or their manager.");
                continue;
            }

            if (!loaded.TryGetValue(match.Id, out var deal))
            {
                if (loaded.Count == SaveBatch)
                {
                    await SaveBatchAsync(db, cancellationToken);
                    loaded.Clear();
                }
                loaded[match.Id] = deal = await db.FindEditableDealAsync(actor, match.Id, cancellationToken);
            }
            var draft = new CommitmentDraft(input.Direction, input.Kind, input.Description, input.OwnerId!, input.Department!.Value,
                DateOnly.FromDateTime(input.PromisedDate!.Value), input.NeedDate is { } need ? DateOnly.FromDateTime(need) : null,
                input.AggressiveHandling == AggressiveHandling.WriteReason ? input.AggressiveReason : null);
            if (run.Domain(row, () => deal.AddCommitment(draft, calendars.TryGetValue(match.OwnerId, out var calendar) ? leadTimes.On(calendar) : leadTimes, db.ChangedBy!, run.Now, run.Today)) is not null)
                run.Written++;
        }
        await SaveBatchAsync(db, cancellationToken);
    }

    private static async Task SaveBatchAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>The state of one import: the file, the errors so far, what was written.</summary>
    private sealed class Run(CsvTable table, ImportMode mode, DateTimeOffset now)
    {
        private readonly HashSet<int> _failed = [];

        public CsvTable Table { get; } = table;
        public ImportMode Mode { get; } = mode;
        public DateTimeOffset Now { get; } = now;
        public DateOnly Today { get; } = DateOnly.FromDateTime(now.UtcDateTime);
        public List<ImportError> Errors { get; } = [];
        public List<string> NewAccounts { get; } = [];
        public int Written { get; set; }
        public ImportPath Path { get; set; } = ImportPath.Domain;

        /// <summary>The rows not refused already (a malformed row is not read further).</summary>
        public IEnumerable<CsvRow> ValidRows() => Table.Rows.Where(r => !_failed.Contains(r.Row));

        public void Error(int row, string? column, string message)
        {
            _failed.Add(row);
            Errors.Add(new ImportError(row, column, message));
        }

        /// <summary>
        /// Validates with the form's validator; a message for a field whose text could not be read as a number or date is
        /// left out (that field's own message was given).
        /// </summary>
        public async Task<bool> ValidateAsync<T>(IValidator<T> validator, T input, CsvRow row, Dictionary<string, string> columns,
            CancellationToken cancellationToken, params string[] properties)
        {
            var context = properties.Length == 0 ? new ValidationContext<T>(input) : ValidationContext<T>.CreateWithOptions(input, o => o.IncludeProperties(properties));
            ValidationResult result = await validator.ValidateAsync(context, cancellationToken);
            foreach (var failure in result.Errors)
            {
                var column = columns.GetValueOrDefault(failure.PropertyName.Split('.', '[')[0]);
                if (column is not null && Errors.Any(e => e.Row == row.Row && e.Column == column))
                    continue;
                Error(row.Row, column, failure.ErrorMessage);
            }
            return !_failed.Contains(row.Row);
        }

        /// <summary>Runs a domain method for the row; its refusal becomes the row's error.</summary>
        public T? Domain<T>(CsvRow row, Func<T> create) where T : class
        {
            try
            {
                return create();
            }
            catch (DomainException ex)
            {
                Error(row.Row, null, ex.Message);
                return null;
            }
        }

        public decimal? Decimal(CsvRow row, string column)
        {
            var text = Table.Get(row, column);
            if (text is null)
                return null;
            var normal = text.Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal);
            // A semicolon file comes from a spreadsheet whose decimal separator is a comma.
            if (Table.Delimiter == ";" && normal.Count(c => c == ',') == 1 && !normal.Contains('.', StringComparison.Ordinal))
                normal = normal.Replace(',', '.');
            if (decimal.TryParse(normal, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                return value;
            Error(row.Row, column, $"\"{text}\" is not a number: write it like 125000.50, without a currency sign or thousands separators.");
            return null;
        }

        public DateTime? Date(CsvRow row, string column)
        {
            var text = Table.Get(row, column);
            if (text is null)
                return null;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                return date.ToDateTime(TimeOnly.MinValue);
            Error(row.Row, column, $"\"{text}\" is not a date: write dates as year-month-day, like 2026-06-30.");
            return null;
        }

        public TEnum? Enum<TEnum>(CsvRow row, string column, TEnum? whenEmpty) where TEnum : struct, System.Enum
        {
            var text = Table.Get(row, column);
            if (text is null)
                return whenEmpty;
            if (System.Enum.TryParse<TEnum>(text.Replace(" ", "", StringComparison.Ordinal), ignoreCase: true, out var value)
                && System.Enum.IsDefined(value) && !int.TryParse(text, out _))
                return value;
            Error(row.Row, column, $"\"{text}\" is not one of: {string.Join(", ", System.Enum.GetNames<TEnum>())}.");
            return null;
        }

        /// <summary>The owner named by the row's email: empty means the importing user; others must be theirs to name.</summary>
        public string? Owner(CsvRow row, Dictionary<string, string> owners, Actor actor)
        {
            var email = Table.Get(row, Col.OwnerEmail);
            if (email is null)
                return actor.UserId;
            if (owners.TryGetValue(email.ToUpperInvariant(), out var id))
                return id;
            Error(row.Row, Col.OwnerEmail, actor.IsManager
                ? $"{email} is not an active member of your team: a deal can be logged for a rep of your own team only."
                : $"{email} is not you: a rep imports their own deals (leave Owner email empty).");
            return null;
        }
    }
}

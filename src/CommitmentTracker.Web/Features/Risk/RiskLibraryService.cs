using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Risk;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Risk;

/// <summary>One entry of the risk library, with the row version it was read at.</summary>
public sealed record RiskRow(Guid Id, string Title, string Description, string UsualResponse, IReadOnlyList<CommitmentKind> AppliesTo, bool IsRetired, uint Version);

/// <summary>The form of a risk library entry.</summary>
public sealed class RiskInput
{
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string UsualResponse { get; set; } = "";

    /// <summary>The kinds of promise the risk applies to; none means every kind.</summary>
    public IReadOnlyCollection<CommitmentKind> AppliesTo { get; set; } = [];
}

/// <summary>Validates a risk library entry.</summary>
public sealed class RiskValidator : ModelValidator<RiskInput>
{
    public RiskValidator()
    {
        RuleFor(x => x.Title).NotEmpty().WithMessage("Give the risk a short title.").MaximumLength(FieldLengths.Title);
        RuleFor(x => x.Description).NotEmpty().WithMessage("Describe what can go wrong.").MaximumLength(FieldLengths.Text);
        RuleFor(x => x.UsualResponse).NotEmpty().WithMessage("Say how we usually respond: the customer hears it with the risk.")
            .MaximumLength(FieldLengths.Text);
        RuleFor(x => x.AppliesTo).Must(kinds => kinds.All(Enum.IsDefined)).WithMessage("Pick kinds from the list.");
    }
}

/// <summary>
/// The risk library, for admins: known ways a delivery goes wrong, which reps share with customers at close.
/// Retired entries stay on the deals that shared them but are not offered again.
/// </summary>
public sealed class RiskLibraryService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, RiskValidator validator)
{
    private const string What = "the risk library";

    public async Task<IReadOnlyList<RiskRow>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.RiskLibrary.AsNoTracking()
            .OrderBy(r => r.IsRetired).ThenBy(r => r.Title)
            .Select(r => new { Entry = r, Version = EF.Property<uint>(r, AppDbContext.Version) })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new RiskRow(r.Entry.Id, r.Entry.Title, r.Entry.Description, r.Entry.UsualResponse, r.Entry.AppliesTo, r.Entry.IsRetired, r.Version))
            .ToList();
    }

    public async Task<Guid> CreateAsync(Actor actor, RiskInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await validator.EnsureValidAsync(input, cancellationToken);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        await EnsureTitleFreeAsync(db, input.Title, null, cancellationToken);
        var entry = RiskLibraryEntry.Create(input.Title, input.Description, input.UsualResponse, input.AppliesTo);
        db.RiskLibrary.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return entry.Id;
    }

    /// <summary>Edits an entry; <paramref name="version"/> is the one the admin saw.</summary>
    public async Task UpdateAsync(Actor actor, Guid id, uint version, RiskInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await validator.EnsureValidAsync(input, cancellationToken);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var entry = await FindAsync(db, id, cancellationToken);
        db.ExpectVersion(entry, version);
        await EnsureTitleFreeAsync(db, input.Title, id, cancellationToken);
        entry.Update(input.Title, input.Description, input.UsualResponse, input.AppliesTo);
        await db.SaveOrExplainConflictAsync("risk", cancellationToken);
    }

    /// <summary>Retires an entry: deals that shared it keep it; reps are no longer offered it.</summary>
    public async Task RetireAsync(Actor actor, Guid id, uint version, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var entry = await FindAsync(db, id, cancellationToken);
        db.ExpectVersion(entry, version);
        entry.Retire();
        await db.SaveOrExplainConflictAsync("risk", cancellationToken);
    }

    private static async Task<RiskLibraryEntry> FindAsync(AppDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.RiskLibrary.SingleOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new RecordNotFoundException("risk");

    private static async Task EnsureTitleFreeAsync(AppDbContext db, string title, Guid? id, CancellationToken cancellationToken)
    {
        // The library is small: compare in memory, ignoring case.
        var titles = await db.RiskLibrary.Where(r => r.Id != id).Select(r => r.Title).ToListAsync(cancellationToken);
        if (titles.Any(t => string.Equals(t, title.Trim(), StringComparison.OrdinalIgnoreCase)))
            throw new ValidationException([new ValidationFailure(nameof(RiskInput.Title), "The library already has a risk with this title.")]);
    }
}

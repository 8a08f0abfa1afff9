using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Administration;

/// <summary>The standard lead time of one kind of promise, with the row version it was read at.</summary>
public sealed record LeadTimeRow(CommitmentKind Kind, int Days, uint Version);

/// <summary>The form setting one kind's lead time.</summary>
public sealed class LeadTimeInput
{
    public int? Days { get; set; }
}

/// <summary>Validates a lead time; the domain allows 0 to 730 days.</summary>
public sealed class LeadTimeValidator : ModelValidator<LeadTimeInput>
{
    public LeadTimeValidator() =>
        RuleFor(x => x.Days).NotNull().WithMessage("Enter the lead time in days.")
            .InclusiveBetween(0, 730).WithMessage("A lead time must be between 0 and 730 days.");
}

/// <summary>
/// Lead times per kind, for admins. A promised date sooner than today plus its kind's lead time is aggressive.
/// </summary>
public sealed class LeadTimesService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, LeadTimeValidator validator)
{
    private const string What = "lead times";

    public async Task<IReadOnlyList<LeadTimeRow>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.LeadTimes.AsNoTracking()
            .Select(l => new LeadTimeRow(l.Kind, l.Days, EF.Property<uint>(l, AppDbContext.Version)))
            .ToListAsync(cancellationToken);
        return rows.OrderBy(r => r.Kind).ToList();
    }

    /// <summary>Sets one kind's lead time; <paramref name="version"/> is the one the admin saw.</summary>
    public async Task SetAsync(Actor actor, CommitmentKind kind, uint version, LeadTimeInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await validator.EnsureValidAsync(input, cancellationToken);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var leadTime = await db.LeadTimes.SingleOrDefaultAsync(l => l.Kind == kind, cancellationToken)
            ?? throw new RecordNotFoundException("lead time");
        db.ExpectVersion(leadTime, version);
        leadTime.Set(input.Days!.Value);
        await db.SaveOrExplainConflictAsync("lead time", cancellationToken);
    }
}

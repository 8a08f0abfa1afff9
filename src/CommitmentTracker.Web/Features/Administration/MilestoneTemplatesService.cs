using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Administration;

/// <summary>The milestone plan template of one kind of promise, with the row version it was read at (0 when none is stored).</summary>
public sealed record MilestoneTemplateRow(CommitmentKind Kind, IReadOnlyList<MilestoneTemplateStep> Steps, uint Version)
{
    /// <summary>The steps as the editable form holds them.</summary>
    public MilestoneTemplateInput ToInput() => new()
    {
        Steps = [.. Steps.Select(s => new MilestoneTemplateStepInput { Title = s.Title, OffsetDays = s.OffsetDays, IsCustomerAcceptance = s.IsCustomerAcceptance })],
    };
}

/// <summary>One step of the plan being edited.</summary>
public sealed class MilestoneTemplateStepInput
{
    public string? Title { get; set; }

    /// <summary>Days from the promised date: negative before it, 0 on it.</summary>
    public int? OffsetDays { get; set; }

    public bool IsCustomerAcceptance { get; set; }
}

/// <summary>The form editing one kind's milestone plan.</summary>
public sealed class MilestoneTemplateInput
{
    public List<MilestoneTemplateStepInput> Steps { get; set; } = [];

    public IReadOnlyList<MilestoneTemplateStep> ToSteps() =>
        [.. Steps.Select(s => new MilestoneTemplateStep(s.Title ?? "", s.OffsetDays ?? 0, s.IsCustomerAcceptance))];
}

/// <summary>Validates one step of a plan; the page uses it field by field.</summary>
public sealed class MilestoneTemplateStepValidator : ModelValidator<MilestoneTemplateStepInput>
{
    public const int MaxOffsetDays = 730;

    public MilestoneTemplateStepValidator()
    {
        RuleFor(x => x.Title).NotEmpty().WithMessage("Enter the step's title.")
            .MaximumLength(FieldLengths.Title).WithMessage($"A step title has at most {FieldLengths.Title} characters.");
        RuleFor(x => x.OffsetDays).NotNull().WithMessage("Enter the days from the promised date.")
            .InclusiveBetween(-MaxOffsetDays, MaxOffsetDays).WithMessage($"Offsets are between -{MaxOffsetDays} and {MaxOffsetDays} days.");
    }
}

/// <summary>
/// Validates a whole plan's fields. The rules about the plan as a whole (unique titles, date order,
/// customer acceptance last) are the domain's: <see cref="MilestoneTemplate.Replace"/>.
/// </summary>
public sealed class MilestoneTemplateValidator : ModelValidator<MilestoneTemplateInput>
{
    public MilestoneTemplateValidator()
    {
        RuleFor(x => x.Steps).NotEmpty().WithMessage("A milestone plan needs at least one step.")
            .Must(s => s.Count <= 30).WithMessage("A milestone plan has at most 30 steps.");
        RuleForEach(x => x.Steps).SetValidator(new MilestoneTemplateStepValidator());
    }
}

/// <summary>Milestone plan templates per kind, for admins: service staff plan a promise's milestones from them.</summary>
public sealed class MilestoneTemplatesService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, MilestoneTemplateValidator validator)
{
    private const string What = "milestone plans";

    /// <summary>Every kind, in order; a kind without a stored template has no steps and version 0.</summary>
    public async Task<IReadOnlyList<MilestoneTemplateRow>> ListAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var templates = await db.MilestoneTemplates.AsNoTracking()
            .Select(t => new { Template = t, Version = EF.Property<uint>(t, AppDbContext.Version) })
            .ToDictionaryAsync(t => t.Template.Kind, cancellationToken);
        return [.. Enum.GetValues<CommitmentKind>().Select(kind => templates.TryGetValue(kind, out var t)
            ? new MilestoneTemplateRow(kind, t.Template.Steps, t.Version)
            : new MilestoneTemplateRow(kind, [], 0))];
    }

    /// <summary>Replaces one kind's plan; <paramref name="version"/> is the one the admin saw. Applies to promises planned from now on.</summary>
    public async Task SaveAsync(Actor actor, CommitmentKind kind, uint version, MilestoneTemplateInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await validator.EnsureValidAsync(input, cancellationToken);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var template = await db.MilestoneTemplates.SingleOrDefaultAsync(t => t.Kind == kind, cancellationToken);
        if (template is null)
        {
            if (version != 0)
                throw new RecordNotFoundException("milestone plan");
            db.MilestoneTemplates.Add(new MilestoneTemplate(kind, input.ToSteps()));
        }
        else
        {
            db.ExpectVersion(template, version);
            template.Replace(input.ToSteps());
        }
        await db.SaveOrExplainConflictAsync("milestone plan", cancellationToken);
    }
}

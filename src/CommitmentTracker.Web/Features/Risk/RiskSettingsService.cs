using FluentValidation;
using CommitmentTracker.Web.Features.Administration;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Risk;

/// <summary>The risk thresholds and recovery settings form: whole numbers and percentages as people think of them.</summary>
public sealed class RiskSettingsInput
{
    public int? WatchWithinDays { get; set; }
    public int? StaleAfterDays { get; set; }
    public int? ScheduleElapsedPercent { get; set; }
    public int? ScheduleDonePercent { get; set; }
    public int? BrokenAccountsAlarmPercent { get; set; }

    /// <summary>A promised date the history gives less chance than this is aggressive (the promise forecast).</summary>
    public int? ForecastMinimumPercent { get; set; } = 70;
    public int? TellCustomerWithinHours { get; set; }
    public decimal? MarketingSpend { get; set; }
    public int? NewCustomers { get; set; }

    /// <summary>The compensation budget these figures give, shown live next to them.</summary>
    public decimal? CustomerAcquisitionCost =>
        MarketingSpend is >= 0 && NewCustomers is > 0 ? decimal.Round(MarketingSpend.Value / NewCustomers.Value, 2) : null;

    public uint Version { get; set; }
}

/// <summary>Validates the risk thresholds, in the form and on the server.</summary>
public sealed class RiskSettingsValidator : ModelValidator<RiskSettingsInput>
{
    public RiskSettingsValidator()
    {
        RuleFor(x => x.WatchWithinDays).NotNull().InclusiveBetween(0, 90).WithMessage("Between 0 and 90 days.");
        RuleFor(x => x.StaleAfterDays).NotNull().InclusiveBetween(1, 90).WithMessage("Between 1 and 90 days.");
        RuleFor(x => x.ScheduleElapsedPercent).NotNull().InclusiveBetween(1, 100).WithMessage("Between 1% and 100%.");
        RuleFor(x => x.ScheduleDonePercent).NotNull().InclusiveBetween(1, 100).WithMessage("Between 1% and 100%.");
        RuleFor(x => x.BrokenAccountsAlarmPercent).NotNull().InclusiveBetween(1, 100).WithMessage("Between 1% and 100%.");
        RuleFor(x => x.ForecastMinimumPercent).NotNull().InclusiveBetween(0, 100).WithMessage("Between 0% and 100%.");
        RuleFor(x => x.TellCustomerWithinHours).NotNull().InclusiveBetween(1, 24 * 14).WithMessage("Between 1 hour and 336 hours (14 days).");
        RuleFor(x => x.MarketingSpend).NotNull().WithMessage("Enter the marketing and sales spend.")
            .GreaterThanOrEqualTo(0).WithMessage("The spend cannot be negative.")
            .LessThan(1_000_000_000_000m).WithMessage("That spend is too large.");
        RuleFor(x => x.NewCustomers).NotNull().WithMessage("Enter the number of new customers.")
            .InclusiveBetween(1, 1_000_000).WithMessage("At least 1 new customer.");
    }
}

/// <summary>Reads and changes the company's risk thresholds (admins); promises are re-evaluated by the next sweep.</summary>
public sealed class RiskSettingsService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, RiskSettingsValidator validator)
{
    private const string What = "risk settings";

    public async Task<RiskSettingsInput> GetAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.RiskSettings.SingleAsync(cancellationToken);
        return new RiskSettingsInput
        {
            WatchWithinDays = row.WatchWithinDays,
            StaleAfterDays = row.StaleAfterDays,
            ScheduleElapsedPercent = (int)(row.ScheduleElapsedShare * 100),
            ScheduleDonePercent = (int)(row.ScheduleDoneShare * 100),
            BrokenAccountsAlarmPercent = (int)(row.BrokenAccountsAlarmShare * 100),
            ForecastMinimumPercent = (int)(row.ForecastMinimumProbability * 100),
            TellCustomerWithinHours = row.TellCustomerWithinHours,
            MarketingSpend = row.MarketingSpend,
            NewCustomers = row.NewCustomers,
            Version = db.VersionOf(row),
        };
    }

    public async Task SaveAsync(Actor actor, RiskSettingsInput input, CancellationToken cancellationToken = default)
    {
        actor.EnsureAdmin(What);
        await validator.EnsureValidAsync(input, cancellationToken);
        await using var db = await dbFactory.CreateForAsync(actor, clock.GetUtcNow(), cancellationToken);
        var row = await db.RiskSettings.SingleAsync(cancellationToken);
        db.ExpectVersion(row, input.Version);
        var before = row.ToDomain();
        row.WatchWithinDays = input.WatchWithinDays!.Value;
        row.StaleAfterDays = input.StaleAfterDays!.Value;
        row.ScheduleElapsedShare = input.ScheduleElapsedPercent!.Value / 100m;
        row.ScheduleDoneShare = input.ScheduleDonePercent!.Value / 100m;
        row.BrokenAccountsAlarmShare = input.BrokenAccountsAlarmPercent!.Value / 100m;
        row.ForecastMinimumProbability = input.ForecastMinimumPercent!.Value / 100m;
        row.TellCustomerWithinHours = input.TellCustomerWithinHours!.Value;
        row.MarketingSpend = input.MarketingSpend!.Value;
        row.NewCustomers = input.NewCustomers!.Value;
        _ = row.CompensationBudget;
        // The domain refuses nonsense before anything is saved; new thresholds have the next sweep look at every open promise.
        if (row.ToDomain() != before)
            row.ReviewAllPending = true;
        await db.SaveOrExplainConflictAsync(What, cancellationToken);
    }
}

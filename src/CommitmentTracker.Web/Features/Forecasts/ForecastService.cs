using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Forecasts;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace CommitmentTracker.Web.Features.Forecasts;

/// <summary>What the promise dialog shows beside the buffer and lead-time warnings as the rep picks a date.</summary>
public sealed record DateForecast(PromiseForecast Forecast, decimal MinimumProbability)
{
    /// <summary>The date's chance is known and below the minimum: aggressive, like a short lead time.</summary>
    public bool IsBelowMinimum => Forecast.IsBelow(MinimumProbability);
}

/// <summary>
/// The promise forecast for the pages: the chance of a date being typed, and of open promises being kept from where they
/// stand. Reads only the precomputed curves of <see cref="ForecastRefresher"/> (a few rows by key).
/// </summary>
public sealed class ForecastService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The forecast for a promise of ours the actor is about to log on the deal; for those who may log one.</summary>
    public async Task<DateForecast> ForNewPromiseAsync(Actor actor, Guid dealId, CommitmentKind kind, Department department, DateOnly? promisedDate, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var value = await db.Deals.EditableBy(db, actor).Where(d => d.Id == dealId).Select(d => (decimal?)d.Value.Amount).SingleOrDefaultAsync(cancellationToken)
            ?? throw new RecordNotFoundException("deal");
        return await ForNewPromiseAsync(db, value, kind, department, promisedDate, Today, cancellationToken);
    }

    /// <summary>The same forecast inside an operation's context (the save checks the date again on the server).</summary>
    internal static async Task<DateForecast> ForNewPromiseAsync(AppDbContext db, decimal dealValue, CommitmentKind kind, Department department, DateOnly? promisedDate, DateOnly today, CancellationToken cancellationToken)
    {
        var settings = await ForecastCurves.SettingsAsync(db, cancellationToken);
        var leadTimes = LeadTime.ToPolicy(await db.LeadTimes.AsNoTracking().ToListAsync(cancellationToken));
        var subject = ForecastCurves.SubjectOf(kind, department, dealValue, await ForecastCurves.TemplateMilestonesAsync(db, kind, cancellationToken));
        var curves = await ForecastCurves.LoadAsync(db, [subject], cancellationToken);
        var forecast = PromiseForecaster.ForNewPromise(subject, curves, today, promisedDate, leadTimes, settings, ForecastCurves.Calendar);
        return new DateForecast(forecast, settings.MinimumProbability);
    }

    /// <summary>The chance the server records with a new promise of ours (and judges it aggressive by); null without history.</summary>
    internal static async Task<ForecastChance?> ChanceForAsync(AppDbContext db, Deal deal, CommitmentDraft draft, DateOnly today, CancellationToken cancellationToken)
    {
        if (draft.Direction != CommitmentDirection.Ours || draft.PromisedDate < today)
            return null;
        var forecast = await ForNewPromiseAsync(db, deal.Value.Amount, draft.Kind, draft.Department, draft.PromisedDate, today, cancellationToken);
        return forecast.Forecast.Probability is { } p ? new ForecastChance(p, forecast.MinimumProbability) : null;
    }

    /// <summary>An open promise of ours as the forecast sees it.</summary>
    public sealed record OpenPromise(Guid Id, CommitmentKind Kind, Department Department, decimal DealValue, int MilestoneCount, DateOnly MadeOn, DateOnly PromisedDate);

    /// <summary>
    /// The chance each open promise is kept from its current state (its age), from similar promises still undone at the
    /// same age; promises without enough history are left out.
    /// </summary>
    internal static async Task<Dictionary<Guid, PromiseForecast>> ForOpenPromisesAsync(AppDbContext db, IReadOnlyCollection<OpenPromise> promises, DateOnly today, CancellationToken cancellationToken)
    {
        if (promises.Count == 0)
            return [];
        var settings = await ForecastCurves.SettingsAsync(db, cancellationToken);
        var subjects = promises.ToDictionary(p => p.Id, p => ForecastCurves.SubjectOf(p.Kind, p.Department, p.DealValue, p.MilestoneCount));
        var curves = await ForecastCurves.LoadAsync(db, subjects.Values.Distinct(), cancellationToken);
        var result = new Dictionary<Guid, PromiseForecast>();
        foreach (var promise in promises)
        {
            if (PromiseForecaster.ForOpenPromise(subjects[promise.Id], curves, promise.MadeOn, today, promise.PromisedDate, settings, ForecastCurves.Calendar) is { Probability: not null } forecast)
                result[promise.Id] = forecast;
        }
        return result;
    }
}

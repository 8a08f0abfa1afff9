using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Domain.Forecasts;
using CommitmentTracker.Web.Features.Calendars;
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
/// stand, counted in the working days of the deal's rep's team. Reads only the precomputed curves of <see cref="ForecastRefresher"/> (a few rows by key).
/// </summary>
public sealed class ForecastService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>The forecast for a promise of ours the actor is about to log on the deal; for those who may log one.</summary>
    public async Task<DateForecast> ForNewPromiseAsync(Actor actor, Guid dealId, CommitmentKind kind, Department department, DateOnly? promisedDate, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var deal = await db.Deals.EditableBy(db, actor).Where(d => d.Id == dealId).Select(d => new { d.Value.Amount, d.OwnerId }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new RecordNotFoundException("deal");
        var calendar = await db.OfUserAsync(deal.OwnerId, cancellationToken);
        return await ForNewPromiseAsync(db, deal.Amount, kind, department, promisedDate, Today, calendar, cancellationToken);
    }

    /// <summary>
    /// The same forecast inside an operation's context (the save checks the date again on the server). Days are the
    /// working days of the deal's rep's team, as the lead times are.
    /// </summary>
    internal static async Task<DateForecast> ForNewPromiseAsync(
        AppDbContext db, decimal dealValue, CommitmentKind kind, Department department, DateOnly? promisedDate, DateOnly today, WorkingCalendar calendar, CancellationToken cancellationToken)
    {
        var settings = await ForecastCurves.SettingsAsync(db, cancellationToken);
        var leadTimes = LeadTime.ToPolicy(await db.LeadTimes.AsNoTracking().ToListAsync(cancellationToken)).On(calendar);
        var subject = ForecastCurves.SubjectOf(kind, department, dealValue, await ForecastCurves.TemplateMilestonesAsync(db, kind, cancellationToken));
        var curves = await ForecastCurves.LoadAsync(db, [subject], cancellationToken);
        var forecast = PromiseForecaster.ForNewPromise(subject, curves, today, promisedDate, leadTimes, settings, calendar);
        return new DateForecast(forecast, settings.MinimumProbability);
    }

    /// <summary>The chance the server records with a new promise of ours (and judges it aggressive by); null without history.</summary>
    internal static async Task<ForecastChance?> ChanceForAsync(AppDbContext db, Deal deal, CommitmentDraft draft, DateOnly today, CancellationToken cancellationToken)
    {
        if (draft.Direction != CommitmentDirection.Ours || draft.PromisedDate < today)
            return null;
        var calendar = await db.OfUserAsync(deal.OwnerId, cancellationToken);
        var forecast = await ForNewPromiseAsync(db, deal.Value.Amount, draft.Kind, draft.Department, draft.PromisedDate, today, calendar, cancellationToken);
        return forecast.Forecast.Probability is { } p ? new ForecastChance(p, forecast.MinimumProbability) : null;
    }

    /// <summary>An open promise of ours as the forecast sees it: what makes it similar, its rep (whose calendar counts) and how far its plan is.</summary>
    public sealed record OpenPromise(
        Guid Id, CommitmentKind Kind, Department Department, decimal DealValue, int MilestoneCount, DateOnly MadeOn, DateOnly PromisedDate,
        string DealOwnerId, PlanProgress Progress);

    /// <summary>The forecasts of open promises, by id, and the admin's minimum chance they are judged by.</summary>
    internal sealed record OpenForecasts(Dictionary<Guid, PromiseForecast> ById, decimal MinimumProbability);

    /// <summary>
    /// The chance each open promise is kept from its current state: from similar promises at the same stage of their plan
    /// and as long there, else at the same age; promises without enough history are left out.
    /// </summary>
    internal static async Task<OpenForecasts> ForOpenPromisesAsync(AppDbContext db, IReadOnlyCollection<OpenPromise> promises, DateOnly today, CancellationToken cancellationToken)
    {
        if (promises.Count == 0)
            return new([], ForecastSettings.Defaults.MinimumProbability); // nothing is judged by it
        var settings = await ForecastCurves.SettingsAsync(db, cancellationToken);
        var subjects = promises.ToDictionary(p => p.Id, p => ForecastCurves.SubjectOf(p.Kind, p.Department, p.DealValue, p.MilestoneCount));
        var curves = await ForecastCurves.LoadAsync(db, promises.Select(p => (subjects[p.Id], (PlanStage?)p.Progress.Stage)), cancellationToken);
        var calendars = await db.OfUsersAsync(promises.Select(p => p.DealOwnerId), cancellationToken);
        var result = new Dictionary<Guid, PromiseForecast>();
        foreach (var promise in promises)
        {
            var calendar = calendars.GetValueOrDefault(promise.DealOwnerId) ?? WorkingCalendar.Default(Guid.Empty);
            if (PromiseForecaster.ForOpenPromise(subjects[promise.Id], curves, promise.MadeOn, today, promise.PromisedDate, settings, calendar, promise.Progress) is { Probability: not null } forecast)
                result[promise.Id] = forecast;
        }
        return new(result, settings.MinimumProbability);
    }

    /// <summary>How far each promise's plan is, from its milestones (one query for the lot).</summary>
    internal static async Task<Dictionary<Guid, PlanProgress>> ProgressAsync(AppDbContext db, IReadOnlyDictionary<Guid, DateOnly> madeOn, CancellationToken cancellationToken)
    {
        var ids = madeOn.Keys.ToList();
        var milestones = await db.Milestones.AsNoTracking().Where(m => ids.Contains(m.CommitmentId))
            .Select(m => new { m.CommitmentId, m.Status, m.CompletedOn }).ToListAsync(cancellationToken);
        var byPromise = milestones.ToLookup(m => m.CommitmentId, m => (m.Status, m.CompletedOn));
        return ids.ToDictionary(id => id, id => PlanProgress.Of(byPromise[id], madeOn[id]));
    }
}

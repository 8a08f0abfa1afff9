using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Forecasts;
using CommitmentTracker.Web.Features;
using CommitmentTracker.Web.Features.Forecasts;
using CommitmentTracker.Web.Features.Promises;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Features.Promises;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Forecasts;

/// <summary>
/// The dialog's forecast reads the stored curves of the deal's reference groups; saving checks the chance again on the
/// server, and a date below the minimum waits for the manager like one inside the lead time.
/// </summary>
public sealed class PromiseForecastTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _clock = new(Now);

    /// <summary>The calendar of a team without one (Monday to Friday): the curves and dates count its working days.</summary>
    private static readonly WorkingCalendar Week = WorkingCalendar.Default(Guid.Empty);

    private static DateOnly WorkingDaysAhead(int days) => Week.AddWorkingDays(Today, days);

    /// <summary>Installations done evenly on days 1..100 after promising, for every installation of any department.</summary>
    private async Task StoreInstallationHistoryAsync(int promises = 100)
    {
        var curve = SurvivalCurve.Estimate(Enumerable.Range(0, promises).Select(i => new PromiseObservation(i * 100 / promises + 1, true)));
        await database.QueryAsync(async db =>
        {
            await db.ForecastCurves.Where(c => c.GroupKey == "Kind|Installation|*|*|*").ExecuteDeleteAsync(Cancel);
            db.ForecastCurves.Add(new ForecastCurveRecord
            {
                GroupKey = "Kind|Installation|*|*|*",
                Promises = curve.Promises,
                Completed = curve.Completed,
                Days = [.. curve.Days],
                Undone = [.. curve.Survival],
                ComputedAt = Now,
            });
            return await db.SaveChangesAsync(Cancel);
        });
    }

    [Fact]
    public async Task The_dialog_shows_the_chance_of_the_date_typed_the_80_and_90_percent_dates_and_the_basis()
    {
        await StoreInstallationHistoryAsync();
        var rep = await database.CreateAsync(AppRoles.Rep);
        var deal = await database.CreateDealAsync(rep);

        var shown = await new ForecastService(database, _clock).ForNewPromiseAsync(rep, deal.Id, CommitmentKind.Installation, Department.Service, WorkingDaysAhead(60), Cancel);

        Assert.Equal(0.60, shown.Forecast.Probability!.Value, 9);
        Assert.Equal((WorkingDaysAhead(80), WorkingDaysAhead(90)), (shown.Forecast.Date80, shown.Forecast.Date90));
        Assert.Equal("Based on 100 installation promises in the last 24 months.", shown.Forecast.Basis);
        Assert.StartsWith("Too few promises like this one (0 installation promises of the Service department", shown.Forecast.Fallback, StringComparison.Ordinal);
        Assert.True(shown.IsBelowMinimum);
    }

    [Fact]
    public async Task Without_history_the_dialog_falls_back_to_the_lead_time_and_says_so()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var deal = await database.CreateDealAsync(rep);

        var shown = await new ForecastService(database, _clock).ForNewPromiseAsync(rep, deal.Id, CommitmentKind.Training, Department.Sales, Today.AddDays(30), Cancel);

        Assert.False(shown.Forecast.FromHistory);
        Assert.Null(shown.Forecast.Probability);
        Assert.Equal("Based on the standard lead time of 14 working days for training promises.", shown.Forecast.Basis);
        Assert.False(shown.IsBelowMinimum);
    }

    [Fact]
    public async Task Another_teams_deal_gets_no_forecast_it_looks_not_found()
    {
        var rep = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var stranger = await database.CreateAsync(AppRoles.Rep, await database.CreateTeamAsync());
        var deal = await database.CreateDealAsync(rep);

        await Assert.ThrowsAsync<RecordNotFoundException>(() =>
            new ForecastService(database, _clock).ForNewPromiseAsync(stranger, deal.Id, CommitmentKind.Installation, Department.Service, Today.AddDays(60), Cancel));
    }

    [Fact]
    public async Task A_date_below_the_minimum_chance_is_saved_aggressive_waiting_for_the_manager_with_its_chance()
    {
        await StoreInstallationHistoryAsync();
        var team = await database.CreateTeamAsync();
        var rep = await database.CreateAsync(AppRoles.Rep, team);
        var deal = await database.CreateDealAsync(rep);
        var promises = PromisesServiceFactory.Create(database, _clock);

        // 60 working days is well past the 28-day lead time of an installation, but only 60% of installations were done by then.
        var low = await promises.AddAsync(rep, deal.Id, Installation(rep, 60), Cancel);
        var comfortable = await promises.AddAsync(rep, deal.Id, Installation(rep, 85), Cancel);

        var stored = await database.QueryAsync(db => db.LoadCommitmentAsync(low));
        Assert.Equal((true, AggressiveApproval.Pending, (AggressiveCause?)AggressiveCause.LowChance, (decimal?)0.600m),
            (stored.IsAggressive, stored.AggressiveApproval, stored.AggressiveCause, stored.ForecastProbability));
        var safe = await database.QueryAsync(db => db.LoadCommitmentAsync(comfortable));
        Assert.Equal((false, (decimal?)0.850m), (safe.IsAggressive, safe.ForecastProbability));
    }

    [Fact]
    public async Task The_minimum_chance_is_the_admins_setting()
    {
        await StoreInstallationHistoryAsync();
        await database.QueryAsync(async db => await db.RiskSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.ForecastMinimumProbability, 0.5m), Cancel));
        try
        {
            var rep = await database.CreateAsync(AppRoles.Rep);
            var deal = await database.CreateDealAsync(rep);

            var id = await PromisesServiceFactory.Create(database, _clock).AddAsync(rep, deal.Id, Installation(rep, 60), Cancel);

            Assert.False((await database.QueryAsync(db => db.LoadCommitmentAsync(id))).IsAggressive);
        }
        finally
        {
            await database.QueryAsync(async db => await db.RiskSettings.ExecuteUpdateAsync(s => s.SetProperty(x => x.ForecastMinimumProbability, 0.7m), Cancel));
        }
    }

    /// <summary>An installation promised <paramref name="promisedInDays"/> working days from today.</summary>
    private static AddPromiseInput Installation(Actor owner, int promisedInDays) => new()
    {
        Direction = CommitmentDirection.Ours,
        Kind = CommitmentKind.Installation,
        Description = "Install the robot cell",
        OwnerId = owner.UserId,
        Department = Department.Service,
        PromisedDate = WorkingDaysAhead(promisedInDays).ToDateTime(TimeOnly.MinValue),
        NeedDate = WorkingDaysAhead(promisedInDays + 10).ToDateTime(TimeOnly.MinValue),
    };
}

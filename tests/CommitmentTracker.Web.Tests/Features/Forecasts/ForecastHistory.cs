using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Forecasts;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Forecasts;

/// <summary>Past promises written straight through the domain, and the refresher that counts them, for the forecast's tests.</summary>
internal static class ForecastHistory
{
    public static ForecastRefresher Refresher(this TestDatabase database) =>
        new(database, new FakeTimeProvider(Now), Options.Create(new ForecastRefreshOptions()), NullLogger<ForecastRefresher>.Instance);

    /// <summary>10:00 UTC on the day: when a past event happened.</summary>
    public static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);

    /// <summary>A 20,000 EUR deal of <paramref name="owner"/> closed on <paramref name="closedOn"/>, with what <paramref name="arrange"/> adds, saved.</summary>
    public static async Task<Deal> HistoryDealAsync(this TestDatabase database, Actor owner, DateOnly closedOn, Action<Deal> arrange, CancellationToken cancellationToken)
    {
        var account = await database.CreateAccountAsync();
        var deal = Deal.Create(account.Id, "History", owner.UserId, Money.Of(20_000m, "EUR"), "Pack 40 cases a minute", closedOn,
            await database.ActiveChecklistAsync(), At(closedOn), closedOn);
        arrange(deal);
        await using var db = database.CreateDbContext();
        db.ChangedAt = Now;
        db.Add(deal);
        await db.SaveChangesAsync(cancellationToken);
        return deal;
    }
}

using CommitmentTracker.Domain;
using CommitmentTracker.Domain.Calendars;
using CommitmentTracker.Domain.Accounts;
using CommitmentTracker.Domain.Commitments;
using CommitmentTracker.Domain.Deals;
using CommitmentTracker.Web.Features.Forecasts;
using CommitmentTracker.Web.Persistence;
using CommitmentTracker.Web.Security;
using CommitmentTracker.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CommitmentTracker.Web.Tests.Infrastructure.TestDeals;

namespace CommitmentTracker.Web.Tests.Features.Forecasts;

/// <summary>
/// The curves are counted by PostgreSQL from the stored history: completed promises are events at their duration, open and
/// broken ones censored at their age, waived ones and the customer's left out, each promise in one group per level.
/// </summary>
public sealed class ForecastRefreshTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_refresh_stores_a_curve_per_group_from_completed_open_and_broken_promises()
    {
        var rep = await database.CreateAsync(AppRoles.Rep);
        var madeOn = Today.AddDays(-100);
        // Ten deliveries done after 10..19 days, five open (made 100 days ago), one broken, one waived, one of the customer's.
        var deal = await database.HistoryDealAsync(rep, madeOn, deal =>
        {
            for (var i = 0; i < 10; i++)
                Made(deal, madeOn, 30).Complete(madeOn.AddDays(10 + i), Today);
            for (var i = 0; i < 5; i++)
                Made(deal, madeOn, 120);
            Made(deal, madeOn, 30).RefreshStatus(Today);
            Made(deal, madeOn, 30).Waive("Customer cancelled the line.", rep.UserId, Now);
            deal.AddCommitment(new CommitmentDraft(CommitmentDirection.Theirs, CommitmentKind.Other, "Site access", rep.UserId, Department.Customer, madeOn.AddDays(5), null),
                LeadTimes.Defaults, rep.UserId, ForecastHistory.At(madeOn), madeOn).Complete(madeOn.AddDays(3), Today);
        }, Cancel);

        var stored = await database.Refresher().RefreshAsync(Cancel);

        Assert.Equal(4, stored); // one group per level: all promises share kind, department, value band and plan length
        var all = await database.QueryAsync(db => db.ForecastCurves.AsNoTracking().SingleAsync(c => c.GroupKey == "All|*|*|*|*", Cancel));
        Assert.Equal((16, 10), (all.Promises, all.Completed));
        // Durations are working days of the rep's calendar (none set: Monday to Friday).
        var week = WorkingCalendar.Default(Guid.Empty);
        var durations = Enumerable.Range(10, 10).Select(d => week.WorkingDaysBetween(madeOn, madeOn.AddDays(d))).ToList();
        Assert.Equal(durations.Distinct().Order(), all.Days);
        var curve = all.ToCurve();
        // After the last completion all ten completed left the six still open (censored at their age) undone: 6 / 16.
        Assert.Equal(6.0 / 16, curve.UndoneAfter(durations.Max()), 9);
        var similar = await database.QueryAsync(db => db.ForecastCurves.AsNoTracking().SingleAsync(c => c.GroupKey == "Similar|Delivery|Fulfilment|From10kTo100k|0", Cancel));
        Assert.Equal((16, 10), (similar.Promises, similar.Completed));
        Assert.NotNull(deal);
    }

    private static Commitment Made(Deal deal, DateOnly madeOn, int promisedAfter) =>
        deal.AddCommitment(
            new CommitmentDraft(CommitmentDirection.Ours, CommitmentKind.Delivery, "Ship the robot cell", deal.OwnerId, Department.Fulfilment, madeOn.AddDays(promisedAfter), null, "Stock on hand"),
            LeadTimes.Defaults, deal.OwnerId, ForecastHistory.At(madeOn), madeOn);
}
